import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { fhirConfig, type FhirConfig } from '../../config/fhir.config.js';
import { httpConfig, type HttpConfig } from '../../config/http.config.js';
import { securityConfig, type SecurityConfig } from '../../config/security.config.js';
import { RegistryService } from './registry.service.js';

/** Client id the sandbox EHR knows us by (private_key_jwt, our JWKS). */
export const SANDBOX_CLIENT_ID = 'als-wellness';

export function sandboxIssuer(publicUrl: string): string {
  return `${publicUrl}/sandbox/fhir`;
}

/**
 * When the sandbox EHR is mounted, register it like any other EHR so launches from it go through the
 * same registry checks. Refreshed at every boot because the public URL (and port) may change.
 */
@Injectable()
export class SandboxRegistration implements OnApplicationBootstrap {
  constructor(
    private readonly registry: RegistryService,
    @Inject(fhirConfig.KEY) private readonly fhir: FhirConfig,
    @Inject(httpConfig.KEY) private readonly http: HttpConfig,
    @Inject(securityConfig.KEY) private readonly security: SecurityConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const enabled = this.fhir.sandbox === 'on' || (this.fhir.sandbox === 'auto' && !this.security.production);
    if (!enabled) return;
    const origin = new URL(this.http.publicUrl).origin;
    await this.registry.upsert(
      {
        issuer: sandboxIssuer(this.http.publicUrl),
        name: 'Sandbox EHR (synthetic data)',
        clientId: SANDBOX_CLIENT_ID,
        clientAuth: 'private_key_jwt',
        scopes: null,
        systemScopes: 'system/Patient.rs system/RelatedPerson.rs system/Practitioner.rs system/ServiceRequest.cru system/Task.cru system/CarePlan.cru system/Appointment.cru system/Encounter.cru system/QuestionnaireResponse.cru system/Observation.cru system/Provenance.cr system/Communication.cr',
        frameAncestors: [origin],
        enabled: true,
      },
      { actor: 'system', actorRole: null },
    );
    new Logger('Smart').log(`Sandbox EHR registered: launch it at ${this.http.publicUrl}/sandbox`);
  }
}
