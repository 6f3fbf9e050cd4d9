import type { OperationOutcome } from 'fhir/r4.js';
import type { IssueDetail } from './domain-error.js';
import type { IssueType } from './error-status.js';

export const ERROR_CODE_SYSTEM = 'urn:als-wellness:error-code';

/** Issues one answer lists at most: a body of 15 000 duplicated items must not come back as a 2 MB refusal. */
export const MAX_ISSUES = 100;

/**
 * Builds the OperationOutcome every error response carries: one issue per detail (the first MAX_ISSUES, then one
 * saying how many more there were), or one for the whole.
 */
export function operationOutcome(
  issueType: IssueType,
  code: string,
  message: string,
  details: IssueDetail[] = [],
  severity: 'error' | 'fatal' = 'error',
): OperationOutcome {
  const coded = { coding: [{ system: ERROR_CODE_SYSTEM, code }], text: message };
  const shown = details.length > MAX_ISSUES ? details.slice(0, MAX_ISSUES) : details;
  const issues = details.length
    ? shown.map((d) => ({
        // An issue that only informs (a step that passed, beside the one that failed) is not an error.
        severity: d.code === 'informational' ? ('information' as const) : severity,
        code: d.code ?? issueType,
        details: { coding: coded.coding, text: d.message },
        diagnostics: d.message,
        ...(d.expression ? { expression: [d.expression] } : {}),
      }))
    : [{ severity, code: issueType, details: coded, diagnostics: message }];
  if (details.length > MAX_ISSUES) {
    const more = `${details.length - MAX_ISSUES} more issues like these are not listed.`;
    issues.push({ severity, code: issueType, details: { coding: coded.coding, text: more }, diagnostics: more });
  }
  return { resourceType: 'OperationOutcome', issue: issues };
}
