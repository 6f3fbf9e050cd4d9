import { DomainError } from '../../common/errors/domain-error.js';
import type { SessionStatus } from '../cohorts/program-session.entity.js';
import type { AttendanceStatus } from './attendance.entity.js';

export interface AttendanceEntry {
  /** `Patient/<id>` or `RelatedPerson/<id>`. */
  person: string;
  status: AttendanceStatus;
}

/** A person who may be marked for a session: an active participant of its cohort (or its enrolment). */
export interface Eligible {
  participantId: string;
  enrolmentId: string;
  patientId: string;
  person: string;
  role: 'patient' | 'caregiver';
}

/**
 * Pairs each entry with its participant. Anyone who is not an active participant of the session's cohort
 * (or individual enrolment) → PROGRAMS.NOT_A_PARTICIPANT (422), one issue per such entry, and nothing is
 * recorded for anyone. Pure.
 */
export function matchParticipants<E extends Eligible>(entries: readonly AttendanceEntry[], eligible: readonly E[]): { entry: AttendanceEntry; who: E }[] {
  const byPerson = new Map(eligible.map((e) => [e.person, e]));
  const unknown = entries.map((e, i) => ({ e, i })).filter(({ e }) => !byPerson.has(e.person));
  if (unknown.length) {
    throw new DomainError(
      'PROGRAMS.NOT_A_PARTICIPANT',
      'Attendance can only be recorded for active participants of this session.',
      unknown.map(({ e, i }) => ({ message: `${e.person} is not enrolled in this session`, expression: `attendance[${i}].person` })),
    );
  }
  return entries.map((entry) => ({ entry, who: byPerson.get(entry.person)! }));
}

/** A cancelled session has no attendance; a session that has not started yet has none so far. */
export function assertRecordable(session: { status: SessionStatus; startsAt: Date }, now: Date): void {
  if (session.status === 'cancelled') throw new DomainError('PROGRAMS.SESSION_CLOSED', 'This session was cancelled; it has no attendance.');
  if (now < session.startsAt) {
    throw new DomainError('PROGRAMS.SESSION_NOT_STARTED', 'Attendance can be recorded once the session has started.', [
      { message: `the session starts at ${session.startsAt.toISOString()}`, expression: 'startsAt' },
    ]);
  }
}

/** Per enrolment of the session: did its patient attend, and which of its caregivers did (for the Encounter). */
export function attendanceByEnrolment(
  records: readonly { enrolmentId: string; role: 'patient' | 'caregiver'; person: string; status: AttendanceStatus }[],
): Map<string, { patientAttended: boolean | null; caregiversAttended: string[] }> {
  const out = new Map<string, { patientAttended: boolean | null; caregiversAttended: string[] }>();
  for (const r of records) {
    const e = out.get(r.enrolmentId) ?? { patientAttended: null, caregiversAttended: [] };
    if (r.role === 'patient') e.patientAttended = r.status === 'attended';
    else if (r.status === 'attended') e.caregiversAttended.push(r.person);
    out.set(r.enrolmentId, e);
  }
  return out;
}
