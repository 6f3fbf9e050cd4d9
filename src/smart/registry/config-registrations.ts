import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { fhirConfig, type FhirConfig } from '../../config/fhir.config.js';
import { parseConfigRegistrations } from './registration.schema.js';
import { RegistryService } from './registry.service.js';

/**
 * EHR registrations given by configuration (`EHR_REGISTRATIONS`), so a deployment can be pointed at an EHR
 * with no API call. Applied at every start: configuration wins over edits made through the admin API.
 */
@Injectable()
export class ConfigRegistrations implements OnApplicationBootstrap {
  constructor(
    private readonly registry: RegistryService,
    @Inject(fhirConfig.KEY) private readonly fhir: FhirConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    for (const input of parseConfigRegistrations(this.fhir.ehrRegistrations)) {
      await this.registry.upsert(input, { actor: 'config', actorRole: null });
      new Logger('Smart').log(`EHR registered from configuration: ${input.name}`);
    }
  }
}
