import { DomainError } from '../../common/errors/domain-error.js';
import { assertAcceptable, assessEligibility, screeningOutcome } from './eligibility.rules.js';

const checklist = [
  { id: 'als-diagnosis', text: 'Confirmed ALS diagnosis' },
  { id: 'online-access', text: 'Can join an online session' },
];

describe('eligibility screening', () => {
  it('is eligible when every item is met', () => {
    expect(assessEligibility(checklist, { 'als-diagnosis': true, 'online-access': true })).toBe(true);
    expect(assessEligibility(checklist, { 'als-diagnosis': true, 'online-access': false })).toBe(false);
    expect(assessEligibility([], {})).toBe(true);
  });

  it('refuses a missing or unknown item, one issue each', () => {
    try {
      assessEligibility(checklist, { 'als-diagnosis': true, 'smokes': false });
      throw new Error('should have thrown');
    } catch (e) {
      expect((e as DomainError).code).toBe('PROGRAMS.SCREENING_INCOMPLETE');
      expect((e as DomainError).issues.map((i) => i.expression)).toEqual(['answers.online-access', 'answers.smokes']);
    }
  });

  it('derives the outcome from eligibility and consent; only eligible + consent can be accepted', () => {
    expect(screeningOutcome(true, true)).toBe('eligible');
    expect(screeningOutcome(true, false)).toBe('no-consent');
    expect(screeningOutcome(false, true)).toBe('not-eligible');
    expect(() => assertAcceptable('eligible')).not.toThrow();
    expect(() => assertAcceptable('no-consent')).toThrow(expect.objectContaining({ code: 'PROGRAMS.NOT_ELIGIBLE' }));
  });
});
