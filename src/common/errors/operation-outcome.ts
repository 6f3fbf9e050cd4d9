import type { OperationOutcome } from 'fhir/r4.js';
import type { IssueDetail } from './domain-error.js';
import type { IssueType } from './error-status.js';

export const ERROR_CODE_SYSTEM = 'urn:als-wellness:error-code';

/** Builds the OperationOutcome every error response carries: one issue per detail, or one for the whole. */
export function operationOutcome(
  issueType: IssueType,
  code: string,
  message: string,
  details: IssueDetail[] = [],
  severity: 'error' | 'fatal' = 'error',
): OperationOutcome {
  const coded = { coding: [{ system: ERROR_CODE_SYSTEM, code }], text: message };
  const issues = details.length
    ? details.map((d) => ({
        // An issue that only informs (a step that passed, beside the one that failed) is not an error.
        severity: d.code === 'informational' ? ('information' as const) : severity,
        code: d.code ?? issueType,
        details: { coding: coded.coding, text: d.message },
        diagnostics: d.message,
        ...(d.expression ? { expression: [d.expression] } : {}),
      }))
    : [{ severity, code: issueType, details: coded, diagnostics: message }];
  return { resourceType: 'OperationOutcome', issue: issues };
}
