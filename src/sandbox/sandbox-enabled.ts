import { ConfigError } from '../config/config-error.js';
import type { FhirConfig } from '../config/fhir.config.js';
import type { SecurityConfig } from '../config/security.config.js';

/**
 * The one decision whether the sandbox EHR is mounted (SandboxModule.register asks it, nothing else does):
 * `on` → yes, `off` → no, `auto` → outside production and only while no real EHR is configured
 * (EHR_REGISTRATIONS). The sandbox issues tokens for synthetic users with no real authentication, so asking for it
 * in production, or beside real EHRs, stops the service rather than silently downgrading it. (Registrations added
 * later through the API are handled at boot: see SandboxRegistration, which then stops trusting the sandbox.)
 */
export function sandboxEnabled(
  fhir: Pick<FhirConfig, 'sandbox'> & Partial<Pick<FhirConfig, 'ehrRegistrations'>>,
  security: Pick<SecurityConfig, 'production'>,
): boolean {
  const realEhrs = (fhir.ehrRegistrations?.length ?? 0) > 0;
  if (fhir.sandbox === 'on' && security.production) {
    throw new ConfigError('SANDBOX', 'must not be on when NODE_ENV=production (the sandbox EHR is for development and tests)');
  }
  if (fhir.sandbox === 'on' && realEhrs) {
    throw new ConfigError('SANDBOX', 'must not be on while EHR_REGISTRATIONS configures real EHRs');
  }
  if (fhir.sandbox === 'off') return false;
  return fhir.sandbox === 'on' || (!security.production && !realEhrs);
}
