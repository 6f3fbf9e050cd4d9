import type { OperationOutcomeIssue } from 'fhir/r4.js';
import type { ErrorCode } from './error-codes.js';

/** One problem inside a request, located by a FHIRPath-like expression (for example a linkId path). */
export interface IssueDetail {
  message: string;
  expression?: string;
  /** A FHIR issue-type for this item (e.g. `required`, `code-invalid`); defaults to the error code's own. */
  code?: OperationOutcomeIssue['code'];
}

/**
 * The only error services throw. It carries a code (mapped to HTTP in one place) and a message that is
 * safe to show to the caller: no PHI, no internal detail.
 */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly issues: IssueDetail[] = [],
  ) {
    super(message);
    this.name = 'DomainError';
  }

  /** Set once the refusal is in the audit log, so the error filter does not write it twice. */
  audited = false;

  /** The patient a refusal concerns, for the audit log only (never sent to the caller). */
  patientId: string | null = null;
}
