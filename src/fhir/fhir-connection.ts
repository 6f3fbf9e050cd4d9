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
 * Port implemented by the smart module (the only holder of tokens): a connection acting as the
 * service itself (SMART backend services, client_credentials + private_key_jwt), for work without a user.
 */
export abstract class EhrSystemAuthorizer {
  abstract systemConnection(registrationId: string): Promise<FhirConnection>;
}
