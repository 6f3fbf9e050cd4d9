import { registerAs } from '@nestjs/config';
import { z } from 'zod';
import { positiveInt, readEnv } from './env.js';

export interface FhirConfig {
  /** `auto`: the sandbox EHR is mounted when no EHR is registered; never in production. */
  sandbox: 'auto' | 'on' | 'off';
  requestTimeoutMs: number;
  outboxPollMs: number;
  outboxMaxAttempts: number;
}

export function loadFhirConfig(env: NodeJS.ProcessEnv = process.env): FhirConfig {
  return {
    sandbox: readEnv(env, 'SANDBOX', z.enum(['auto', 'on', 'off']).default('auto'), 'one of auto, on, off'),
    requestTimeoutMs: readEnv(env, 'FHIR_TIMEOUT_MS', positiveInt(15000), 'a positive integer (milliseconds)'),
    outboxPollMs: readEnv(env, 'OUTBOX_POLL_MS', positiveInt(1000), 'a positive integer (milliseconds)'),
    outboxMaxAttempts: readEnv(env, 'OUTBOX_MAX_ATTEMPTS', positiveInt(18), 'a positive integer'),
  };
}

export const fhirConfig = registerAs('fhir', () => loadFhirConfig());
