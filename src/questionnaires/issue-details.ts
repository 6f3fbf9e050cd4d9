import type { IssueDetail } from '../common/errors/domain-error.js';
import { toOperationOutcomeIssues, type ValidationIssue } from './engine/validation.types.js';

/**
 * The engine's issues as the error filter's details: one OperationOutcome issue per item, located by its
 * linkId path and keeping the engine's issue type (required, code-invalid…). Errors only: warnings never
 * block a save.
 */
export function issueDetails(issues: readonly ValidationIssue[]): IssueDetail[] {
  return toOperationOutcomeIssues(issues.filter((i) => i.severity === 'error')).map((o) => ({
    message: o.diagnostics ?? 'Invalid',
    ...(o.expression?.[0] ? { expression: o.expression[0] } : {}),
    code: o.code,
  }));
}

export function hasErrors(issues: readonly ValidationIssue[]): boolean {
  return issues.some((i) => i.severity === 'error');
}
