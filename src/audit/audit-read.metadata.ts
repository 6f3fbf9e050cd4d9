/** The metadata of `@AuditRead` and `@NoPatientData` (audit-read.decorator.ts), read by AuditReadInterceptor and the route walks of the tests. */
export const AUDIT_READ_KEY = 'als:audit-read';
export const NO_PATIENT_DATA_KEY = 'als:no-patient-data';

/**
 * Where a route finds the patient(s) whose data it serves. Several sources add up (each patient once):
 * - `'session'`: the signed-in session's patient in context (a route scoped to it);
 * - `{ param }`: a route parameter (`/api/patients/:id`);
 * - `{ query }`: a query parameter (`?patientId=`), `list: true` for a comma-separated list (`?ids=a,b`);
 * - `{ result }`: the handler's answer — a field of it, or of every element when it is an array
 *   (`'patientId'`), or a function returning the patients in it. Only on success;
 * - `'shown'`: the patients the handler declared with `showsPatients(req, …)` (src/audit/read-patients.ts): for an
 *   answer that shows patient-level data without naming the patient (a caregiver's name, an EHR's error text), or
 *   a route that reads the EHR about a patient only sometimes (declared before the read, so that a failed read is
 *   audited too).
 * Values are canonicalised to the bare id; what is not a patient (`cohort/<id>`, `RelatedPerson/1`) is dropped.
 */
export type PatientSource =
  | 'session'
  | 'shown'
  | { param: string }
  | { query: string; list?: boolean }
  | { result: string | ((body: never) => Iterable<unknown> | unknown) };

export interface AuditReadOptions {
  /** The kind of resource read, e.g. `ServiceRequest`, `Patient`. */
  resourceType: string;
  patients: PatientSource[];
  /** The route parameter naming the one resource read; its value becomes the row's resourceId. */
  idParam?: string;
  /** No row when no patient is found (a route that serves patient data only when there is one, like /api/context). */
  onlyWithPatient?: boolean;
  /**
   * Non-PHI detail on each success row: `count`, how many items the answer holds (an array's length, a page's
   * `items`, a FHIR Bundle's entries); `query`, the values of these query parameters (filters such as `status`; never one naming a patient).
   */
  detail?: { count?: boolean; query?: string[] };
}

export interface AuditReadSpec extends AuditReadOptions {
  action: string;
}
