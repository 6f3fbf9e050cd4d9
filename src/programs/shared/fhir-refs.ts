import type { Reference } from 'fhir/r4.js';
import { businessIdentifier, type BusinessIdentifier } from '../../fhir/business-identifier.js';

/** An EHR resource id as FHIR allows it: letters, digits, `-` and `.`, at most 64. */
export const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;
export const RELATED_PERSON_REF = /^RelatedPerson\/[A-Za-z0-9\-.]{1,64}$/;
export const PRACTITIONER_REF = /^Practitioner\/[A-Za-z0-9\-.]{1,64}$/;

export function patientRef(patientId: string, display?: string): Reference {
  return { reference: `Patient/${patientId}`, ...(display ? { display } : {}) };
}

/** A relative reference we hold as text (`RelatedPerson/1`, `Practitioner/2`) as a FHIR Reference. */
export function ref(reference: string): Reference {
  return { reference, type: reference.split('/')[0] };
}

/**
 * A reference to a resource another outbox entry writes (under another ordering key), by its business
 * identifier: the EHR id is unknown when we build the Bundle, and that entry may not have been delivered yet.
 */
export function logicalRef(type: string, id: BusinessIdentifier, display?: string): Reference {
  return { type, identifier: { system: id.system, value: id.value }, ...(display ? { display } : {}) };
}

/** The business identifiers of everything this module writes (see fhir/business-identifier.ts). */
export const ids = {
  serviceRequest: (referralId: string) => businessIdentifier('service-request', referralId),
  task: (referralId: string) => businessIdentifier('referral-task', referralId),
  carePlan: (enrolmentId: string) => businessIdentifier('care-plan', enrolmentId),
  appointment: (sessionId: string) => businessIdentifier('appointment', sessionId),
  encounter: (sessionId: string, enrolmentId: string) => businessIdentifier('encounter', `${sessionId}:${enrolmentId}`),
};

/** Outbox ordering keys: one patient's writes in order; one cohort's shared Appointments in order. */
export const outboxKey = {
  patient: (patientId: string) => `Patient/${patientId}`,
  cohort: (cohortId: string) => `cohort/${cohortId}`,
};
