import { referencePattern } from '../fhir/ids.js';

// The closed lists the questionnaire tables, routes and reports share (the migration's CHECKs spell the same).

export const SUBJECT_TYPES = ['Patient', 'RelatedPerson'] as const;
export type SubjectType = (typeof SUBJECT_TYPES)[number];

export const TIMEPOINTS = ['baseline', 'mid', 'post', 'follow-up'] as const;
export type Timepoint = (typeof TIMEPOINTS)[number];

/**
 * Who gave the answers (see README): `self` the subject alone; `caregiver-entered` a caregiver typed the
 * patient's own answers; `clinician-read-aloud` a clinician read the items and typed the patient's answers;
 * `proxy` the answers are the proxy's (caregiver or clinician) judgement about the patient. Reports treat the
 * first three as self-report and only `proxy` as proxy report.
 */
export const ANSWER_MODES = ['self', 'caregiver-entered', 'clinician-read-aloud', 'proxy'] as const;
export type AnswerMode = (typeof ANSWER_MODES)[number];

export const RESPONSE_STATUSES = ['in-progress', 'completed', 'amended', 'entered-in-error'] as const;
export type ResponseStatus = (typeof RESPONSE_STATUSES)[number];

export const ASSIGNMENT_STATUSES = ['due', 'in-progress', 'completed', 'cancelled'] as const;
export type AssignmentStatus = (typeof ASSIGNMENT_STATUSES)[number];

export const ALERT_STATUSES = ['open', 'followed-up'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

/** What the clinician did about a safety alert (coded: the audit log and reports never hold free text). */
export const FOLLOW_UP_ACTIONS = [
  'risk-assessed',
  'safety-plan-updated',
  'referred-to-crisis-service',
  'emergency-services-called',
  'no-further-action',
  'other',
] as const;
export type FollowUpAction = (typeof FOLLOW_UP_ACTIONS)[number];

/** `Patient/<id>` or `RelatedPerson/<id>` with an id as FHIR allows it. */
export const SUBJECT_REFERENCE = referencePattern('Patient', 'RelatedPerson');

/** An answer-mode extension on the stored and written-back QuestionnaireResponse, so the EHR keeps it too. */
export const ANSWER_MODE_EXTENSION = 'https://als-wellness.example.org/fhir/StructureDefinition/answer-mode';

/** SQL list for CHECK constraints: `'a', 'b'`. */
export function sqlList(values: readonly string[]): string {
  return values.map((v) => `'${v}'`).join(', ');
}
