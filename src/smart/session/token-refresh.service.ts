import { Inject, Injectable } from '@nestjs/common';
import { AuditService } from '../../audit/audit.service.js';
import { DomainError } from '../../common/errors/domain-error.js';
import { fhirConfig, type FhirConfig } from '../../config/fhir.config.js';
import { ClientAuthService } from '../backend/client-auth.service.js';
import { TokenEndpointError, tokenRequest } from '../backend/token-client.js';
import { RegistryService } from '../registry/registry.service.js';
import { SessionService, type LoadedSession } from './session.service.js';

const EARLY_MS = 30_000;
export const RELAUNCH_MESSAGE = 'Your EHR session has ended. Please relaunch the app from your EHR.';

/** The access token expires within EARLY_MS (or already has). */
function due(s: LoadedSession): boolean {
  const exp = s.row.accessExpiresAt;
  return !!exp && exp.getTime() - EARLY_MS <= Date.now();
}

/** Keeps a session's access token fresh with its refresh token; a session that cannot be refreshed ends. */
@Injectable()
export class TokenRefreshService {
  private inFlight = new Map<string, Promise<void>>();

  constructor(
    private readonly sessions: SessionService,
    private readonly registry: RegistryService,
    private readonly clientAuth: ClientAuthService,
    private readonly audit: AuditService,
    @Inject(fhirConfig.KEY) private readonly fhir: FhirConfig,
  ) {}

  /**
   * `keepSession`: work without the browser (write-back with the user's token) must never end the user's
   * session — it may hold a stale refresh token the browser has just rotated — so a refusal only fails the work.
   */
  async ensureFresh(s: LoadedSession, requestId?: string, o: { keepSession?: boolean } = {}): Promise<void> {
    if (!due(s)) return;
    // Parallel requests of one browser share one refresh (refresh tokens may rotate).
    let task = this.inFlight.get(s.row.idHash);
    if (!task) {
      task = (async () => {
        // The session may come from the session cache, seconds old: read it again, so that a token another request or
        // instance has just refreshed (and a refresh token it has rotated) is not refreshed a second time.
        const current = await this.sessions.loadByHash(s.row.idHash);
        if (!current) throw new DomainError('AUTH.SESSION_EXPIRED', RELAUNCH_MESSAGE);
        if (due(current)) await this.refresh(current, requestId, o.keepSession === true);
      })().finally(() => this.inFlight.delete(s.row.idHash));
      this.inFlight.set(s.row.idHash, task);
    }
    await task;
    // The caller goes on with the token as it now stands (write-back with a user's token reads it from `s`).
    const after = await this.sessions.loadByHash(s.row.idHash);
    if (!after) throw new DomainError('AUTH.SESSION_EXPIRED', RELAUNCH_MESSAGE);
    s.row.tokensEnc = after.row.tokensEnc;
    s.row.accessExpiresAt = after.row.accessExpiresAt;
  }

  /**
   * The EHR answered 401 to `rejected`, a token it announced as still valid: it was revoked early. Refresh once —
   * sharing a refresh already under way, and not at all when another request has already replaced the token — and
   * answer the access token to retry with. A refusal ends the session (AUTH.SESSION_EXPIRED).
   */
  async renewRejected(idHash: string, rejected: string, requestId?: string): Promise<string> {
    let task = this.inFlight.get(idHash);
    if (!task) {
      task = (async () => {
        // Read inside the shared task: a refresh finished a moment ago has already saved its token (and a rotated
        // refresh token that a second refresh must not spend again).
        const s = await this.sessions.loadByHash(idHash);
        if (s && this.sessions.state(s.row).tokenResponse.access_token === rejected) await this.refresh(s, requestId, false, 'ehr-401');
      })().finally(() => this.inFlight.delete(idHash));
      this.inFlight.set(idHash, task);
    }
    await task;
    const after = await this.sessions.loadByHash(idHash);
    const token = after ? this.sessions.state(after.row).tokenResponse.access_token : undefined;
    if (!token || token === rejected) throw new DomainError('AUTH.SESSION_EXPIRED', RELAUNCH_MESSAGE);
    return token;
  }

  private async refresh(s: LoadedSession, requestId: string | undefined, keepSession: boolean, trigger?: 'ehr-401'): Promise<void> {
    const state = this.sessions.state(s.row);
    const refreshToken = state.tokenResponse.refresh_token;
    const who = { actor: s.user.fhirUser, actorRole: s.user.role, requestId, resourceType: 'AppSession' };
    try {
      if (!refreshToken) throw new Error('no-refresh-token');
      const registration = await this.registry.get(s.row.registrationId);
      const res = await tokenRequest(state.tokenUri, { grant_type: 'refresh_token', refresh_token: refreshToken }, await this.clientAuth.forRegistration(registration), this.fhir.requestTimeoutMs);
      state.tokenResponse = { ...state.tokenResponse, ...res };
      state.expiresAt = Math.floor(Date.now() / 1000) + (res.expires_in ?? 300);
      await this.sessions.saveState(s.row, state);
      await this.audit.record({ ...who, action: 'smart.token-refresh', outcome: 'success', ...(trigger ? { detail: { trigger } } : {}) });
    } catch (err) {
      const refused = (err instanceof TokenEndpointError && err.status < 500) || (err as Error).message === 'no-refresh-token';
      if (!refused) {
        // The EHR did not answer: keep the session (another instance may hold the rotated token) and say so.
        await this.audit.record({ ...who, action: 'smart.token-refresh', outcome: 'failure', detail: { reason: 'ehr-unavailable' } });
        throw new DomainError('SMART.EHR_UNAVAILABLE', 'The EHR did not answer; please try again shortly.');
      }
      if (!keepSession) await this.sessions.revoke(s.row.idHash);
      await this.audit.record({ ...who, action: 'smart.token-refresh', outcome: 'failure', detail: { reason: (err as Error).message === 'no-refresh-token' ? 'no-refresh-token' : (err as Error).name } });
      throw new DomainError('AUTH.SESSION_EXPIRED', RELAUNCH_MESSAGE);
    }
  }
}
