import { ConfigError } from '../config/config-error.js';
import type { FhirConfig } from '../config/fhir.config.js';
import type { SecurityConfig } from '../config/security.config.js';

/**
 * Whether the sandbox EHR is mounted: `on` → yes, `off` → no, `auto` → everywhere but production.
 * The sandbox issues tokens for synthetic users with no real authentication, so asking for it in
 * production is a configuration mistake that stops the service rather than a silent downgrade.
 */
export function sandboxEnabled(fhir: Pick<FhirConfig, 'sandbox'>, security: Pick<SecurityConfig, 'production'>): boolean {
  if (fhir.sandbox === 'on' && security.production) {
    throw new ConfigError('SANDBOX', 'must not be on when NODE_ENV=production (the sandbox EHR is for development and tests)');
  }
  if (fhir.sandbox === 'off') return false;
  return fhir.sandbox === 'on' || !security.production;
}

/** Like sandboxEnabled, but a refused configuration counts as disabled: `validateAllConfig` reports it at boot. */
export function sandboxMounted(fhir: Pick<FhirConfig, 'sandbox'>, security: Pick<SecurityConfig, 'production'>): boolean {
  try {
    return sandboxEnabled(fhir, security);
  } catch {
    return false;
  }
}
