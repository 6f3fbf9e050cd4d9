import type { Resource } from 'fhir/r4.js';
import { isFhirId } from '../common/fhir-id.js';
import { SandboxError } from './sandbox-errors.js';

/** The FHIR R4 resource types the sandbox stores: what the care module reads and writes back, and a few neighbours. */
export const SUPPORTED_TYPES = [
  'Patient', 'Practitioner', 'PractitionerRole', 'RelatedPerson', 'Organization', 'Encounter', 'Condition',
  'Observation', 'Questionnaire', 'QuestionnaireResponse', 'ServiceRequest', 'Task', 'CarePlan', 'CareTeam',
  'PlanDefinition', 'Appointment', 'Provenance', 'AuditEvent', 'Consent', 'Communication', 'DocumentReference',
  'Goal', 'Flag', 'EpisodeOfCare', 'Group', 'MeasureReport', 'Schedule', 'Slot',
] as const;

/**
 * Types a `patient/` scope limits to the launch patient's compartment (Patient itself included). Provenance and
 * AuditEvent point at patients only indirectly, so they are left unrestricted here: practical, not exhaustive.
 */
export const PATIENT_COMPARTMENT_TYPES: ReadonlySet<string> = new Set([
  'Patient', 'RelatedPerson', 'Encounter', 'Condition', 'Observation', 'QuestionnaireResponse', 'ServiceRequest',
  'Task', 'CarePlan', 'CareTeam', 'Appointment', 'Consent', 'Communication', 'DocumentReference', 'Goal', 'Flag',
  'EpisodeOfCare',
]);


export function isSupportedType(type: string): boolean {
  return (SUPPORTED_TYPES as readonly string[]).includes(type);
}

/** 404 for a type the sandbox does not serve, as a real server answers an unknown endpoint. */
export function assertSupportedType(type: string): void {
  if (!isSupportedType(type)) throw new SandboxError('SANDBOX.NOT_FOUND', `Resource type '${type}' is not supported by the sandbox.`);
}

export function assertValidId(id: string): void {
  if (!isFhirId(id)) throw new SandboxError('SANDBOX.INVALID_RESOURCE', 'A resource id is 1–64 letters, digits, "-" or ".".');
}

/** The body must be a FHIR resource of the type the URL names (and, for an update, with the URL's id if any). */
export function asResource(body: unknown, type: string, urlId?: string): Resource {
  if (!body || typeof body !== 'object' || Array.isArray(body) || typeof (body as { resourceType?: unknown }).resourceType !== 'string') {
    throw new SandboxError('SANDBOX.INVALID_RESOURCE', 'The body is not a FHIR resource (a JSON object with a resourceType).');
  }
  const resource = body as Resource;
  if (resource.resourceType !== type) {
    throw new SandboxError('SANDBOX.INVALID_RESOURCE', `The body is a ${resource.resourceType}, but the URL names ${type}.`);
  }
  if (resource.id !== undefined) assertValidId(String(resource.id));
  if (urlId !== undefined && resource.id !== undefined && resource.id !== urlId) {
    throw new SandboxError('SANDBOX.INVALID_RESOURCE', `The resource id '${resource.id}' differs from the URL's '${urlId}'.`);
  }
  return resource;
}
