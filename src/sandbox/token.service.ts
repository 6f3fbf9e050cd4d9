import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, MoreThan, type Repository } from 'typeorm';
import { httpConfig, type HttpConfig } from '../config/http.config.js';
import { AuthorizationService } from './authorization.service.js';
import { ClientAuthenticator, type FormBody } from './client-auth.service.js';
import { newSecret, sha256 } from './hashing.js';
import { OAuthError } from './oauth-error.js';
import { SandboxControl } from './sandbox-control.js';
import { SandboxToken } from './sandbox-grant.entity.js';
import { SandboxDirectory } from './sandbox-directory.service.js';
import { SandboxKeys } from './sandbox-keys.service.js';
import { sandboxUrls, type SandboxUrls } from './sandbox-urls.js';
import { parseScopes } from './scopes.js';
import { launchContext, type GrantContext, type TokenResponse } from './token-response.js';

const REFRESH_TTL_MS = 30 * 24 * 3600_000;
const ID_TOKEN_TTL_SECONDS = 3600;
const GRANTS = ['authorization_code', 'refresh_token', 'client_credentials'];

/** The token endpoint's grants, and access-token verification for the FHIR API. */
@Injectable()
export class TokenService {
  private readonly urls: SandboxUrls;

  constructor(
    @InjectRepository(SandboxToken) private readonly tokens: Repository<SandboxToken>,
    private readonly authorizations: AuthorizationService,
    private readonly clientAuth: ClientAuthenticator,
    private readonly keys: SandboxKeys,
    private readonly control: SandboxControl,
    private readonly directory: SandboxDirectory,
    @Inject(httpConfig.KEY) http: HttpConfig,
  ) {
    this.urls = sandboxUrls(http.publicUrl);
  }

  async exchange(authorization: string | undefined, body: FormBody): Promise<TokenResponse> {
    if (!GRANTS.includes(String(body.grant_type))) throw new OAuthError('unsupported_grant_type', `grant_type must be one of ${GRANTS.join(', ')}.`);
    const client = await this.clientAuth.authenticate(authorization, body);
    if (body.grant_type === 'authorization_code') {
      const a = await this.authorizations.redeem(body.code, client.clientId, body.redirect_uri, body.code_verifier);
      const ctx = { clientId: a.clientId, scope: a.scope, userRef: a.userRef, patientId: a.patientId, encounterId: a.encounterId, fhirContext: a.fhirContext, authorizationId: a.id };
      return this.issue(ctx, { nonce: a.nonce });
    }
    if (body.grant_type === 'refresh_token') return this.refresh(client.clientId, body);
    if (client.authMethod !== 'private_key_jwt') throw new OAuthError('unauthorized_client', 'client_credentials needs private_key_jwt authentication.');
    const scope = parseScopes(typeof body.scope === 'string' ? body.scope : '').granted.filter((s) => s.startsWith('system/')).join(' ');
    if (!scope) throw new OAuthError('invalid_scope', 'Request system/ scopes for a backend-services token.');
    return this.issue({ clientId: client.clientId, scope, userRef: null, patientId: null, encounterId: null, fhirContext: null, authorizationId: null });
  }

  /** A live access token's grant, or null (unknown, expired, revoked). */
  async verify(accessToken: string): Promise<SandboxToken | null> {
    return this.tokens.findOneBy({ tokenHash: sha256(accessToken), kind: 'access', revokedAt: IsNull(), expiresAt: MoreThan(new Date()) });
  }

  /** Rotation: the presented refresh token is revoked as the new pair is issued; a scope may only narrow. */
  private async refresh(clientId: string, body: FormBody): Promise<TokenResponse> {
    const tokenHash = typeof body.refresh_token === 'string' ? sha256(body.refresh_token) : '';
    const row = tokenHash ? await this.tokens.findOneBy({ tokenHash, kind: 'refresh' }) : null;
    if (!row || row.clientId !== clientId) throw new OAuthError('invalid_grant', 'Unknown refresh token.');
    let scope = row.scope;
    if (typeof body.scope === 'string' && body.scope.trim()) {
      const held = row.scope.split(' ');
      const asked = parseScopes(body.scope).granted;
      if (!asked.length || asked.some((s) => !held.includes(s))) throw new OAuthError('invalid_scope', 'A refresh may only narrow the granted scope.');
      scope = asked.join(' ');
    }
    const now = new Date();
    const taken = await this.tokens.update({ tokenHash, revokedAt: IsNull(), expiresAt: MoreThan(now) }, { revokedAt: now });
    if (!taken.affected) throw new OAuthError('invalid_grant', 'The refresh token has expired or was revoked.');
    return this.issue({ ...row, scope });
  }

  /** `oidc` is given for the code grant only: an id_token is issued at sign-in, not on refresh. */
  private async issue(g: GrantContext, oidc?: { nonce: string | null }): Promise<TokenResponse> {
    const scopes = parseScopes(g.scope);
    const ttl = this.control.state().accessTokenTtlSeconds;
    const now = Date.now();
    const base = { clientId: g.clientId, scope: g.scope, userRef: g.userRef, patientId: g.patientId, encounterId: g.encounterId, fhirContext: g.fhirContext as never, authorizationId: g.authorizationId };
    const accessToken = newSecret();
    await this.tokens.insert({ ...base, tokenHash: sha256(accessToken), kind: 'access', expiresAt: new Date(now + ttl * 1000) });
    let refreshToken: string | undefined;
    if (g.userRef && (scopes.has('offline_access') || scopes.has('online_access'))) {
      refreshToken = newSecret();
      await this.tokens.insert({ ...base, tokenHash: sha256(refreshToken), kind: 'refresh', expiresAt: new Date(now + REFRESH_TTL_MS) });
    }
    const name = oidc && g.userRef ? await this.directory.displayName(g.userRef) : undefined;
    const idToken = oidc && g.userRef && scopes.has('openid')
      ? await this.keys.sign(
          { fhirUser: `${this.urls.issuer}/${g.userRef}`, ...(name ? { name } : {}), ...(oidc.nonce ? { nonce: oidc.nonce } : {}) },
          { issuer: this.urls.issuer, audience: g.clientId, subject: g.userRef, ttlSeconds: ID_TOKEN_TTL_SECONDS },
        )
      : undefined;
    return {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: ttl,
      scope: g.scope,
      ...(refreshToken ? { refresh_token: refreshToken } : {}),
      ...(idToken ? { id_token: idToken } : {}),
      ...launchContext(g, this.urls.style),
    };
  }
}
