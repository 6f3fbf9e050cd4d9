import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { EntityManager, Repository } from 'typeorm';
import type { SessionUser } from '../../common/auth/session-user.js';
import { securityConfig, type SecurityConfig } from '../../config/security.config.js';
import { TokenCipher } from '../crypto/token-cipher.js';
import { EhrRegistration } from '../registry/ehr-registration.entity.js';
import { RegistryService } from '../registry/registry.service.js';
import { AppUser } from '../users/app-user.entity.js';
import { AppSession } from './app-session.entity.js';
import { SessionCache } from './session-cache.js';

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

const fail = (entity: string, property: string): never => {
  throw new Error(`${entity} has no column for ${property}`);
};

const hashId = (id: string) => createHash('sha256').update(id).digest('hex');

/**
 * How long a looked-up session is reused without reading the database again, and how many are kept. A change made
 * on this instance (logout, role change, failed refresh, registration change) applies at once; one made by another
 * instance (or directly in the database) within this lifetime.
 */
export const SESSION_CACHE_TTL_MS = 5_000;
const SESSION_CACHE_MAX = 10_000;

@Injectable()
export class SessionService implements OnModuleInit {
  private readonly cache = new SessionCache<LoadedSession>(SESSION_CACHE_TTL_MS, SESSION_CACHE_MAX);
  private lookup: string | undefined;

  constructor(
    @InjectRepository(AppSession) private readonly sessions: Repository<AppSession>,
    private readonly cipher: TokenCipher,
    private readonly registry: RegistryService,
    @Inject(securityConfig.KEY) private readonly security: SecurityConfig,
  ) {}

  /**
   * The session lookup as one statement, built once from the entities' metadata (so its columns cannot drift from
   * them), each session column under its property name, with the user's and registration's fields this needs.
   * Written out rather than TypeORM's query builder: on every request past the cache's lifetime, the builder's two
   * joins cost 0.3–0.6 ms of CPU to build and map, the statement itself about 0.1 ms (README, Benchmarks).
   */
  private lookupSql(): string {
    if (this.lookup) return this.lookup;
    const meta = this.sessions.metadata;
    // Each column is copied as the driver parsed it: one TypeORM would map otherwise must be mapped here first.
    const odd = meta.columns.find((c) => c.isVirtual || c.embeddedMetadata || c.transformer || !c.isSelect);
    if (odd) throw new Error(`AppSession.${odd.propertyName} is not a plain column: map it in SessionService.loadByHash`);
    const columns = meta.columns.map((c) => `s."${c.databaseName}" AS "${c.propertyName}"`);
    const user = this.sessions.manager.connection.getMetadata(AppUser);
    const registration = this.sessions.manager.connection.getMetadata(EhrRegistration);
    const table = (m: typeof meta) => m.tablePath.split('.').map((part) => `"${part}"`).join('.');
    const column = (m: typeof meta, property: string) => `"${(m.findColumnWithPropertyName(property) ?? fail(m.name, property)).databaseName}"`;
    this.lookup = `SELECT ${columns.join(', ')}, u.${column(user, 'fhirUser')} AS "$fhirUser", u.${column(user, 'role')} AS "$role",
        u.${column(user, 'displayName')} AS "$displayName", r.${column(registration, 'enabled')} AS "$enabled"
      FROM ${table(meta)} s
      JOIN ${table(user)} u ON u.${column(user, 'id')} = s.${column(meta, 'userId')}
      JOIN ${table(registration)} r ON r.${column(registration, 'id')} = s.${column(meta, 'registrationId')}
      WHERE s.${column(meta, 'idHash')} = $1 AND s.${column(meta, 'revokedAt')} IS NULL`;
    return this.lookup;
  }

  /** Built at start: a column the lookup cannot map fails the boot, not every signed-in request. */
  onModuleInit(): void {
    this.lookupSql();
  }

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

  /**
   * The live session behind a cookie value, with its user; null when unknown, revoked or past its lifetime. Served
   * from the session cache for up to SESSION_CACHE_TTL_MS: its tokens may be that old (TokenRefreshService reads
   * the row again before it refreshes).
   */
  async load(cookieValue: string | undefined): Promise<LoadedSession | null> {
    if (!cookieValue || cookieValue.length > 100) return null;
    const idHash = hashId(cookieValue);
    const now = Date.now();
    const generation = this.registry.generation;
    const hit = this.cache.get(idHash, now, generation);
    if (hit) return hit.row.expiresAt.getTime() < now ? null : hit;
    const begun = this.cache.begin();
    const loaded = await this.loadByHash(idHash);
    if (loaded) this.cache.set(idHash, loaded.row.userId, loaded, now, generation, begun);
    return loaded;
  }

  /** The live session stored under this id hash, read from the database (one indexed query, never the cache). */
  async loadByHash(idHash: string): Promise<LoadedSession | null> {
    const [found] = (await this.sessions.query(this.lookupSql(), [idHash])) as Record<string, unknown>[];
    if (!found) return null;
    const row = this.sessions.create();
    // The session's own columns only: its relations (user, registration) stay unloaded, never half-filled entities.
    for (const [property, value] of Object.entries(found)) if (!property.startsWith('$')) (row as unknown as Record<string, unknown>)[property] = value;
    if (row.expiresAt.getTime() < Date.now() || found.$enabled !== true) return null;
    const person = { fhirUser: found.$fhirUser as string, role: found.$role as AppUser['role'], displayName: found.$displayName as AppUser['displayName'] };
    return {
      row,
      // Frozen: the cache hands the same object to concurrent requests.
      user: Object.freeze({
        sessionId: row.idHash,
        userId: row.userId,
        registrationId: row.registrationId,
        issuer: row.fhirBase,
        fhirUser: person.fhirUser,
        role: person.role,
        displayName: person.displayName,
        // Quality and admin never hold a patient, whatever the session was opened with.
        patientId: person.role === 'quality' || person.role === 'admin' ? null : row.patientId,
        encounterId: row.encounterId,
        needPatientBanner: row.needPatientBanner,
        smartStyleUrl: row.smartStyleUrl,
        csrfToken: row.csrfToken,
      }),
    };
  }

  state(row: AppSession): StoredSmartState {
    return this.cipher.decryptJson<StoredSmartState>(row.tokensEnc);
  }

  async saveState(row: AppSession, state: StoredSmartState): Promise<void> {
    row.tokensEnc = this.cipher.encryptJson(state);
    row.accessExpiresAt = state.expiresAt ? new Date(state.expiresAt * 1000) : null;
    await this.sessions.update({ idHash: row.idHash }, { tokensEnc: row.tokensEnc, accessExpiresAt: row.accessExpiresAt });
    this.cache.forget(row.idHash);
  }

  async revoke(sessionId: string): Promise<void> {
    await this.sessions.update({ idHash: sessionId }, { revokedAt: new Date() });
    this.cache.forget(sessionId);
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
    this.forgetUser(userId);
    return result.affected ?? 0;
  }

  /**
   * Drops a user's sessions from the cache. `revokeAllOf` does it at once; a caller whose transaction commits the
   * revocation later calls it again after the commit, so that no request in between caches the session anew.
   */
  forgetUser(userId: string): void {
    this.cache.forgetOwner(userId);
  }

  /** Forgets every cached session: what was changed directly in the database is read again at the next request. */
  forgetAll(): void {
    this.cache.clear();
  }

  static csrfMatches(expected: string, given: unknown): boolean {
    if (typeof given !== 'string') return false;
    // Compare bytes, not characters: a non-ASCII token of the right length has more bytes (timingSafeEqual throws).
    const a = Buffer.from(given);
    const b = Buffer.from(expected);
    return a.length === b.length && timingSafeEqual(a, b);
  }
}
