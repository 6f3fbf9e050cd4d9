import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { fhirConfig, type FhirConfig } from '../config/fhir.config.js';
import { securityConfig, type SecurityConfig } from '../config/security.config.js';
import { FhirStore } from './fhir-store.service.js';
import { SandboxClients } from './sandbox-clients.service.js';
import { sandboxEnabled } from './sandbox-enabled.js';
import { seedResources } from './seed.js';

/** Seeds the sandbox EHR at boot: clients every time (URLs follow PUBLIC_URL), synthetic data when absent. */
@Injectable()
export class SandboxSeeder implements OnApplicationBootstrap {
  private readonly logger = new Logger('Sandbox');

  constructor(
    private readonly store: FhirStore,
    private readonly clients: SandboxClients,
    @Inject(fhirConfig.KEY) private readonly fhir: FhirConfig,
    @Inject(securityConfig.KEY) private readonly security: SecurityConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!sandboxEnabled(this.fhir, this.security)) return;
    await this.clients.seed();
    const created = await this.store.inTransaction(undefined, async (m) => {
      // Instances starting together seed one after the other instead of colliding on the same ids.
      await m.query(`SELECT pg_advisory_xact_lock(hashtext('sandbox-seed'))`);
      let n = 0;
      for (const resource of seedResources()) if (await this.store.createIfAbsent(resource, m)) n++;
      return n;
    });
    if (created) this.logger.log(`Sandbox EHR seeded with ${created} synthetic resources`);
  }
}
