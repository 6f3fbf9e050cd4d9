import type { DeliveryOverrides } from './delivery/delivery-profile.js';

/** Where and as whom to talk FHIR: a base URL and the Authorization header value to send. */
export interface FhirConnection {
  baseUrl: string;
  authorization: string;
  /** For logs and audit only: which EHR registration this is. */
  registrationId: string;
  /** The registration's delivery overrides (mode, largest Bundle, conditional writes), for write-back. */
  delivery?: DeliveryOverrides;
}

/**
 * Port implemented by the smart module (the only holder of tokens): the connection write-backs of a
 * registration use — as the service itself (SMART backend services), or, where the EHR has none, as the user
 * whose change it is (`actor`, a fhirUser).
 */
export abstract class EhrSystemAuthorizer {
  abstract systemConnection(registrationId: string, actor?: string | null): Promise<FhirConnection>;
}
