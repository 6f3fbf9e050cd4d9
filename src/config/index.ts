import { loadDatabaseConfig } from './database.config.js';
import { loadFhirConfig } from './fhir.config.js';
import { loadHttpConfig } from './http.config.js';
import { loadReportsConfig } from './reports.config.js';
import { loadSafetyConfig } from './safety.config.js';
import { loadSecurityConfig } from './security.config.js';

export { databaseConfig, type DatabaseConfig } from './database.config.js';
export { fhirConfig, type FhirConfig } from './fhir.config.js';
export { httpConfig, type HttpConfig } from './http.config.js';
export { securityConfig, type SecurityConfig } from './security.config.js';
export { reportsConfig, type ReportsConfig } from './reports.config.js';
export { safetyConfig, type SafetyConfig } from './safety.config.js';
export { ConfigError } from './config-error.js';

/** Validates every area once, before Nest starts, so a bad value stops the service with one line. */
export function validateAllConfig(env: NodeJS.ProcessEnv = process.env): void {
  loadDatabaseConfig(env);
  loadHttpConfig(env);
  loadReportsConfig(env);
  loadSafetyConfig(env);
  loadSecurityConfig(env);
  // The values only: whether the sandbox may be on is the sandbox's decision (SandboxModule), and what an
  // EHR_REGISTRATIONS entry must hold is smart's registration schema (checked by main.ts, and at boot).
  loadFhirConfig(env);
}
