import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { FhirStore } from './fhir-store.service.js';
import { SandboxClients } from './sandbox-clients.service.js';
import { seedResources } from './seed.js';

/** Resolved once the sandbox's own migrations have run (the names they applied); the seeder waits for it. */
export const SANDBOX_SCHEMA = Symbol('SANDBOX_SCHEMA');

/** Seeds the sandbox EHR at boot: clients every time (URLs follow PUBLIC_URL), synthetic data when absent. */
@Injectable()
export class SandboxSeeder implements OnApplicationBootstrap {
  private readonly logger = new Logger('Sandbox');

  constructor(
    private readonly store: FhirStore,
    private readonly clients: SandboxClients,
    @Inject(SANDBOX_SCHEMA) readonly applied: string[],
  ) {}

  async onApplicationBootstrap(): Promise<void> {
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
