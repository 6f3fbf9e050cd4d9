import { Inject, Injectable } from '@nestjs/common';
import { AuditService } from '../../audit/audit.service.js';
import { DomainError } from '../../common/errors/domain-error.js';
import { fhirConfig, type FhirConfig } from '../../config/fhir.config.js';
import { EhrSystemAuthorizer, type FhirConnection, type WriteBackWork } from '../../fhir/fhir-connection.js';
import { DiscoveryService } from '../launch/discovery.service.js';
import type { EhrRegistration } from '../registry/ehr-registration.entity.js';
import { RegistryService } from '../registry/registry.service.js';
import { ClientAuthService } from './client-auth.service.js';
import { tokenRequest, type ClientAuth } from './token-client.js';
import { UserWriteBackTokens } from './user-write-back-tokens.js';
import { assertBackendServices, writeBackBase } from './write-back-target.js';

/** Where and as whom a registration's write-backs go, resolved from its fields and defaults. */
export interface WriteBackTarget {
  baseUrl: string;
  tokenEndpoint: string;
  clientId: string;
}

/**
 * SMART backend services: a system token by client_credentials + private_key_jwt, cached until a minute
 * before it expires, for the write-back worker and other work without a user. A registration names its
 * write-back FHIR base, token endpoint and client separately from its launch issuer (a launcher's issuer
 * need not serve backend services); with `writeBackAuth: "user"` the launching user's token is used instead.
 */
@Injectable()
export class SystemTokenService extends EhrSystemAuthorizer {
  private cache = new Map<string, { token: string; scope?: string; until: number }>();
  private inFlight = new Map<string, Promise<{ token: string; scope?: string }>>();

  constructor(
    private readonly registry: RegistryService,
    private readonly discovery: DiscoveryService,
    private readonly clientAuth: ClientAuthService,
    private readonly userTokens: UserWriteBackTokens,
    private readonly audit: AuditService,
    @Inject(fhirConfig.KEY) private readonly fhir: FhirConfig,
  ) {
    super();
  }

  async systemConnection(registrationId: string, work?: WriteBackWork): Promise<FhirConnection> {
    const r = await this.registry.get(registrationId);
    if (!r.enabled) throw new DomainError('REGISTRY.NOT_FOUND', 'This EHR registration is disabled.');
    if (r.writeBackAuth === 'user') return { ...(await this.userTokens.connection(r, work ?? { actor: null, patientKey: '' })), registrationId: r.id, delivery: r.delivery };
    const base = writeBackBase(r);
    // Keyed by the scopes asked too: a token granted for other scopes (before an admin added Task update, say) is
    // never handed out for the registration's new ones.
    const key = `${r.id} ${base} ${r.systemScopes ?? ''}`;
    const hit = this.cache.get(key);
    const { token, scope } = hit && hit.until > Date.now() ? hit : await this.fetchOnce(key, r);
    return { baseUrl: base, authorization: `Bearer ${token}`, registrationId: r.id, delivery: r.delivery, ...(scope !== undefined ? { grantedScopes: scope } : {}) };
  }

  /**
   * One token request per registration, base and scopes asked at a time: callers that miss the cache together (a worker round
   * delivers a batch concurrently) share the request in flight, and its failure.
   */
  private fetchOnce(key: string, r: EhrRegistration): Promise<{ token: string; scope?: string }> {
    let pending = this.inFlight.get(key);
    if (!pending) {
      pending = this.requestToken(r)
        .then(({ token, expiresIn, scope }) => {
          this.cache.set(key, { token, scope, until: Date.now() + Math.max(30, expiresIn - 60) * 1000 });
          return { token, scope };
        })
        .finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, pending);
    }
    return pending;
  }

  /** The write-back base, token endpoint and client (discovering the endpoint when not given). */
  async target(r: EhrRegistration): Promise<WriteBackTarget> {
    const baseUrl = writeBackBase(r);
    const tokenEndpoint = r.tokenEndpoint ?? (await this.discovery.tokenEndpoint(baseUrl));
    return { baseUrl, tokenEndpoint, clientId: r.systemClientId ?? r.clientId };
  }

  /** A fresh system token (no cache): for the worker, and for the admin's "check connection". */
  /** `scope`: what the EHR granted (its answer's `scope`, else — RFC 6749 §5.1 — what was asked). */
  async requestToken(r: EhrRegistration): Promise<{ token: string; expiresIn: number; scope?: string }> {
    assertBackendServices(r);
    try {
      const t = await this.target(r);
      const auth = (await this.clientAuth.forRegistration(r)) as Extract<ClientAuth, { method: 'private_key_jwt' }>;
      const res = await tokenRequest(t.tokenEndpoint, { grant_type: 'client_credentials', scope: r.systemScopes ?? '' }, { ...auth, clientId: t.clientId }, this.fhir.requestTimeoutMs);
      return { token: res.access_token, expiresIn: res.expires_in ?? 300, scope: typeof res.scope === 'string' ? res.scope : (r.systemScopes ?? '') };
    } catch (err) {
      await this.audit.record({ action: 'smart.system-token', outcome: 'failure', actor: 'system', resourceType: 'EhrRegistration', resourceId: r.id, detail: { error: (err as Error).name } });
      throw err;
    }
  }

  /** Forget cached tokens (for example after the EHR answered 401). */
  invalidate(registrationId: string): void {
    for (const key of this.cache.keys()) if (key.startsWith(`${registrationId} `)) this.cache.delete(key);
  }
}
