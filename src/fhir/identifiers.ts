import { createHash } from 'node:crypto';
import { businessIdentifier } from './business-identifier.js';

// The business identifiers of everything the module writes to the EHR (see business-identifier.ts): they make each
// write idempotent (conditional create / update) and let one Bundle point at a resource another Bundle wrote.

const SAFE = /^[A-Za-z0-9._:/-]{1,120}$/;

/** A linkId as part of an identifier value: itself when plain, else a digest (imported forms may use any text). */
function part(linkId: string): string {
  return SAFE.test(linkId) ? linkId : `h-${createHash('sha256').update(linkId).digest('hex').slice(0, 24)}`;
}

export const writeBackIds = {
  // programs
  serviceRequest: (referralId: string) => businessIdentifier('service-request', referralId),
  referralTask: (referralId: string) => businessIdentifier('referral-task', referralId),
  carePlan: (enrolmentId: string) => businessIdentifier('care-plan', enrolmentId),
  appointment: (sessionId: string) => businessIdentifier('appointment', sessionId),
  encounter: (sessionId: string, enrolmentId: string) => businessIdentifier('encounter', `${sessionId}:${enrolmentId}`),
  // questionnaires
  response: (responseId: string) => businessIdentifier('questionnaire-response', responseId),
  score: (responseId: string, linkId: string) => businessIdentifier('questionnaire-score', `${responseId}.${part(linkId)}`),
  assignmentTask: (assignmentId: string) => businessIdentifier('questionnaire-task', assignmentId),
  alertTask: (alertId: string) => businessIdentifier('safety-alert-task', alertId),
  alertCommunication: (alertId: string) => businessIdentifier('safety-alert-communication', alertId),
  escalationTask: (alertId: string) => businessIdentifier('safety-escalation-task', alertId),
  escalationCommunication: (alertId: string) => businessIdentifier('safety-escalation-communication', alertId),
};
