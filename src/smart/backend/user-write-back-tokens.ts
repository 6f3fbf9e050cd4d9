import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { DomainError } from '../../common/errors/domain-error.js';
import type { WriteBackWork } from '../../fhir/fhir-connection.js';
import { outboxKey } from '../../fhir/outbox-keys.js';
import { grantsTaskUpdate } from '../../fhir/task-completion.js';
import type { EhrRegistration } from '../registry/ehr-registration.entity.js';
import { AppSession } from '../session/app-session.entity.js';
import { SessionService, type LoadedSession, type StoredSmartState } from '../session/session.service.js';
import { TokenRefreshService } from '../session/token-refresh.service.js';
import { writeBackBase } from './write-back-target.js';

/**
 * Sessions looked at per delivery: those launched for the write's own patient first (a patient-level token fits only
 * them), then the newest; older ones rarely hold a better token.
 */
const CANDIDATES = 10;

/**
 * Write-back with a launching user's own token, for EHRs that offer no backend services
 * (`writeBackAuth: "user"`). The token must fit the work:
 * - it is the author's (the fhirUser whose change it is); for the app's own writes (a safety alert) any
 *   clinician's or coordinator's of this EHR, so an urgent alert is not held back;
 * - it was issued by the write-back base itself (a user token is never sent to another server);
 * - its scopes cover the write: user-level write scopes, or patient-level ones of a launch for this very patient;
 *   for a Task completion (`work.taskUpdate`), Task update too, so a newer session without it never hides an older
 *   one with it.
 * The trade-off (README): a write waits while no such session is live, and goes out at the next launch.
 */
@Injectable()
export class UserWriteBackTokens {
  constructor(
    @InjectRepository(AppSession) private readonly repo: Repository<AppSession>,
    private readonly sessions: SessionService,
    private readonly refresh: TokenRefreshService,
  ) {}

  async connection(r: EhrRegistration, work: WriteBackWork): Promise<{ baseUrl: string; authorization: string; grantedScopes: string }> {
    const baseUrl = writeBackBase(r);
    const q = this.repo
      .createQueryBuilder('s')
      .innerJoin('s.user', 'u')
      .where('s.registration_id = :r AND s.fhir_base = :base AND s.revoked_at IS NULL AND s.expires_at > now()', { r: r.id, base: baseUrl })
      // A clinician who went on to launch for ten other patients still has the launch for this one looked at.
      .orderBy('CASE WHEN s.patient_id = :own THEN 0 ELSE 1 END', 'ASC')
      .addOrderBy('s.created_at', 'DESC')
      .setParameter('own', work.patientKey.startsWith('Patient/') ? work.patientKey.slice('Patient/'.length) : null)
      // limit, not take: the join is to each session's one user (no duplicate rows), and take's two-query paging
      // cannot order by an expression.
      .limit(CANDIDATES);
    if (work.actor) q.andWhere('u.fhir_user = :actor', { actor: work.actor });
    else q.andWhere(`u.role IN ('clinician', 'coordinator')`);
    for (const row of await q.getMany()) {
      const loaded = await this.sessions.loadByHash(row.idHash);
      if (!loaded || !fits(this.sessions, loaded, work)) continue;
      try {
        await this.refresh.ensureFresh(loaded, undefined, { keepSession: true });
      } catch {
        continue;
      }
      const state = this.sessions.state(loaded.row);
      const token = state.tokenResponse.access_token;
      if (token) return { baseUrl, authorization: `Bearer ${token}`, grantedScopes: grantedScopes(state) };
    }
    throw new DomainError('AUTH.SESSION_EXPIRED', 'No live session with a token that fits this change; it is delivered when its author next launches the app.');
  }
}

/** What the EHR granted the session's token (its token response's `scope`, else what was asked). */
function grantedScopes(state: StoredSmartState): string {
  return String(state.tokenResponse.scope ?? state.scope ?? '');
}

/** Scopes granted to the session cover writing this patient's (or a cohort's) resources, and updating a Task if asked. */
export function fits(sessions: SessionService, s: LoadedSession, work: WriteBackWork): boolean {
  const scope = grantedScopes(sessions.state(s.row));
  const granted = scope.split(/\s+/);
  const ownPatient = !!s.row.patientId && work.patientKey === outboxKey.patient(s.row.patientId);
  if (work.taskUpdate) {
    // Task update at user level, or at patient level only from a launch for this very patient (another patient's
    // `patient/Task.u` would be refused by the EHR on every retry).
    const level = (prefix: string) => grantsTaskUpdate(granted.filter((g) => g.startsWith(prefix)).join(' '));
    if (!level('user/') && !(ownPatient && level('patient/'))) return false;
  }
  const writes = (level: string) => granted.some((g) => new RegExp(`^${level}/[A-Za-z*]+\\.(\\*|write|[cruds]*[cu][cruds]*)$`).test(g));
  if (writes('user')) return true;
  return ownPatient && writes('patient');
}
