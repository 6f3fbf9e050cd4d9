import { Injectable } from '@nestjs/common';
import { DataSource, LessThan, MoreThan, Not, type EntityManager } from 'typeorm';
import { isoWithOffset } from './zoned-time.js';
import { AuditService } from '../../audit/audit.service.js';
import { assertCanAccessPatient } from '../../common/auth/patient-access.js';
import { DomainError } from '../../common/errors/domain-error.js';
import { CatalogueService } from '../catalogue/catalogue.service.js';
import { Enrolment } from '../enrolments/enrolment.entity.js';
import { holdsSeat } from '../referrals/journey.rules.js';
import { Referral } from '../referrals/referral.entity.js';
import { audited, type Actor } from '../shared/actor.js';
import { isUuid } from '../../common/uuid.js';
import { found, notFound } from '../shared/lookup.js';
import { assertCurrent } from '../shared/precondition.js';
import { AppointmentWriteBack } from './appointment-write-back.js';
import { Cohort } from './cohort.entity.js';
import type { BookingInput, SessionPatch } from './cohort.schema.js';
import { sessionView } from './cohort.views.js';
import { ProgramSession } from './program-session.entity.js';

/** One session at a time: move, re-assign or cancel it; book individual sessions. Each change updates its Appointment. */
@Injectable()
export class SessionsService {
  constructor(
    private readonly ds: DataSource,
    private readonly catalogue: CatalogueService,
    private readonly appointments: AppointmentWriteBack,
    private readonly audit: AuditService,
  ) {}

  /** `expected`: the revisions the caller read (If-Match); a session changed since is refused (412) under its lock. */
  async update(id: string, patch: SessionPatch, actor: Actor, expected?: string[]) {
    return this.ds.transaction(async (m) => {
      const s = await lockSession(m, id, actor);
      assertCurrent(s.revision, expected, 'This session');
      if (s.status !== 'booked') throw new DomainError('PROGRAMS.SESSION_CLOSED', `This session is ${s.status}; only a booked session can change.`);
      const was = { startsAt: s.startsAt.getTime(), endsAt: s.endsAt.getTime(), facilitator: s.facilitator, status: s.status };
      const minutes = patch.durationMinutes ?? Math.round((s.endsAt.getTime() - s.startsAt.getTime()) / 60_000);
      if (patch.startsAt) s.startsAt = new Date(patch.startsAt);
      s.endsAt = new Date(s.startsAt.getTime() + minutes * 60_000);
      // An individual session moved onto another of its enrolment's (under the enrolment's lock, as a booking).
      if (s.enrolmentId && patch.status !== 'cancelled' && (patch.startsAt || patch.durationMinutes)) await assertNoOverlap(m, s.enrolmentId, s.startsAt, s.endsAt, s.id);
      if (patch.facilitator) s.facilitator = patch.facilitator;
      if (patch.status === 'cancelled') {
        s.status = 'cancelled';
        s.cancelReason = patch.cancelReason ?? null;
      }
      // A change to what it already is (a repeated request, a form sent unchanged) writes nothing: no Appointment
      // update for the EHR, and no new revision to refuse a colleague's next change for.
      if (s.startsAt.getTime() === was.startsAt && s.endsAt.getTime() === was.endsAt && s.facilitator === was.facilitator && s.status === was.status) return sessionView(s);
      await this.appointments.enqueue(m, [s], patch.status === 'cancelled' ? 'session.cancelled' : 'session.changed', actor);
      await this.audit.record({ action: 'session.update', outcome: 'success', ...audited(actor), resourceType: 'Appointment', resourceId: s.id, detail: { changed: Object.keys(patch) } }, m);
      return sessionView(s);
    });
  }

  /** Individual programs: a session booked for one enrolment, with its patient, caregivers and therapist. */
  async book(enrolmentId: string, input: BookingInput, actor: Actor) {
    return this.ds.transaction(async (m) => {
      if (!isUuid(enrolmentId)) throw notFound('enrolment');
      const e = found(await m.getRepository(Enrolment).findOne({ where: { id: enrolmentId, registrationId: actor.user.registrationId }, lock: { mode: 'pessimistic_write' } }), 'enrolment');
      assertCanAccessPatient(actor.user, e.patientId);
      if (e.cohortId) throw new DomainError('PROGRAMS.WRONG_PROGRAM', "A group course's sessions come from its cohort.", [{ message: 'enrolment is in a cohort', expression: 'enrolmentId' }]);
      const { status } = await m.getRepository(Referral).findOneByOrFail({ id: e.referralId });
      if (!holdsSeat(status)) throw new DomainError('PROGRAMS.ILLEGAL_TRANSITION', `Sessions cannot be booked for an enrolment that is ${status}.`, [{ message: `status is '${status}'`, expression: 'status' }]);
      const { version } = await this.catalogue.versionById(m, e.programVersionId);
      const [{ next }] = (await m.query(`SELECT COALESCE(max(sequence), 0) + 1 AS next FROM program_session WHERE enrolment_id = $1`, [e.id])) as { next: number }[];
      const startsAt = new Date(input.startsAt);
      const endsAt = new Date(startsAt.getTime() + (input.durationMinutes ?? version.sessionMinutes) * 60_000);
      const repo = m.getRepository(ProgramSession);
      // Under the enrolment's lock: of a double-clicked or retried booking the first is booked and the second
      // refused here, rather than a second Appointment at the same hour for the patient and the therapist.
      await assertNoOverlap(m, e.id, startsAt, endsAt);
      const s = await repo.save(
        repo.create({
          cohortId: null,
          enrolmentId: e.id,
          sequence: Number(next),
          startsAt,
          endsAt,
          timeZone: input.timeZone,
          facilitator: input.facilitator ?? e.facilitator,
          status: 'booked',
          cancelReason: null,
          revision: 0,
        }),
      );
      await this.appointments.enqueue(m, [s], 'session.booked', actor);
      await this.audit.record({ action: 'session.book', outcome: 'success', ...audited(actor), resourceType: 'Appointment', resourceId: s.id, patientId: e.patientId }, m);
      return sessionView(s);
    });
  }
}

/** Refuses (409 PROGRAMS.DUPLICATE, naming it) a time that overlaps a session of the enrolment that is not cancelled. */
async function assertNoOverlap(m: EntityManager, enrolmentId: string, startsAt: Date, endsAt: Date, except?: string): Promise<void> {
  const clash = await m.getRepository(ProgramSession).findOne({
    where: { enrolmentId, status: Not('cancelled'), startsAt: LessThan(endsAt), endsAt: MoreThan(startsAt), ...(except ? { id: Not(except) } : {}) },
    order: { sequence: 'ASC' },
  });
  if (clash) {
    // The time as the session's own zone reads it (with its offset), not in UTC.
    const message = `Session ${clash.sequence} (${clash.id}) is already booked for this enrolment at ${isoWithOffset(clash.startsAt.getTime(), clash.timeZone)} (${clash.timeZone}); move it or choose another time.`;
    throw new DomainError('PROGRAMS.DUPLICATE', message, [{ message, expression: 'startsAt' }]);
  }
}

/**
 * The caller's session (another EHR's is not found). With `lock`, its owner (cohort, or enrolment for an
 * individual session) is locked before the session itself: every writer of a cohort takes the cohort row
 * first (see lockEnrolment), so concurrent attendance, withdrawals and moves cannot deadlock.
 */
export async function lockSession(m: EntityManager, id: string, actor: Actor, lock = true): Promise<ProgramSession> {
  if (!isUuid(id)) throw notFound('session');
  const peek = found(await m.getRepository(ProgramSession).findOneBy({ id }), 'session');
  const forUpdate = lock ? { lock: { mode: 'pessimistic_write' as const } } : {};
  const registrationId = actor.user.registrationId;
  const owner = peek.cohortId
    ? await m.getRepository(Cohort).findOne({ where: { id: peek.cohortId, registrationId }, ...forUpdate })
    : await m.getRepository(Enrolment).findOne({ where: { id: peek.enrolmentId!, registrationId }, ...forUpdate });
  if (!owner) throw notFound('session');
  if (owner instanceof Enrolment) assertCanAccessPatient(actor.user, owner.patientId);
  return lock ? m.getRepository(ProgramSession).findOneOrFail({ where: { id }, ...forUpdate }) : peek;
}
