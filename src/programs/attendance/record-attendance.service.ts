import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '../../audit/audit.service.js';
import { assertCanAccessPatient, canAccessPatient, patientScope } from '../../common/auth/patient-access.js';
import { heldStatus } from '../cohorts/appointment.fhir.js';
import { AppointmentWriteBack } from '../cohorts/appointment-write-back.js';
import type { ProgramSession } from '../cohorts/program-session.entity.js';
import { lockSession } from '../cohorts/sessions.service.js';
import { transition } from '../referrals/journey.rules.js';
import { Referral } from '../referrals/referral.entity.js';
import { lockReferral } from '../referrals/referral.repository.js';
import { audited, type Actor } from '../shared/actor.js';
import { assertCurrent, attendanceTag } from '../shared/precondition.js';
import { writeBackIds } from '../../fhir/identifiers.js';
import { outboxKey } from '../../fhir/outbox-keys.js';
import { OutboxService } from '../../fhir/outbox.service.js';
import { logicalRef, ref } from '../../fhir/references.js';
import { transactionBundle } from '../../fhir/write-back.fhir.js';
import { Attendance, type AttendanceStatus } from './attendance.entity.js';
import { assertRecordable, attendanceByEnrolment, matchParticipants } from './attendance.rules.js';
import type { AttendanceInput } from './attendance.schema.js';
import { encounterOf } from './encounter.fhir.js';
import { activeParticipants, recordedAttendance, type RecordedAttendance } from './session-roster.js';

/**
 * Records a session's attendance (all of it or part), all or nothing. Written back: the session's Appointment
 * (fulfilled when anyone came, else noshow; an excused person as declined) and, per patient who attended, an
 * Encounter (entered-in-error if later corrected to absent). The first attendance makes an enrolment active.
 */
@Injectable()
export class RecordAttendanceService {
  constructor(
    private readonly ds: DataSource,
    private readonly appointments: AppointmentWriteBack,
    private readonly outbox: OutboxService,
    private readonly audit: AuditService,
  ) {}

  /**
   * `expected`: the session's revision the caller read with its attendance (If-Match). Two people marking one
   * session at once: the second save, decided on a roster the first has changed, is refused (412) rather than
   * silently putting back what the first corrected.
   */
  async record(sessionId: string, input: AttendanceInput, actor: Actor, expected?: string[]): Promise<{ rows: RecordedAttendance[]; tag: string }> {
    return this.ds.transaction(async (m) => {
      const s = await lockSession(m, sessionId, actor);
      assertRecordable(s, new Date());
      const recorded = await recordedAttendance(m, s.id); // under the session's lock: the precondition's and the change's
      if (expected) assertCurrent(tagFor(s, recorded, actor), expected, "This session's attendance");
      // Only the participants this caller may see are matchable: another patient's enrolment answers exactly
      // like an unknown person, so the answer reveals nothing about who is in the cohort.
      const mine = (await activeParticipants(m, s)).filter((p) => canAccessPatient(actor.user, p.patientId));
      const matched = matchParticipants(input.attendance, mine);
      for (const { who } of matched) assertCanAccessPatient(actor.user, who.patientId);
      const before = new Map(recorded.map((r) => [r.participantId, r.status]));
      const changed = matched.filter(({ entry, who }) => before.get(who.participantId) !== entry.status);
      for (const { entry, who } of changed) {
        await m.getRepository(Attendance).upsert({ sessionId: s.id, participantId: who.participantId, status: entry.status, recordedBy: actor.user.fhirUser, recordedAt: new Date() }, ['sessionId', 'participantId']);
      }
      for (const referralId of new Set(matched.map((x) => x.who.referralId))) await this.start(m, referralId, actor);
      const after = await recordedAttendance(m, s.id);
      if (!changed.length) return { rows: visible(after, actor), tag: tagFor(s, after, actor) };
      s.status = heldStatus(after.map((a) => a.status));
      await this.appointments.enqueue(m, [s], 'session.attendance', actor);
      await this.encounters(m, s, new Set(changed.map((c) => c.who.enrolmentId)), before, after, actor);
      await this.audit.record({ action: 'attendance.record', outcome: 'success', ...audited(actor), resourceType: 'Appointment', resourceId: s.id, detail: { recorded: changed.length, status: s.status } }, m);
      return { rows: visible(after, actor), tag: tagFor(s, after, actor) };
    });
  }

  /** What a caller may see of a session's attendance: a clinician only their patient's household. */
  async list(sessionId: string, actor: Actor): Promise<{ rows: RecordedAttendance[]; tag: string }> {
    // The revision (the ETag) is read before the rows, and a recording commits both at once: the rows are as new
    // as that revision or newer, never older. Newer only makes a save with this ETag refused (read again), never
    // lets one put back rows older than what the caller saw.
    const s = await lockSession(this.ds.manager, sessionId, actor, false);
    const rows = await recordedAttendance(this.ds.manager, s.id);
    return { rows: visible(rows, actor), tag: tagFor(s, rows, actor) };
  }

  /** enrolled → active on the first attendance (the Task stays in-progress, so the EHR needs no write). */
  private async start(m: EntityManager, referralId: string, actor: Actor): Promise<void> {
    const r = await lockReferral(m, referralId, actor);
    if (r.status !== 'enrolled') return;
    r.status = transition(r.status, 'start');
    await m.getRepository(Referral).save(r);
  }

  private async encounters(m: EntityManager, s: ProgramSession, enrolments: Set<string>, before: Map<string, AttendanceStatus>, after: RecordedAttendance[], actor: Actor): Promise<void> {
    const ctx = await this.appointments.context(m, s);
    const summary = attendanceByEnrolment(after);
    for (const enrolmentId of enrolments) {
      const patient = after.find((a) => a.enrolmentId === enrolmentId && a.role === 'patient');
      const was = patient ? before.get(patient.participantId) : undefined;
      const attended = summary.get(enrolmentId)?.patientAttended === true;
      if (!patient || (!attended && was !== 'attended')) continue; // no Encounter, then or now
      const resource = encounterOf({
        patientId: patient.patientId,
        attended,
        caregivers: summary.get(enrolmentId)!.caregiversAttended,
        facilitator: s.facilitator,
        programTitle: ctx.facts.programTitle,
        sequence: s.sequence,
        online: s.cohortId !== null,
        startsAt: s.startsAt,
        endsAt: s.endsAt,
        timeZone: s.timeZone,
        appointment: logicalRef('Appointment', writeBackIds.appointment(s.id)),
        basedOn: logicalRef('ServiceRequest', writeBackIds.serviceRequest(patient.referralId)),
      });
      const entries = [{ resource, businessIdentifier: writeBackIds.encounter(s.id, enrolmentId), mode: was === undefined ? ('create' as const) : ('update' as const) }];
      await this.outbox.enqueue(m, {
        registrationId: actor.user.registrationId,
        patientKey: outboxKey.patient(patient.patientId),
        kind: 'session.encounter',
        businessKey: `session.encounter:${s.id}:${enrolmentId}:${s.revision}`,
        bundle: transactionBundle(entries, { agent: ref(actor.user.fhirUser), recorded: new Date() }),
      });
    }
  }
}

/**
 * The attendance's ETag tag for this caller: the session's revision for one who sees all of it, else a digest of the
 * rows they see (see precondition.ts: the revision would refuse them for, and tell them of, others' changes).
 */
function tagFor(s: ProgramSession, rows: RecordedAttendance[], actor: Actor): string {
  return patientScope(actor.user) === undefined ? String(s.revision) : attendanceTag(visible(rows, actor));
}

/** Everyone's attendance for a coordinator without a patient in context; otherwise only the patient in context. */
function visible(rows: RecordedAttendance[], actor: Actor): RecordedAttendance[] {
  const only = patientScope(actor.user);
  return only === undefined ? rows : rows.filter((r) => r.patientId === only);
}
