import { FhirCallError } from './fhir-gateway.js';
import type { OutboxError } from './outbox-entry.entity.js';

/**
 * A unit of work that cannot be delivered as it is, whatever the EHR's state: no duplicate-free way to write
 * to this EHR, several resources carry one identifier, a reference cycle sent in pieces, a registration that
 * cannot deliver. Resending changes nothing, so the entry goes dead at once with the reason (never silently).
 */
export class UndeliverableError extends Error {
  constructor(readonly reason: string, message: string) {
    super(message);
    this.name = 'UndeliverableError';
  }
}

/** What to do after a failed delivery. Pure: the worker applies it. */
export interface FailureVerdict {
  action: 'retry' | 'dead';
  error: OutboxError;
  /** The server's Retry-After, a floor for the next wait. */
  retryAfterMs?: number;
  /** 401: the cached system token is stale; get a new one before the retry. */
  refreshToken?: boolean;
}

const MAX_OUTCOME_CHARS = 8000;

/**
 * Network errors, 408, 429 and 5xx are worth retrying; 401 too, with a fresh token. Any other 4xx will be
 * answered the same way next time, so the entry goes dead at once, keeping the EHR's OperationOutcome.
 * An answer we could not read (a 2xx that is not JSON) is retried: a resend is idempotent.
 */
export function judgeFailure(err: unknown, at: Date): FailureVerdict {
  if (err instanceof UndeliverableError) {
    return { action: 'dead', error: { status: 0, reason: `undeliverable:${err.reason}`, retryable: false, at: at.toISOString(), outcome: ourOutcome(err.message) } };
  }
  if (!(err instanceof FhirCallError)) {
    // A fault on our side (database, a bug): never the EHR's verdict, so try again later.
    return { action: 'retry', error: { status: 0, reason: 'internal', retryable: true, at: at.toISOString() } };
  }
  const s = err.status;
  const retryable = s === 0 || s === 401 || s === 408 || s === 429 || s >= 500 || s < 400;
  const outcome = operationOutcomeOnly(err.outcome);
  const error: OutboxError = { status: s, reason: err.reason, retryable, at: at.toISOString(), ...(outcome ? { outcome } : {}) };
  return {
    action: retryable ? 'retry' : 'dead',
    error,
    ...(err.retryAfterMs !== undefined ? { retryAfterMs: err.retryAfterMs } : {}),
    ...(s === 401 ? { refreshToken: true } : {}),
  };
}

/** Keeps the body only when it is an OperationOutcome of reasonable size (never an HTML error page). */
export function operationOutcomeOnly(body: unknown): unknown {
  if (!body || typeof body !== 'object' || (body as { resourceType?: unknown }).resourceType !== 'OperationOutcome') return undefined;
  if (JSON.stringify(body).length <= MAX_OUTCOME_CHARS) return body;
  const issues = ((body as { issue?: { severity?: string; code?: string }[] }).issue ?? []).slice(0, 20);
  return { resourceType: 'OperationOutcome', issue: issues.map((i) => ({ severity: i.severity, code: i.code })) };
}

/** Our own words as an OperationOutcome, so the clinician's and the admin's views read it like an EHR's answer. */
function ourOutcome(text: string) {
  return { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'processing', diagnostics: text }] };
}

/**
 * OutboxError.reason of an entry taken over ABANDON_AFTER_TAKEOVERS claims in a row from a worker whose lease passed
 * with nothing recorded: its worker crashed or stalled each time (outbox.worker.ts).
 */
export const ABANDONED = 'abandoned';

/** Three: a lease is at least 2 × (FHIR_TIMEOUT_MS + 10 s) and a live worker renews it, so this is no slow EHR. */
export const ABANDON_AFTER_TAKEOVERS = 3;
