import { Inject, Injectable } from '@nestjs/common';
import { AuditService } from '../../audit/audit.service.js';
import { DomainError } from '../../common/errors/domain-error.js';
import { fhirConfig, type FhirConfig } from '../../config/fhir.config.js';
import { EhrSystemAuthorizer, type FhirConnection } from '../../fhir/fhir-connection.js';
import { DiscoveryService } from '../launch/discovery.service.js';
import { RegistryService } from '../registry/registry.service.js';
import { ClientAuthService } from './client-auth.service.js';
import { tokenRequest } from './token-client.js';

/**
 * SMART backend services: a system token by client_credentials + private_key_jwt (RS384), cached until a
 * minute before it expires. Used by the write-back worker and other work without a user.
 */
@Injectable()
export class SystemTokenService extends EhrSystemAuthorizer {
  private cache = new Map<string, { token: string; until: number }>();

  constructor(
    private readonly registry: RegistryService,
    private readonly discovery: DiscoveryService,
    private readonly clientAuth: ClientAuthService,
    private readonly audit: AuditService,
    @Inject(fhirConfig.KEY) private readonly fhir: FhirConfig,
  ) {
    super();
  }

  async systemConnection(registrationId: string): Promise<FhirConnection> {
    const r = await this.registry.get(registrationId);
    if (!r.enabled) throw new DomainError('REGISTRY.NOT_FOUND', 'This EHR registration is disabled.');
    const hit = this.cache.get(r.id);
    if (hit && hit.until > Date.now()) return { baseUrl: r.issuer, authorization: `Bearer ${hit.token}`, registrationId: r.id };
    if (r.clientAuth !== 'private_key_jwt' || !r.systemScopes || r.issuer.endsWith('/*')) {
      throw new DomainError('SMART.LAUNCH_INVALID', 'This EHR registration has no backend-services access (private_key_jwt and system scopes).');
    }
    const config = await this.discovery.get(r.issuer);
    try {
      const res = await tokenRequest(config.token_endpoint, { grant_type: 'client_credentials', scope: r.systemScopes }, await this.clientAuth.forRegistration(r), this.fhir.requestTimeoutMs);
      const lifetime = Math.max(30, (res.expires_in ?? 300) - 60) * 1000;
      this.cache.set(r.id, { token: res.access_token, until: Date.now() + lifetime });
      return { baseUrl: r.issuer, authorization: `Bearer ${res.access_token}`, registrationId: r.id };
    } catch (err) {
      await this.audit.record({ action: 'smart.system-token', outcome: 'failure', actor: 'system', resourceType: 'EhrRegistration', resourceId: r.id, detail: { error: (err as Error).name } });
      throw err;
    }
  }

  /** Forget cached tokens (for example after the EHR answered 401). */
  invalidate(registrationId: string): void {
    this.cache.delete(registrationId);
  }
}
