import { createHash } from 'node:crypto';
import type { Reference } from 'fhir/r4.js';
import { businessIdentifier, type BusinessIdentifier } from '../fhir/business-identifier.js';

// The business identifiers of everything the questionnaires module writes to the EHR: they make each write
// idempotent (conditional create / update) and let one Bundle point at a resource another Bundle wrote.

const SAFE = /^[A-Za-z0-9._:/-]{1,120}$/;

/** A linkId as part of an identifier value: itself when plain, else a digest (imported forms may use any text). */
function part(linkId: string): string {
  return SAFE.test(linkId) ? linkId : `h-${createHash('sha256').update(linkId).digest('hex').slice(0, 24)}`;
}

export const writeBackIds = {
  response: (responseId: string) => businessIdentifier('questionnaire-response', responseId),
  score: (responseId: string, linkId: string) => businessIdentifier('questionnaire-score', `${responseId}.${part(linkId)}`),
  assignmentTask: (assignmentId: string) => businessIdentifier('questionnaire-task', assignmentId),
  alertTask: (alertId: string) => businessIdentifier('safety-alert-task', alertId),
  alertCommunication: (alertId: string) => businessIdentifier('safety-alert-communication', alertId),
  escalationTask: (alertId: string) => businessIdentifier('safety-escalation-task', alertId),
  escalationCommunication: (alertId: string) => businessIdentifier('safety-escalation-communication', alertId),
  /** The enrolment's CarePlan, as the programs module identifies it (src/programs/shared/fhir-refs.ts). */
  carePlan: (enrolmentId: string) => businessIdentifier('care-plan', enrolmentId),
};

/** A relative reference we hold as text (`Patient/1`, `RelatedPerson/2`) as a typed FHIR Reference. */
export function fhirRef(reference: string): Reference {
  return { reference, type: reference.split('/')[0] };
}

/** A reference to a resource written by another Bundle: by business identifier (its EHR id is unknown to us). */
export function logicalRef(type: string, id: BusinessIdentifier): Reference {
  return { type, identifier: { system: id.system, value: id.value } };
}

/** Outbox ordering key: every write about one patient goes out in order (same convention as the programs module). */
export function patientKey(patientId: string): string {
  return `Patient/${patientId}`;
}
