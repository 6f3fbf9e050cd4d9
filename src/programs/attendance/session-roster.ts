import type { EntityManager } from 'typeorm';
import type { ProgramSession } from '../cohorts/program-session.entity.js';
import type { AttendanceStatus } from './attendance.entity.js';
import type { Eligible } from './attendance.rules.js';

/** Active participants of a session's cohort (or of its individual enrolment), with their patient and referral. */
export async function activeParticipants(m: EntityManager, s: ProgramSession): Promise<(Eligible & { referralId: string })[]> {
  return m.query(
    `SELECT p.id AS "participantId", p.enrolment_id AS "enrolmentId", e.patient_id AS "patientId", e.referral_id AS "referralId", p.person, p.role
     FROM enrolment_participant p JOIN enrolment e ON e.id = p.enrolment_id
     WHERE (p.cohort_id = $1 OR p.enrolment_id = $2) AND p.ended_at IS NULL
     ORDER BY p.created_at, p.role DESC, p.person`,
    [s.cohortId, s.enrolmentId],
  );
}

export interface RecordedAttendance {
  participantId: string;
  enrolmentId: string;
  patientId: string;
  referralId: string;
  person: string;
  role: 'patient' | 'caregiver';
  status: AttendanceStatus;
  recordedAt: Date;
  recordedBy: string;
}

/** Everything recorded for a session so far. */
export async function recordedAttendance(m: EntityManager, sessionId: string): Promise<RecordedAttendance[]> {
  return m.query(
    `SELECT a.participant_id AS "participantId", p.enrolment_id AS "enrolmentId", e.patient_id AS "patientId", e.referral_id AS "referralId", p.person, p.role,
            a.status, a.recorded_at AS "recordedAt", a.recorded_by AS "recordedBy"
     FROM attendance a JOIN enrolment_participant p ON p.id = a.participant_id JOIN enrolment e ON e.id = p.enrolment_id
     WHERE a.session_id = $1 ORDER BY p.created_at, p.role DESC, p.person`,
    [sessionId],
  );
}
