import { DomainError } from '../../common/errors/domain-error.js';

/**
 * A patient's journey through a program. The path is referred → screened → enrolled → active →
 * completed | withdrawn; the coordinator's decision after screening adds `accepted` (ready to enrol) and
 * `declined` (the referral is turned down, a terminal state like withdrawn).
 */
export const JOURNEY_STATES = ['referred', 'screened', 'accepted', 'declined', 'enrolled', 'active', 'completed', 'withdrawn'] as const;
export type JourneyState = (typeof JOURNEY_STATES)[number];

export const JOURNEY_EVENTS = ['screen', 'accept', 'decline', 'enrol', 'start', 'complete', 'withdraw'] as const;
export type JourneyEvent = (typeof JOURNEY_EVENTS)[number];

/** Each event: the states it may leave and the state it reaches. Everything else is illegal. */
const TRANSITIONS: Record<JourneyEvent, { from: readonly JourneyState[]; to: JourneyState }> = {
  screen: { from: ['referred'], to: 'screened' },
  accept: { from: ['screened'], to: 'accepted' },
  // Task: requested | received → rejected (FHIR's Task state machine has no accepted → rejected).
  decline: { from: ['referred', 'screened'], to: 'declined' },
  enrol: { from: ['accepted'], to: 'enrolled' },
  // The first recorded attendance starts the course for this participant.
  start: { from: ['enrolled'], to: 'active' },
  complete: { from: ['active'], to: 'completed' },
  // The patient leaves, before enrolment (a referral) or during it (an enrolment).
  withdraw: { from: ['referred', 'screened', 'accepted', 'enrolled', 'active'], to: 'withdrawn' },
};

export function canTransition(from: JourneyState, event: JourneyEvent): boolean {
  return TRANSITIONS[event].from.includes(from);
}

/** The state after `event`, or PROGRAMS.ILLEGAL_TRANSITION (409) naming what would have been allowed. */
export function transition(from: JourneyState, event: JourneyEvent): JourneyState {
  if (!canTransition(from, event)) {
    const allowed = TRANSITIONS[event].from.join(', ');
    throw new DomainError('PROGRAMS.ILLEGAL_TRANSITION', `Cannot ${event} from '${from}' (only from: ${allowed}).`, [
      { message: `status is '${from}'`, expression: 'status' },
    ]);
  }
  return TRANSITIONS[event].to;
}

/** States in which the patient holds a seat (an enrolment that counts against capacity and uniqueness). */
export function holdsSeat(state: JourneyState): boolean {
  return state === 'enrolled' || state === 'active';
}

export function isTerminal(state: JourneyState): boolean {
  return state === 'declined' || state === 'completed' || state === 'withdrawn';
}
