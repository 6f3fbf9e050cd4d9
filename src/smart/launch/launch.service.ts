import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Response } from 'express';
import { randomBytes } from 'node:crypto';
import type { Repository } from 'typeorm';
import { AuditService } from '../../audit/audit.service.js';
import { DomainError } from '../../common/errors/domain-error.js';
import { httpConfig, type HttpConfig } from '../../config/http.config.js';
import { ClientAuthService } from '../backend/client-auth.service.js';
import { TokenCipher } from '../crypto/token-cipher.js';
import { RegistryService } from '../registry/registry.service.js';
import { DbLaunchStorage } from './db-launch-storage.js';
import { DiscoveryService } from './discovery.service.js';
import { smartApi } from './fhirclient-env.js';
import { LaunchState } from './launch-state.entity.js';
import { canonicalIssuer } from './issuer-url.js';
import { scopesFor, WORKFLOWS, type Workflow } from './scopes.js';

/** Every given URL is on the same origin as the base. */
export function sameOrigin(base: string, ...urls: (string | undefined)[]): boolean {
  const origin = new URL(base).origin;
  return urls.every((u) => u === undefined || (URL.canParse(u) && new URL(u).origin === origin));
}

export interface LaunchQuery {
  iss?: unknown;
  launch?: unknown;
  workflow?: unknown;
}

/** What we keep beside fhirclient's state for the callback. */
export interface LaunchExtras {
  registrationId: string;
  /** The FHIR base this launch is for (the registration's issuer, or the iss a wildcard registration matched). */
  iss: string;
  workflow: Workflow;
  nonce: string;
}

const LAUNCH_PARAM = /^[\x21-\x7e]{1,1024}$/;

/** Step one of the SMART launch: check the issuer against the registry, then let fhirclient build the redirect. */
@Injectable()
export class LaunchService {
  constructor(
    private readonly registry: RegistryService,
    private readonly discovery: DiscoveryService,
    private readonly clientAuth: ClientAuthService,
    private readonly cipher: TokenCipher,
    private readonly audit: AuditService,
    @InjectRepository(LaunchState) private readonly states: Repository<LaunchState>,
    @Inject(httpConfig.KEY) private readonly http: HttpConfig,
  ) {}

  storage(binding: string): DbLaunchStorage {
    return new DbLaunchStorage(this.states, this.cipher, binding);
  }

  async start(q: LaunchQuery, res: Response, requestId: string | undefined): Promise<{ redirectUrl: string; binding: string }> {
    const iss = canonicalIssuer(q.iss);
    const registration = iss ? await this.registry.findEnabledByIssuer(iss) : null;
    if (!registration) {
      await this.audit.record({ action: 'smart.launch', outcome: 'denied', requestId, detail: { reason: 'unknown-issuer' } });
      throw new DomainError('SMART.UNKNOWN_ISSUER', 'This EHR is not registered with the module; ask an administrator to register it.');
    }
    const launch = q.launch === undefined ? undefined : String(q.launch);
    if (launch !== undefined && !LAUNCH_PARAM.test(launch)) throw new DomainError('SMART.LAUNCH_INVALID', 'The launch parameter is malformed.');
    const workflow = this.workflow(q.workflow, launch !== undefined);

    const base = iss as string; // non-null: a registration matched it
    const config = await this.discovery.get(base);
    if (registration.issuer.endsWith('/*') && !sameOrigin(base, config.authorization_endpoint, config.token_endpoint, config.jwks_uri)) {
      // A wildcard registration trusts a family of bases on one server, never endpoints elsewhere.
      throw new DomainError('SMART.LAUNCH_INVALID', 'The EHR advertises endpoints on another server; the launch is refused.');
    }
    if (!(config.code_challenge_methods_supported ?? []).includes('S256')) {
      throw new DomainError('SMART.LAUNCH_INVALID', 'The EHR does not support PKCE (S256); the launch is refused.');
    }
    const auth = await this.clientAuth.forRegistration(registration);
    const binding = randomBytes(32).toString('base64url');
    const storage = this.storage(binding);
    const authorizeUrl = await smartApi(this.http.publicUrl, '/smart/launch', {}, res, storage)
      .authorize({
      iss: base,
      launch,
      clientId: registration.clientId,
      redirectUri: `${this.http.publicUrl}/smart/callback`,
      scope: scopesFor(workflow, { registrationScopes: registration.scopes, v2: DiscoveryService.speaksV2(config) }),
      pkceMode: 'required',
      noRedirect: true,
      ...(auth.method === 'client_secret_basic'
        ? { clientSecret: auth.secret }
        : { clientPrivateJwk: auth.privateJwk, clientPublicKeySetUrl: auth.jku }),
      })
      .catch(() => {
        // fhirclient re-reads the EHR's configuration; a failure there is the EHR's, not ours.
        throw new DomainError('SMART.EHR_UNAVAILABLE', 'The EHR did not answer; please try again shortly.');
      });
    if (typeof authorizeUrl !== 'string' || !authorizeUrl.startsWith(`${config.authorization_endpoint}?`)) {
      throw new DomainError('SMART.LAUNCH_INVALID', 'The EHR did not offer an authorization endpoint.');
    }
    const nonce = randomBytes(16).toString('base64url');
    const stateKey = String(await storage.get('SMART_KEY'));
    const extras: LaunchExtras = { registrationId: registration.id, iss: base, workflow, nonce };
    await storage.set(`extras:${stateKey}`, extras);
    await this.audit.record({ action: 'smart.launch', outcome: 'success', resourceType: 'EhrRegistration', resourceId: registration.id, requestId, detail: { workflow, ehrLaunch: launch !== undefined } });
    return { redirectUrl: `${authorizeUrl}&nonce=${nonce}`, binding };
  }

  private workflow(value: unknown, ehrLaunch: boolean): Workflow {
    if (ehrLaunch) return 'ehr';
    if (value === undefined) return 'coordinator';
    if (typeof value === 'string' && (WORKFLOWS as readonly string[]).includes(value) && value !== 'ehr') return value as Workflow;
    throw new DomainError('SMART.LAUNCH_INVALID', `workflow must be one of ${WORKFLOWS.filter((w) => w !== 'ehr').join(', ')}.`);
  }
}
