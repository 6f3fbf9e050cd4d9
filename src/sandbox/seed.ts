import type { Resource } from 'fhir/r4.js';
import { SEED_PATIENT_DATA } from './seed-patients.js';
import { SEED_STAFF } from './seed-staff.js';

export { MRN_SYSTEM } from './seed-patients.js';
export { STAFF_ID_SYSTEM } from './seed-staff.js';

/** `/sandbox/launch` without `user`: the first seeded clinician (the neurologist). */
export const DEFAULT_USER = 'Practitioner/sbx-prac-1';
/** `/sandbox/launch` without `patient`: the first seeded patient (recently diagnosed, ambulatory). */
export const DEFAULT_PATIENT = 'Patient/sbx-pat-1';

/** Every seeded resource, referenced ones first; ids are stable so tests and docs can name them. */
export function seedResources(): (Resource & { id: string })[] {
  return [...SEED_STAFF, ...SEED_PATIENT_DATA].map((r) => structuredClone(r));
}
