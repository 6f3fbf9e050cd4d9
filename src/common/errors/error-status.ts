import type { ErrorCode } from './error-codes.js';

/** FHIR OperationOutcome.issue.code values we use (http://hl7.org/fhir/issue-type). */
export type IssueType =
  | 'not-found'
  | 'invalid'
  | 'structure'
  | 'not-supported'
  | 'too-long'
  | 'too-costly'
  | 'throttled'
  | 'conflict'
  | 'multiple-matches'
  | 'business-rule'
  | 'exception'
  | 'login'
  | 'forbidden'
  | 'security'
  | 'transient';

export interface ErrorMapping {
  status: number;
  issueType: IssueType;
}

/** Maps every domain error code to its HTTP status and FHIR issue type. Exhaustive by construction. */
export function mappingOf(code: ErrorCode): ErrorMapping {
  switch (code) {
    case 'COMMON.NOT_FOUND':
    case 'REGISTRY.NOT_FOUND':
      return { status: 404, issueType: 'not-found' };
    case 'COMMON.VALIDATION':
    case 'SMART.LAUNCH_INVALID':
    case 'REGISTRY.WRITE_BACK_UNCONFIGURED':
      return { status: 400, issueType: 'invalid' };
    case 'COMMON.MALFORMED_JSON':
    case 'COMMON.BODY_ENCODING':
      return { status: 400, issueType: 'structure' };
    case 'COMMON.UNSUPPORTED_MEDIA_TYPE':
      return { status: 415, issueType: 'not-supported' };
    case 'COMMON.PAYLOAD_TOO_LARGE':
      return { status: 413, issueType: 'too-long' };
    case 'COMMON.RATE_LIMITED':
      return { status: 429, issueType: 'throttled' };
    case 'COMMON.CONFLICT':
    case 'REGISTRY.DUPLICATE':
      return { status: 409, issueType: 'conflict' };
    case 'REGISTRY.OWN_REGISTRATION':
    case 'REGISTRY.LAST_ENABLED':
    case 'USERS.OWN_ROLE':
      // Refused so that nobody locks the clinic (or themselves) out of the app.
      return { status: 409, issueType: 'business-rule' };
    case 'USERS.EXISTS':
      return { status: 409, issueType: 'conflict' };
    case 'USERS.ROLE_NOT_ALLOWED':
      // The person's EHR record decides which roles fit them (a Patient is a patient, never a caregiver or staff).
      return { status: 400, issueType: 'business-rule' };
    case 'REGISTRY.CONNECTION_FAILED':
      // The registration's EHR, not this service, failed a step of "check connection": the admin must act.
      return { status: 422, issueType: 'business-rule' };
    case 'COMMON.INTERNAL':
      return { status: 500, issueType: 'exception' };
    case 'COMMON.METHOD_NOT_ALLOWED':
      // The route exists but not for this method; whoever throws it sets the Allow header (RFC 9110 §15.5.6).
      return { status: 405, issueType: 'not-supported' };
    case 'COMMON.OVERLOADED':
    case 'COMMON.DATABASE_UNAVAILABLE':
      // Shed, not failed: nothing was stored, the caller may send the same request again (Retry-After).
      return { status: 503, issueType: 'transient' };
    case 'AUTH.UNAUTHENTICATED':
    case 'AUTH.SESSION_EXPIRED':
      return { status: 401, issueType: 'login' };
    case 'AUTH.FORBIDDEN':
    case 'AUTH.PATIENT_NOT_IN_CONTEXT':
      return { status: 403, issueType: 'forbidden' };
    case 'AUTH.CSRF':
      return { status: 403, issueType: 'security' };
    case 'SMART.UNKNOWN_ISSUER':
    case 'SMART.STATE_INVALID':
    case 'SMART.TOKEN_EXCHANGE_FAILED':
    case 'SMART.ID_TOKEN_INVALID':
      return { status: 400, issueType: 'security' };
    case 'SMART.PATIENT_NOT_ALLOWED':
      // The launch chose a record this person may not open: a patient someone else's, a caregiver not their cared-for's.
      return { status: 403, issueType: 'forbidden' };
    case 'SMART.EHR_UNAVAILABLE':
    case 'FHIR.UNAVAILABLE':
      return { status: 503, issueType: 'transient' };
    case 'FHIR.FORBIDDEN':
      // The EHR refused this user's token the read: the user may not see it, the EHR is not broken.
      return { status: 403, issueType: 'forbidden' };
    case 'FHIR.UPSTREAM_ERROR':
      return { status: 502, issueType: 'exception' };
    case 'PROGRAMS.UNKNOWN_PROGRAM':
    case 'PROGRAMS.NOT_FOUND':
      return { status: 404, issueType: 'not-found' };
    case 'PROGRAMS.DUPLICATE':
    case 'PROGRAMS.COHORT_FULL':
    case 'PROGRAMS.ALREADY_ENROLLED':
    case 'PROGRAMS.ILLEGAL_TRANSITION':
    case 'PROGRAMS.SESSION_CLOSED':
    case 'PROGRAMS.SESSION_NOT_STARTED':
      return { status: 409, issueType: 'conflict' };
    case 'PROGRAMS.CHANGED':
      // If-Match named a revision the session has left: the precondition failed (RFC 9110 §13.1.1).
      return { status: 412, issueType: 'conflict' };
    case 'PROGRAMS.COMPLETION_RULE_NOT_MET':
      return { status: 409, issueType: 'business-rule' };
    case 'PROGRAMS.NOT_A_PARTICIPANT':
    case 'PROGRAMS.WRONG_PROGRAM':
    case 'PROGRAMS.SCREENING_INCOMPLETE':
    case 'PROGRAMS.NOT_ELIGIBLE':
      return { status: 422, issueType: 'business-rule' };
    case 'QUESTIONNAIRES.NOT_FOUND':
      return { status: 404, issueType: 'not-found' };
    case 'QUESTIONNAIRES.INVALID_QUESTIONNAIRE':
    case 'QUESTIONNAIRES.INVALID_RESPONSE':
      return { status: 400, issueType: 'invalid' };
    case 'QUESTIONNAIRES.UNKNOWN_QUESTIONNAIRE':
      return { status: 422, issueType: 'business-rule' };
    case 'QUESTIONNAIRES.FORM_TOO_COSTLY':
      return { status: 422, issueType: 'too-costly' };
    case 'QUESTIONNAIRES.VERSION_EXISTS':
    case 'QUESTIONNAIRES.VERSION_CONFLICT':
    case 'QUESTIONNAIRES.ASSIGNMENT_UNAVAILABLE':
    case 'QUESTIONNAIRES.ALERT_CLOSED':
      return { status: 409, issueType: 'conflict' };
    case 'QUESTIONNAIRES.ILLEGAL_TRANSITION':
    case 'QUESTIONNAIRES.NOT_COMPLETED':
      return { status: 409, issueType: 'business-rule' };
    case 'QUESTIONNAIRES.VERSION_REQUIRED':
      return { status: 428, issueType: 'invalid' };
    case 'QUESTIONNAIRES.SUBJECT_NOT_ALLOWED':
    case 'QUESTIONNAIRES.ANSWER_MODE_NOT_ALLOWED':
    case 'QUESTIONNAIRES.ENCOUNTER_NOT_IN_CONTEXT':
      return { status: 403, issueType: 'forbidden' };
    case 'REPORTS.UNKNOWN_PROGRAM':
      return { status: 404, issueType: 'not-found' };
    case 'REPORTS.POPULATION_TOO_SMALL':
      return { status: 422, issueType: 'business-rule' };
    default: {
      const unmapped: never = code;
      throw new Error(`Unmapped error code ${String(unmapped)}`);
    }
  }
}
