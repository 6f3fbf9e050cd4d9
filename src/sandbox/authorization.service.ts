import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, MoreThan, type Repository } from 'typeorm';
import { isUuid } from '../common/uuid.js';
import { SandboxError } from './sandbox-errors.js';
import { httpConfig, type HttpConfig } from '../config/http.config.js';
import { newSecret, sha256 } from './hashing.js';
import { OAuthError } from './oauth-error.js';
import { isValidS256Challenge, verifyPkce } from './pkce.js';
import { SandboxClients } from './sandbox-clients.service.js';
import { SandboxAuthorization, SandboxLaunch, SandboxToken } from './sandbox-grant.entity.js';
import { sandboxUrls } from './sandbox-urls.js';
import { parseScopes } from './scopes.js';

export const CODE_TTL_MS = 60_000;
/** How long a standalone sign-in page may stay open before its request lapses. */
const PENDING_TTL_MS = 10 * 60_000;

export type AuthorizeResult = { kind: 'redirect'; location: string } | { kind: 'consent'; request: SandboxAuthorization };

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** Adds parameters to a registered redirect URI, keeping any query it already has. */
export function redirectWith(uri: string, params: Record<string, string | undefined>): string {
  const url = new URL(uri);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v);
  return url.toString();
}

/** The authorization endpoint's logic: validate, approve EHR launches at once, issue single-use codes. */
@Injectable()
export class AuthorizationService {
  private readonly issuer: string;

  constructor(
    @InjectRepository(SandboxAuthorization) private readonly auths: Repository<SandboxAuthorization>,
    @InjectRepository(SandboxLaunch) private readonly launches: Repository<SandboxLaunch>,
    @InjectRepository(SandboxToken) private readonly tokens: Repository<SandboxToken>,
    private readonly clients: SandboxClients,
    @Inject(httpConfig.KEY) http: HttpConfig,
  ) {
    this.issuer = sandboxUrls(http.publicUrl).issuer;
  }

  /** Until client and redirect URI are known good, errors are pages (no redirect to an unvetted URI). */
  async begin(q: Record<string, unknown>): Promise<AuthorizeResult> {
    const client = await this.clients.find(q.client_id);
    if (!client) throw new SandboxError('SANDBOX.UNKNOWN_CLIENT', 'Unknown client_id.');
    const redirectUri = str(q.redirect_uri);
    if (!redirectUri || !client.redirectUris.includes(redirectUri)) {
      throw new SandboxError('SANDBOX.REDIRECT_URI_MISMATCH', 'redirect_uri is not registered for this client.');
    }
    const state = str(q.state);
    try {
      if (q.response_type !== 'code') throw new OAuthError('unsupported_response_type', 'response_type must be code.');
      if (!state) throw new OAuthError('invalid_request', 'state is required.');
      if (q.code_challenge_method !== 'S256' || !isValidS256Challenge(q.code_challenge)) {
        throw new OAuthError('invalid_request', 'PKCE is required: code_challenge with code_challenge_method=S256.');
      }
      if (str(q.aud)?.replace(/\/+$/, '') !== this.issuer) throw new OAuthError('invalid_request', 'aud must be the FHIR base URL of this EHR.');
      const scope = parseScopes(str(q.scope)).granted.join(' ');
      if (!scope) throw new OAuthError('invalid_scope', 'No scope this EHR understands was requested.');
      const base = { clientId: client.clientId, redirectUri, state, scope, codeChallenge: q.code_challenge as string, nonce: str(q.nonce) ?? null };
      const launch = str(q.launch);
      if (!launch) {
        const pending = await this.auths.save(this.auths.create({ ...base, ehrLaunch: false, expiresAt: new Date(Date.now() + PENDING_TTL_MS) }));
        return { kind: 'consent', request: pending };
      }
      // EHR launch: the EHR already knows who and for whom, so it approves without a page.
      const { userRef, patientId, encounterId, fhirContext } = await this.consumeLaunch(launch);
      const code = newSecret();
      const expiresAt = new Date(Date.now() + CODE_TTL_MS);
      await this.auths.insert({ ...base, ehrLaunch: true, userRef, patientId, encounterId, fhirContext: fhirContext as never, codeHash: sha256(code), expiresAt });
      return { kind: 'redirect', location: redirectWith(redirectUri, { code, state }) };
    } catch (e) {
      if (!(e instanceof OAuthError)) throw e;
      return { kind: 'redirect', location: redirectWith(redirectUri, { error: e.error, error_description: e.description, state }) };
    }
  }

  /** A launch id is single-use and short-lived; the id is stored hashed like every other credential. */
  private async consumeLaunch(launch: string): Promise<SandboxLaunch> {
    const id = sha256(launch);
    const now = new Date();
    const taken = await this.launches.update({ id, usedAt: IsNull(), expiresAt: MoreThan(now) }, { usedAt: now });
    const ctx = taken.affected ? await this.launches.findOneBy({ id }) : null;
    if (!ctx) throw new OAuthError('invalid_request', 'The launch is unknown, expired or already used.');
    return ctx;
  }

  /** Finishes a standalone sign-in: the chosen user and patient become the code's context. */
  async approve(requestId: string, userRef: string, patientId: string | null): Promise<string> {
    const req = await this.pending(requestId);
    const code = newSecret();
    const done = await this.auths.update(
      { id: req.id, codeHash: IsNull(), usedAt: IsNull() },
      { userRef, patientId, codeHash: sha256(code), expiresAt: new Date(Date.now() + CODE_TTL_MS) },
    );
    if (!done.affected) throw new SandboxError('SANDBOX.AUTHORIZE_REQUEST_INVALID', 'This sign-in request was already answered.');
    return redirectWith(req.redirectUri, { code, state: req.state });
  }

  async deny(requestId: string): Promise<string> {
    const req = await this.pending(requestId);
    await this.auths.update({ id: req.id }, { usedAt: new Date() });
    return redirectWith(req.redirectUri, { error: 'access_denied', error_description: 'The user declined.', state: req.state });
  }

  /** A standalone request still waiting for its sign-in page. */
  async pending(requestId: unknown): Promise<SandboxAuthorization> {
    const id = isUuid(requestId) ? requestId : undefined;
    const req = id ? await this.auths.findOneBy({ id, ehrLaunch: false, codeHash: IsNull(), usedAt: IsNull(), expiresAt: MoreThan(new Date()) }) : null;
    if (!req) throw new SandboxError('SANDBOX.AUTHORIZE_REQUEST_INVALID', 'This sign-in request is unknown or has expired; start again from the app.');
    return req;
  }

  /**
   * Redeems a code exactly once (an atomic update claims it). A second redemption fails and revokes the
   * tokens the first one got, as RFC 6749 §4.1.2 recommends for a replayed code.
   */
  async redeem(code: unknown, clientId: string, redirectUri: unknown, verifier: unknown): Promise<SandboxAuthorization> {
    if (typeof code !== 'string' || !code) throw new OAuthError('invalid_request', 'code is required.');
    const codeHash = sha256(code);
    const now = new Date();
    const claimed = await this.auths.update({ codeHash, usedAt: IsNull() }, { usedAt: now });
    const row = await this.auths.findOneBy({ codeHash });
    if (!row) throw new OAuthError('invalid_grant', 'Unknown authorization code.');
    if (!claimed.affected) {
      await this.tokens.update({ authorizationId: row.id, revokedAt: IsNull() }, { revokedAt: now });
      throw new OAuthError('invalid_grant', 'The authorization code was already used.');
    }
    if (row.expiresAt <= now) throw new OAuthError('invalid_grant', 'The authorization code has expired.');
    if (row.clientId !== clientId) throw new OAuthError('invalid_grant', 'The code was issued to another client.');
    if (row.redirectUri !== redirectUri) throw new OAuthError('invalid_grant', 'redirect_uri does not match the authorization request.');
    if (!verifyPkce(verifier, row.codeChallenge)) throw new OAuthError('invalid_grant', 'The PKCE code_verifier does not match.');
    return row;
  }
}
