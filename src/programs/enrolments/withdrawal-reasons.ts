import type { CodeableConcept } from 'fhir/r4.js';
import { WITHDRAWAL_REASON_SYSTEM } from '../shared/program-codes.js';

/**
 * Why a participant left a program: a small value set of the module's own CodeSystem
 * (`…/CodeSystem/program-withdrawal-reason`), so reports can count reasons without reading free text.
 */
export const WITHDRAWAL_REASONS = {
  'disease-progression': 'Disease progression',
  fatigue: 'Fatigue',
  hospitalisation: 'Hospitalisation',
  'lost-interest': 'Lost interest',
  'technical-barriers': 'Technical barriers',
  'caregiver-burden': 'Caregiver burden',
  death: 'Death',
  other: 'Other',
} as const;

export type WithdrawalReason = keyof typeof WITHDRAWAL_REASONS;
export const WITHDRAWAL_REASON_CODES = Object.keys(WITHDRAWAL_REASONS) as [WithdrawalReason, ...WithdrawalReason[]];

export function withdrawalReasonConcept(code: WithdrawalReason, note?: string | null): CodeableConcept {
  return { coding: [{ system: WITHDRAWAL_REASON_SYSTEM, code, display: WITHDRAWAL_REASONS[code] }], text: note || WITHDRAWAL_REASONS[code] };
}

/** The CHECK constraint's list, kept beside the value set it mirrors. */
export const WITHDRAWAL_REASON_SQL = WITHDRAWAL_REASON_CODES.map((c) => `'${c}'`).join(', ');
