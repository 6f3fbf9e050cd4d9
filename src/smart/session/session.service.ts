import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { IsNull, type EntityManager, type Repository } from 'typeorm';
import type { SessionUser } from '../../common/auth/session-user.js';
import { securityConfig, type SecurityConfig } from '../../config/security.config.js';
import { TokenCipher } from '../crypto/token-cipher.js';
import { EhrRegistration } from '../registry/ehr-registration.entity.js';
import { AppUser } from '../users/app-user.entity.js';
import { AppSession } from './app-session.entity.js';

/** fhirclient's client state as we keep it: endpoints and the token response, never the client's secrets. */
export interface StoredSmartState {
  serverUrl: string;
  clientId: string;
  tokenUri: string;
  redirectUri: string;
  scope: string;
  expiresAt?: number;
  tokenResponse: { access_token?: string; refresh_token?: string; id_token?: string; expires_in?: number; scope?: string; [k: string]: unknown };
  [k: string]: unknown;
}

export interface NewSession {
  user: AppUser;
  registration: EhrRegistration;
  /** The FHIR base of this session (differs from the registration's issuer for wildcard registrations). */
  fhirBase: string;
  patientId: string | null;
  encounterId: string | null;
  needPatientBanner: boolean;
  smartStyleUrl: string | null;
  fhirContext: Record<string, unknown>[] | null;
  state: StoredSmartState;
}

export interface LoadedSession {
  row: AppSession;
  user: SessionUser;
}

const hashId = (id: string) => createHash('sha256').update(id).digest('hex');

@Injectable()
export class SessionService {
  constructor(
    @InjectRepository(AppSession) private readonly sessions: Repository<AppSession>,
    private readonly cipher: TokenCipher,
    @Inject(securityConfig.KEY) private readonly security: SecurityConfig,
  ) {}

  /** Opens a session and returns the cookie value (shown to the browser once, stored only as a hash). */
  async open(s: NewSession): Promise<string> {
    const id = randomBytes(32).toString('base64url');
    await this.sessions.insert({
      idHash: hashId(id),
      userId: s.user.id,
      registrationId: s.registration.id,
      fhirBase: s.fhirBase,
      patientId: s.patientId,
      encounterId: s.encounterId,
      needPatientBanner: s.needPatientBanner,
      smartStyleUrl: s.smartStyleUrl,
      fhirContext: s.fhirContext as never,
      csrfToken: randomBytes(24).toString('base64url'),
      tokensEnc: this.cipher.encryptJson(s.state),
      accessExpiresAt: s.state.expiresAt ? new Date(s.state.expiresAt * 1000) : null,
      expiresAt: new Date(Date.now() + this.security.sessionTtlMinutes * 60_000),
    });
    return id;
  }

  /** The live session behind a cookie value, with its user; null when unknown, revoked or past its lifetime. */
  async load(cookieValue: string | undefined): Promise<LoadedSession | null> {
    if (!cookieValue || cookieValue.length > 100) return null;
    return this.loadByHash(hashId(cookieValue));
  }

  /** The live session stored under this id hash (work without a browser: delivery with a user's token). */
  async loadByHash(idHash: string): Promise<LoadedSession | null> {
    const row = await this.sessions.findOne({ where: { idHash, revokedAt: IsNull() }, relations: { user: true, registration: true } });
    if (!row || !row.user || !row.registration || row.expiresAt.getTime() < Date.now() || !row.registration.enabled) return null;
    return {
      row,
      user: {
        sessionId: row.idHash,
        userId: row.userId,
        registrationId: row.registrationId,
        issuer: row.fhirBase,
        fhirUser: row.user.fhirUser,
        role: row.user.role,
        displayName: row.user.displayName,
        // Quality and admin never hold a patient, whatever the session was opened with.
        patientId: row.user.role === 'quality' || row.user.role === 'admin' ? null : row.patientId,
        encounterId: row.encounterId,
        needPatientBanner: row.needPatientBanner,
        smartStyleUrl: row.smartStyleUrl,
        csrfToken: row.csrfToken,
      },
    };
  }

  state(row: AppSession): StoredSmartState {
    return this.cipher.decryptJson<StoredSmartState>(row.tokensEnc);
  }

  async saveState(row: AppSession, state: StoredSmartState): Promise<void> {
    row.tokensEnc = this.cipher.encryptJson(state);
    row.accessExpiresAt = state.expiresAt ? new Date(state.expiresAt * 1000) : null;
    await this.sessions.update({ idHash: row.idHash }, { tokensEnc: row.tokensEnc, accessExpiresAt: row.accessExpiresAt });
  }

  async revoke(sessionId: string): Promise<void> {
    await this.sessions.update({ idHash: sessionId }, { revokedAt: new Date() });
  }

  /** Ends every open session of a user (their role changed); answers how many were open. */
  async revokeAllOf(userId: string, manager?: EntityManager): Promise<number> {
    const repo = manager ? manager.getRepository(AppSession) : this.sessions;
    const result = await repo
      .createQueryBuilder()
      .update()
      .set({ revokedAt: () => 'now()' })
      .where('user_id = :userId AND revoked_at IS NULL AND expires_at > now()', { userId })
      .execute();
    return result.affected ?? 0;
  }

  static csrfMatches(expected: string, given: unknown): boolean {
    if (typeof given !== 'string') return false;
    // Compare bytes, not characters: a non-ASCII token of the right length has more bytes (timingSafeEqual throws).
    const a = Buffer.from(given);
    const b = Buffer.from(expected);
    return a.length === b.length && timingSafeEqual(a, b);
  }
}
