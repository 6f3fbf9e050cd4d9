import { registerAs } from '@nestjs/config';
import { z } from 'zod';

const jsonArray = z
  .string()
  .default('[]')
  .transform((v, ctx) => {
    try {
      const parsed: unknown = JSON.parse(v);
      if (Array.isArray(parsed)) return parsed as unknown[];
    } catch {
      // fall through
    }
    ctx.addIssue({ code: 'custom', message: 'not a JSON array' });
    return z.NEVER;
  });
import { bool, positiveInt, readEnv } from './env.js';

export interface FhirConfig {
  /** EHR registrations managed by configuration (JSON array), applied at every start. */
  ehrRegistrations: unknown[];
  /** `auto`: the sandbox EHR is mounted when no EHR is registered; never in production. */
  sandbox: 'auto' | 'on' | 'off';
  requestTimeoutMs: number;
  outboxPollMs: number;
  outboxMaxAttempts: number;
  /** Run the write-back worker in this process (off: a web-only instance, or tests that drive it). */
  outboxWorker: boolean;
  /** Entries claimed per round: at most one per patient, delivered concurrently. */
  outboxBatchSize: number;
  /** How long a claim holds; past it, another worker may take the entry (the claimer is presumed dead). */
  outboxLeaseMs: number;
  outboxBackoffBaseMs: number;
  outboxBackoffCapMs: number;
}

export function loadFhirConfig(env: NodeJS.ProcessEnv = process.env): FhirConfig {
  return {
    ehrRegistrations: readEnv(env, 'EHR_REGISTRATIONS', jsonArray, 'a JSON array of registrations ({issuer, name, clientId, clientAuth, clientSecret?, scopes?, systemScopes?, frameAncestors?})'),
    sandbox: readEnv(env, 'SANDBOX', z.enum(['auto', 'on', 'off']).default('auto'), 'one of auto, on, off'),
    requestTimeoutMs: readEnv(env, 'FHIR_TIMEOUT_MS', positiveInt(15000), 'a positive integer (milliseconds)'),
    outboxPollMs: readEnv(env, 'OUTBOX_POLL_MS', positiveInt(1000), 'a positive integer (milliseconds)'),
    outboxMaxAttempts: readEnv(env, 'OUTBOX_MAX_ATTEMPTS', positiveInt(18), 'a positive integer'),
    outboxWorker: readEnv(env, 'OUTBOX_WORKER', bool(true), 'true or false'),
    outboxBatchSize: readEnv(env, 'OUTBOX_BATCH_SIZE', positiveInt(10), 'a positive integer'),
    outboxLeaseMs: readEnv(env, 'OUTBOX_LEASE_MS', positiveInt(60000), 'a positive integer (milliseconds)'),
    outboxBackoffBaseMs: readEnv(env, 'OUTBOX_BACKOFF_BASE_MS', positiveInt(2000), 'a positive integer (milliseconds)'),
    outboxBackoffCapMs: readEnv(env, 'OUTBOX_BACKOFF_CAP_MS', positiveInt(3_600_000), 'a positive integer (milliseconds)'),
  };
}

export const fhirConfig = registerAs('fhir', () => loadFhirConfig());
