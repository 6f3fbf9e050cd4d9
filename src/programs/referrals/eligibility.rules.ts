import { DomainError, type IssueDetail } from '../../common/errors/domain-error.js';
import type { EligibilityItem } from '../catalogue/program-definition.js';

/** Screening outcome, written to the EHR Task as its businessStatus. */
export type ScreeningOutcome = 'eligible' | 'not-eligible' | 'no-consent';

export const SCREENING_OUTCOME_DISPLAY: Record<ScreeningOutcome, string> = {
  eligible: 'Eligible, consent given',
  'not-eligible': 'Not eligible',
  'no-consent': 'Eligible, consent not given',
};

/**
 * Checks the answers against the program version's checklist: every item answered, no unknown item. The
 * patient is eligible when every item is met. Missing or unknown items → PROGRAMS.SCREENING_INCOMPLETE (422),
 * one issue per item.
 */
export function assessEligibility(checklist: readonly EligibilityItem[], answers: Readonly<Record<string, boolean>>): boolean {
  const known = new Set(checklist.map((i) => i.id));
  const issues: IssueDetail[] = [
    ...checklist.filter((i) => !(i.id in answers)).map((i) => ({ message: `'${i.text}' is not answered`, expression: `answers.${i.id}` })),
    ...Object.keys(answers).filter((id) => !known.has(id)).map((id) => ({ message: `'${id}' is not on this program's checklist`, expression: `answers.${id}` })),
  ];
  if (issues.length) throw new DomainError('PROGRAMS.SCREENING_INCOMPLETE', 'The screening does not match the eligibility checklist.', issues);
  return checklist.every((i) => answers[i.id] === true);
}

export function screeningOutcome(eligible: boolean, consentGiven: boolean): ScreeningOutcome {
  if (!eligible) return 'not-eligible';
  return consentGiven ? 'eligible' : 'no-consent';
}

/** Only an eligible patient who consented can be accepted into the program. */
export function assertAcceptable(outcome: ScreeningOutcome): void {
  if (outcome !== 'eligible') {
    throw new DomainError('PROGRAMS.NOT_ELIGIBLE', `The screening outcome is '${outcome}': decline the referral instead.`, [
      { message: SCREENING_OUTCOME_DISPLAY[outcome], expression: 'screening' },
    ]);
  }
}
