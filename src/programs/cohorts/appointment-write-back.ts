import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { In, type EntityManager } from 'typeorm';
import { transactionBundle, type WriteBackEntry } from '../../fhir/write-back.fhir.js';
import type { AttendanceStatus } from '../attendance/attendance.entity.js';
import { CatalogueService } from '../catalogue/catalogue.service.js';
import { Enrolment } from '../enrolments/enrolment.entity.js';
import type { Actor } from '../shared/actor.js';
import { writeBackIds } from '../../fhir/identifiers.js';
import { outboxKey } from '../../fhir/outbox-keys.js';
import { OutboxService } from '../../fhir/outbox.service.js';
import { logicalRef, ref } from '../../fhir/references.js';
import { appointmentOf, type SessionPerson } from './appointment.fhir.js';
import { Cohort } from './cohort.entity.js';
import { ProgramSession, type SessionStatus } from './program-session.entity.js';

/**
 * Who appears on a session's Appointment: everyone whose attendance was recorded for it, plus, while it is
 * not yet held, every active participant. So a withdrawal drops someone from future sessions only, and a
 * later enrolment does not appear on sessions already held.
 */
const PEOPLE = `
  SELECT p.person, p.role, a.status AS attendance
  FROM enrolment_participant p
  LEFT JOIN attendance a ON a.participant_id = p.id AND a.session_id = $1
  WHERE (p.cohort_id = $2 OR p.enrolment_id = $3) AND (a.id IS NOT NULL OR (p.ended_at IS NULL AND $4::boolean))
  ORDER BY p.created_at, p.role DESC, p.person`;

/** A session whose attendance was recorded (see heldStatus). */
const HELD: SessionStatus[] = ['fulfilled', 'noshow'];

/**
 * Enqueues the Appointments of changed sessions, all of one cohort (or one individual enrolment), as one
 * Bundle: created on their first write, updated (full replacement) after. A cohort's Appointments are shared
 * by several patients, so they are ordered under the cohort's own outbox key; individual sessions under the
 * patient's.
 */
@Injectable()
export class AppointmentWriteBack {
  constructor(
    private readonly catalogue: CatalogueService,
    private readonly outbox: OutboxService,
  ) {}

  async enqueue(m: EntityManager, sessions: ProgramSession[], kind: string, actor: Actor): Promise<void> {
    if (!sessions.length) return;
    const owner = sessions[0].cohortId ?? sessions[0].enrolmentId!;
    if (sessions.some((s) => (s.cohortId ?? s.enrolmentId) !== owner)) throw new Error('Sessions of one write must share their cohort or enrolment');
    const ctx = await this.context(m, sessions[0]);
    const entries: WriteBackEntry[] = [];
    for (const s of sessions) {
      s.revision += 1;
      await m.getRepository(ProgramSession).save(s);
      const people: SessionPerson[] = await m.query(PEOPLE, [s.id, s.cohortId, s.enrolmentId, s.status === 'booked' || s.status === 'cancelled']);
      entries.push({
        resource: appointmentOf({ ...s, ...ctx.facts, people: people.map((p) => ({ ...p, attendance: p.attendance as AttendanceStatus | null })) }),
        businessIdentifier: writeBackIds.appointment(s.id),
        mode: s.revision === 1 ? 'create' : 'update',
      });
    }
    const digest = createHash('sha256').update(sessions.map((s) => `${s.id}@${s.revision}`).join(',')).digest('hex').slice(0, 24);
    const bundle = transactionBundle(entries, { agent: ref(actor.user.fhirUser), recorded: new Date() });
    await this.outbox.enqueue(m, { registrationId: ctx.registrationId, patientKey: ctx.key, kind, businessKey: `${kind}:${owner}:${digest}`, bundle });
  }

  /**
   * Someone joined or left an enrolment's sessions (its cohort's, or its own individual ones). Those still to be held
   * list the participants on their Appointment: written again. A held one's lists only whom attendance was recorded
   * for, so it is not; but whom its attendance may be recorded for changed, so its revision (the ETag of its
   * attendance, see precondition.ts) moves all the same: a grid read before is refused (412) and reads the roster again.
   */
  async rosterChanged(m: EntityManager, e: Pick<Enrolment, 'id' | 'cohortId'>, actor: Actor): Promise<void> {
    const owner = e.cohortId ? { cohortId: e.cohortId } : { enrolmentId: e.id };
    const repo = m.getRepository(ProgramSession);
    await this.enqueue(m, await repo.find({ where: { ...owner, status: 'booked' }, order: { sequence: 'ASC' } }), 'session.participants', actor);
    await repo.increment({ ...owner, status: In(HELD) }, 'revision', 1);
  }

  /** Where a session belongs: its EHR, its outbox key, and what its Appointment says about the program. */
  async context(m: EntityManager, s: ProgramSession) {
    if (s.cohortId) {
      const cohort = await m.getRepository(Cohort).findOneByOrFail({ id: s.cohortId });
      const { version } = await this.catalogue.versionById(m, cohort.programVersionId);
      return { registrationId: cohort.registrationId, key: outboxKey.cohort(cohort.id), facts: { programTitle: version.title, sessionCount: version.sessionCount } };
    }
    const enrolment = await m.getRepository(Enrolment).findOneByOrFail({ id: s.enrolmentId! });
    const { version } = await this.catalogue.versionById(m, enrolment.programVersionId);
    return {
      registrationId: enrolment.registrationId,
      key: outboxKey.patient(enrolment.patientId),
      facts: { programTitle: version.title, sessionCount: version.sessionCount, basedOn: logicalRef('ServiceRequest', writeBackIds.serviceRequest(enrolment.referralId)) },
    };
  }
}
