import type { Role } from './roles.js';

/** Who is calling, as the session established at launch says. Attached to the request by the auth guard. */
export interface SessionUser {
  sessionId: string;
  userId: string;
  registrationId: string;
  issuer: string;
  /** Relative reference, e.g. `Practitioner/123`. */
  fhirUser: string;
  role: Role;
  displayName: string;
  /** The patient in context (EHR launch, a patient's own or a caregiver's patient); null for staff without one. */
  patientId: string | null;
  encounterId: string | null;
  needPatientBanner: boolean;
  smartStyleUrl: string | null;
  csrfToken: string;
}
