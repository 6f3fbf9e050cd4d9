import type { DeliveryOverrides } from './delivery/delivery-profile.js';

/** Where and as whom to talk FHIR: a base URL and the Authorization header value to send. */
export interface FhirConnection {
  baseUrl: string;
  authorization: string;
  /** For logs and audit only: which EHR registration this is. */
  registrationId: string;
  /** The registration's delivery overrides (mode, largest Bundle, conditional writes), for write-back. */
  delivery?: DeliveryOverrides;
  /**
   * The scopes the token was granted (its token response's `scope`, else what was asked), when known: a write that
   * needs more is refused with a clear reason before the EHR is asked.
   */
  grantedScopes?: string;
}

/** The write a connection is for: whose change (a fhirUser; null for the app's own) and whose chart. */
export interface WriteBackWork {
  actor: string | null;
  /** The outbox ordering key: `Patient/<id>`, or `cohort/<id>` for shared Appointments. */
  patientKey: string;
  /** A Task completion: a user's token must also be granted Task update (a session without it is passed over). */
  taskUpdate?: boolean;
}

/**
 * Port implemented by the smart module (the only holder of tokens): the connection write-backs of a
 * registration use — as the service itself (SMART backend services), or, where the EHR has none, as a user
 * whose token fits the work.
 */
export abstract class EhrSystemAuthorizer {
  abstract systemConnection(registrationId: string, work?: WriteBackWork): Promise<FhirConnection>;
}
