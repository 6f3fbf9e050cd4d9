import { DomainError } from '../../common/errors/domain-error.js';
import { canTransition, holdsSeat, isTerminal, JOURNEY_EVENTS, JOURNEY_STATES, transition, type JourneyEvent, type JourneyState } from './journey.rules.js';

describe('the enrolment state machine', () => {
  it('walks the whole course: referred → screened → accepted → enrolled → active → completed', () => {
    const path: JourneyEvent[] = ['screen', 'accept', 'enrol', 'start', 'complete'];
    let s: JourneyState = 'referred';
    const seen: JourneyState[] = [s];
    for (const e of path) seen.push((s = transition(s, e)));
    expect(seen).toEqual(['referred', 'screened', 'accepted', 'enrolled', 'active', 'completed']);
  });

  it('lets a patient withdraw at any point before the end, and a referral be declined until accepted', () => {
    for (const s of ['referred', 'screened', 'accepted', 'enrolled', 'active'] as const) expect(transition(s, 'withdraw')).toBe('withdrawn');
    for (const s of ['referred', 'screened'] as const) expect(transition(s, 'decline')).toBe('declined');
  });

  it.each<[JourneyState, JourneyEvent]>([
    ['referred', 'accept'], // accepting needs screening first
    ['referred', 'enrol'],
    ['screened', 'enrol'], // enrolling needs the coordinator's acceptance
    ['enrolled', 'complete'], // completion needs attendance (active)
    ['completed', 'withdraw'],
    ['withdrawn', 'start'],
    ['declined', 'screen'],
    ['enrolled', 'enrol'],
    ['active', 'decline'],
    ['accepted', 'decline'],
  ])('refuses %s --%s--> with PROGRAMS.ILLEGAL_TRANSITION', (from, event) => {
    expect(canTransition(from, event)).toBe(false);
    try {
      transition(from, event);
      throw new Error('should have thrown');
    } catch (e) {
      expect(e).toBeInstanceOf(DomainError);
      expect((e as DomainError).code).toBe('PROGRAMS.ILLEGAL_TRANSITION');
      expect((e as DomainError).message).toContain(from);
    }
  });

  it('has no way out of a terminal state', () => {
    for (const s of JOURNEY_STATES.filter(isTerminal)) {
      for (const e of JOURNEY_EVENTS) expect(canTransition(s, e)).toBe(false);
    }
    expect(JOURNEY_STATES.filter(isTerminal)).toEqual(['declined', 'completed', 'withdrawn']);
  });

  it('counts a seat only while enrolled or active', () => {
    expect(JOURNEY_STATES.filter(holdsSeat)).toEqual(['enrolled', 'active']);
  });
});
