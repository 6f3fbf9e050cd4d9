import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { httpConfig, type HttpConfig } from '../config/http.config.js';
import { RegistryService } from '../smart/registry/registry.service.js';
import { SANDBOX_CLIENTS } from './sandbox-clients.js';
import { sandboxUrls } from './sandbox-urls.js';

/** The sandbox EHR's FHIR base (its `iss`), as the sandbox itself defines it. */
export function sandboxIssuer(publicUrl: string): string {
  return sandboxUrls(publicUrl).issuer;
}

/** The sandbox's client for us that authenticates with our key (backend services need private_key_jwt). */
const SANDBOX_CLIENT_ID = SANDBOX_CLIENTS.find((c) => c.authMethod === 'private_key_jwt')!.clientId;

/**
 * The mounted sandbox registers itself like any other EHR, so launches from it go through the same registry
 * checks; the smart module knows nothing of it. Refreshed at every boot because the public URL (and port) may
 * change.
 */
@Injectable()
export class SandboxRegistration implements OnApplicationBootstrap {
  constructor(
    private readonly registry: RegistryService,
    @Inject(httpConfig.KEY) private readonly http: HttpConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const issuer = sandboxIssuer(this.http.publicUrl);
    const sandboxBase = `${this.http.publicUrl}/sandbox/`;
    const real = (await this.registry.list()).filter((r) => r.enabled && !r.issuer.startsWith(sandboxBase));
    if (real.length) {
      // Anyone can be anyone in the sandbox: never trust it in a deployment that serves a real EHR.
      const existing = await this.registry.findEnabledByIssuer(issuer);
      if (existing && existing.issuer === issuer) await this.registry.update(existing.id, { enabled: false }, { actor: 'system', actorRole: null }, 'registry.disable');
      new Logger('Smart').warn('A real EHR is registered: launches from the sandbox EHR are refused (SANDBOX=off removes it).');
      return;
    }
    const origin = new URL(this.http.publicUrl).origin;
    await this.registry.upsert(
      {
        issuer,
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
