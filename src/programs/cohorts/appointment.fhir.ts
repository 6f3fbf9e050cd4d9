import type { Appointment, AppointmentParticipant, Reference } from 'fhir/r4.js';
import type { AttendanceStatus } from '../attendance/attendance.entity.js';
import { ref } from '../../fhir/references.js';
import { PARTICIPATION_TYPE_SYSTEM } from '../shared/program-codes.js';
import type { SessionStatus } from './program-session.entity.js';
import { isoWithOffset } from './zoned-time.js';

export interface SessionPerson {
  /** `Patient/<id>` or `RelatedPerson/<id>`. */
  person: string;
  role: 'patient' | 'caregiver';
  attendance: AttendanceStatus | null;
}

/** A session as the EHR sees it; plain data so the mapper stays pure. */
export interface SessionFacts {
  programTitle: string;
  sequence: number;
  sessionCount: number;
  startsAt: Date;
  endsAt: Date;
  timeZone: string;
  status: SessionStatus;
  cancelReason: string | null;
  facilitator: string;
  people: readonly SessionPerson[];
  /** Individual sessions: the referral they fulfil. */
  basedOn?: Reference;
}

const PRIMARY_PERFORMER = { coding: [{ system: PARTICIPATION_TYPE_SYSTEM, code: 'PPRF', display: 'primary performer' }] };

/**
 * A participant's Appointment status. R4's ParticipationStatus has no "attended": attendance itself goes to
 * Appointment.status and to an Encounter per attending patient; here only an excused absence (known in
 * advance) shows, as `declined`.
 */
function personStatus(p: SessionPerson): AppointmentParticipant['status'] {
  return p.attendance === 'excused' ? 'declined' : 'accepted';
}

/** One session as a FHIR R4 Appointment with its participants: the facilitator, patients and caregivers. */
export function appointmentOf(s: SessionFacts): Appointment {
  return {
    resourceType: 'Appointment',
    status: s.status,
    ...(s.status === 'cancelled' && s.cancelReason ? { cancelationReason: { text: s.cancelReason } } : {}),
    serviceType: [{ text: s.programTitle }],
    description: `${s.programTitle}: session ${s.sequence} of ${s.sessionCount}`,
    start: isoWithOffset(s.startsAt.getTime(), s.timeZone),
    end: isoWithOffset(s.endsAt.getTime(), s.timeZone),
    minutesDuration: Math.round((s.endsAt.getTime() - s.startsAt.getTime()) / 60_000),
    ...(s.basedOn ? { basedOn: [s.basedOn] } : {}),
    participant: [
      { type: [PRIMARY_PERFORMER], actor: ref(s.facilitator), required: 'required', status: 'accepted' },
      ...s.people.map((p) => ({
        actor: ref(p.person),
        required: p.role === 'patient' ? ('required' as const) : ('optional' as const),
        status: personStatus(p),
      })),
    ],
  };
}

/** Appointment.status once attendance is known: held if anyone came, otherwise nobody showed. */
export function heldStatus(statuses: readonly AttendanceStatus[]): SessionStatus {
  return statuses.includes('attended') ? 'fulfilled' : 'noshow';
}
