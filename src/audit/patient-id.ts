import { FHIR_ID, FHIR_ID_CHAR, FHIR_ID_SOURCE, referencePattern } from '../common/fhir-id.js';

const PATIENT_REF = referencePattern('Patient');

/**
 * The one form a patient takes in the audit log: the bare FHIR id. `Patient/123` and `123` are both `123`.
 * Anything else is not a patient and gives null: an outbox ordering key of a cohort (`cohort/<id>`), another
 * resource type (`RelatedPerson/7`), an absolute URL, an empty or malformed value.
 */
export function canonicalPatientId(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const ref = PATIENT_REF.exec(value);
  if (ref) return ref[2];
  return FHIR_ID.test(value) ? value : null;
}

/** Every `Patient/<id>` reference in a FHIR resource or Bundle (JSON), as bare ids, each once. */
export function patientReferencesIn(resource: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(resource)) {
    for (const item of resource) patientReferencesIn(item, found);
  } else if (resource !== null && typeof resource === 'object') {
    for (const [key, value] of Object.entries(resource)) {
      if (key === 'reference' && typeof value === 'string' && PATIENT_REF.test(value)) found.add(canonicalPatientId(value)!);
      else if (typeof value === 'object') patientReferencesIn(value, found);
    }
  }
  return found;
}

const PATIENT_IN_TEXT = new RegExp(`(?<![A-Za-z])Patient/(${FHIR_ID_SOURCE})(?!${FHIR_ID_CHAR})`, 'g');

/**
 * Every `Patient/<id>` written anywhere in a value's text (an EHR's OperationOutcome diagnostics, an expression, a
 * full URL ending in one), as bare ids, each once: the patients a piece of free text names.
 */
export function patientsNamedIn(value: unknown, found = new Set<string>()): Set<string> {
  if (value === null || value === undefined) return found;
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  for (const m of text.matchAll(PATIENT_IN_TEXT)) found.add(m[1]);
  return found;
}
