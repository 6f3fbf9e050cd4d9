import type { OperationOutcomeIssue } from 'fhir/r4.js';

/** What an issue is about; stable codes that clients and tests can rely on. */
export type ValidationRule =
  | 'resource-type'
  | 'malformed'
  | 'status'
  | 'questionnaire-reference'
  | 'unknown-item'
  | 'misplaced-item'
  | 'unknown-element'
  | 'duplicate-item'
  | 'required'
  | 'disabled-answered'
  | 'answer-not-allowed'
  | 'answer-type'
  | 'answer-option'
  | 'min-value'
  | 'max-value'
  | 'max-length'
  | 'repeats'
  // Questionnaire import only:
  | 'missing-element'
  | 'unknown-item-type'
  | 'duplicate-link-id'
  | 'invalid-expression'
  | 'missing-weight'
  | 'invalid-metadata';

/** OperationOutcome.issue.code for each rule: a Record, so a new rule without a mapping fails to compile. */
export const ISSUE_TYPE: Record<ValidationRule, OperationOutcomeIssue['code']> = {
  'resource-type': 'structure',
  malformed: 'structure',
  status: 'value',
  'questionnaire-reference': 'value',
  'unknown-item': 'structure',
  'misplaced-item': 'structure',
  'unknown-element': 'structure',
  'duplicate-item': 'structure',
  required: 'required',
  'disabled-answered': 'business-rule',
  'answer-not-allowed': 'structure',
  'answer-type': 'value',
  'answer-option': 'code-invalid',
  'min-value': 'value',
  'max-value': 'value',
  'max-length': 'too-long',
  repeats: 'structure',
  'missing-element': 'required',
  'unknown-item-type': 'code-invalid',
  'duplicate-link-id': 'duplicate',
  'invalid-expression': 'invalid',
  'missing-weight': 'business-rule',
  'invalid-metadata': 'invalid',
};

/**
 * One problem found. `expression` is a FHIRPath to the offending element, e.g.
 * `QuestionnaireResponse.item.where(linkId='phq9-9').answer` ([n] is added only where siblings repeat).
 */
export interface ValidationIssue {
  severity: 'error' | 'warning';
  rule: ValidationRule;
  message: string;
  expression: string;
  linkId?: string;
}

/** The issues as OperationOutcome.issue entries, for the error filter. */
export function toOperationOutcomeIssues(issues: readonly ValidationIssue[]): OperationOutcomeIssue[] {
  return issues.map((i) => ({
    severity: i.severity,
    code: ISSUE_TYPE[i.rule],
    diagnostics: i.message,
    expression: [i.expression],
  }));
}
