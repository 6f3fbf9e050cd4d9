// Coded reasons, counted in fixed order so every report lists the same reasons (zeros included) and a
// figure's position never shifts. Free-text reasons are never reported: they could name a person.
import { WITHDRAWAL_REASONS as PROGRAM_WITHDRAWAL_REASONS } from '../programs/enrolments/withdrawal-reasons.js';
import type { ReasonCount } from './outcome-data.port.js';

/** Why a referred person did not enrol, read from the journey's structure (not from free text). */
export const DECLINE_REASONS = {
  ineligible: 'Not eligible at screening',
  'declined-after-screening': 'Eligible, but did not enrol',
  'declined-before-screening': 'Did not enrol before screening',
  'caregiver-not-enrolled': 'Caregiver referred with the patient, not enrolled',
} as const;

/** The programs module's withdrawal reasons (one value set, owned there), plus "not recorded". */
export const WITHDRAWAL_REASONS = { ...PROGRAM_WITHDRAWAL_REASONS, 'not-recorded': 'Not recorded' } as const;

/** All codes of a value set in order with their counts; unknown codes count as `fallback`. */
export function countReasons<T extends Record<string, string>>(valueSet: T, counts: ReadonlyMap<string, number>, fallback: keyof T & string): ReasonCount[] {
  const codes = Object.keys(valueSet);
  const byCode = new Map(codes.map((c) => [c, 0]));
  for (const [code, n] of counts) {
    const key = byCode.has(code) ? code : fallback;
    byCode.set(key, byCode.get(key)! + n);
  }
  return codes.map((code) => ({ code, display: valueSet[code], count: byCode.get(code)! }));
}
