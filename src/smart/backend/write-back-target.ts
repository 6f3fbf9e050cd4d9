import { DomainError } from '../../common/errors/domain-error.js';
import type { EhrRegistration } from '../registry/ehr-registration.entity.js';

/**
 * The FHIR base a registration's write-backs go to: its own `fhirBaseUrl`, else its issuer. A wildcard issuer
 * (`…/*`, a launcher whose `iss` encodes each launch) names no single server, so it must name one.
 */
export function writeBackBase(r: EhrRegistration): string {
  const base = r.fhirBaseUrl ?? (r.issuer.endsWith('/*') ? null : r.issuer);
  if (!base) throw new DomainError('REGISTRY.WRITE_BACK_UNCONFIGURED', 'This registration matches many issuers: name the FHIR base write-backs go to (fhirBaseUrl).');
  return base;
}

/** Backend services need our key (private_key_jwt) and system scopes; checked before any network call. */
export function assertBackendServices(r: EhrRegistration): void {
  if (r.clientAuth !== 'private_key_jwt' || !r.systemScopes) {
    throw new DomainError('REGISTRY.WRITE_BACK_UNCONFIGURED', 'This EHR registration has no backend-services access (private_key_jwt and system scopes).');
  }
}
