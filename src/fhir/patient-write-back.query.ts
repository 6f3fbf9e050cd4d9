import type { DataSource } from 'typeorm';
import { DomainError } from '../common/errors/domain-error.js';
import type { OutboxError, OutboxStatus } from './outbox-entry.entity.js';
import { isFhirId } from './ids.js';
import { ABANDONED } from './delivery.rules.js';

/** `failed` wins over `waiting` over `delivered`; a patient with no writes yet is `delivered` with 0. */
export type WriteBackState = 'delivered' | 'waiting' | 'failed';

/** One write the EHR refused (dead) or has not accepted yet (retrying): what, when, and the EHR's words. No Bundle. */
export interface WriteBackProblem {
  id: string;
  kind: string;
  /** When the write was made. */
  createdAt: string;
  /** When the EHR last refused it (or did not answer). */
  at: string;
  /** The EHR's HTTP status; 0 when there was no answer. */
  status: number;
  reason: string;
  /** The EHR's own words (OperationOutcome issue text / diagnostics), else a sentence built from status and reason. */
  message: string;
  /** False when the EHR refused it: resending the same write will not help. */
  retryable: boolean;
}

export interface PatientWriteBack {
  state: WriteBackState;
  delivered: number;
  /** Pending or in flight. */
  waiting: number;
  /** Age of the oldest waiting write; null when nothing waits. */
  oldestWaitingSeconds: number | null;
  /** All dead writes; `failed` lists at most PROBLEM_LIMIT of them. */
  failedCount: number;
  failed: WriteBackProblem[];
  /** Waiting writes whose last attempt failed: they will be tried again. */
  retrying: WriteBackProblem[];
}

/** The row the SQL below answers. */
export interface PatientWriteBackRow {
  delivered: number;
  waiting: number;
  dead: number;
  oldest: number | null;
  problems: { id: string; kind: string; status: OutboxStatus; createdAt: string; lastError: OutboxError | null }[] | null;
}

export const PROBLEM_LIMIT = 50;
export const MESSAGE_MAX_CHARS = 300;

/** The route's `{id}`: a FHIR Patient id, else a 400 OperationOutcome. */
export function parsePatientId(raw: unknown): string {
  if (isFhirId(raw)) return raw;
  throw new DomainError('COMMON.VALIDATION', 'Not a FHIR id.', [{ message: 'id: must be a FHIR Patient id', expression: 'id' }]);
}

const clean = (s: unknown): string => (typeof s === 'string' ? s.replace(/\s+/g, ' ').trim() : '');

function truncate(s: string, max = MESSAGE_MAX_CHARS): string {
  return s.length <= max ? s : `${s.slice(0, max - 1).trimEnd()}…`;
}

/** The words of an OperationOutcome's issues (errors first; warnings only when there is no error), or ''. */
export function outcomeText(outcome: unknown): string {
  const issues = (outcome as { resourceType?: unknown; issue?: unknown })?.resourceType === 'OperationOutcome' ? (outcome as { issue?: unknown }).issue : undefined;
  if (!Array.isArray(issues)) return '';
  type Issue = { severity?: unknown; details?: { text?: unknown }; diagnostics?: unknown; expression?: unknown };
  const all = issues.filter((i): i is Issue => !!i && typeof i === 'object');
  const errors = all.filter((i) => i.severity === 'error' || i.severity === 'fatal');
  const lines = (errors.length ? errors : all.filter((i) => i.severity !== 'information')).map((i) => {
    const words = [...new Set([clean(i.details?.text), clean(i.diagnostics)].filter(Boolean))].join(' — ');
    const where = Array.isArray(i.expression) ? clean(i.expression[0]) : '';
    return words && where ? `${words} (${where})` : words;
  });
  return lines.filter(Boolean).join('; ');
}

/** What to tell a person about a failed attempt: the EHR's words when it gave some, else what we know. */
export function ehrMessage(error: OutboxError | null | undefined): string {
  if (!error) return 'No reason was recorded.';
  const words = outcomeText(error.outcome);
  if (words) return truncate(words);
  const reason = clean(error.reason);
  if (error.status > 0) return truncate(`The EHR answered HTTP ${error.status}${reason && reason !== 'http' ? ` (${reason})` : ''}.`);
  if (reason === 'internal') return 'A fault on our side, not the EHR’s.';
  if (reason === ABANDONED) return 'Sending stopped again and again with no answer recorded (a fault on our side, not the EHR’s). Retry it once the cause is fixed.';
  if (reason.startsWith('authorization:')) return truncate(`The EHR did not grant write-back access (${reason.slice('authorization:'.length)}).`);
  return truncate(`The EHR did not answer${reason ? ` (${reason})` : ''}.`);
}

const iso = (v: string | null | undefined): string => (v ? new Date(v).toISOString() : '');

/** The SQL row as the API answers it. Pure. */
export function toPatientWriteBack(row: PatientWriteBackRow): PatientWriteBack {
  const problems = (row.problems ?? []).map((p) => ({
    dead: p.status === 'dead',
    view: {
      id: p.id,
      kind: p.kind,
      createdAt: iso(p.createdAt),
      at: iso(p.lastError?.at) || iso(p.createdAt),
      status: p.lastError?.status ?? 0,
      reason: p.lastError?.reason ?? 'unknown',
      message: ehrMessage(p.lastError),
      retryable: p.lastError?.retryable ?? false,
    } satisfies WriteBackProblem,
  }));
  const state: WriteBackState = row.dead > 0 ? 'failed' : row.waiting > 0 ? 'waiting' : 'delivered';
  return {
    state,
    delivered: row.delivered,
    waiting: row.waiting,
    oldestWaitingSeconds: row.waiting > 0 && row.oldest !== null ? Math.max(0, Math.round(row.oldest)) : null,
    failedCount: row.dead,
    failed: problems.filter((p) => p.dead).map((p) => p.view),
    retrying: problems.filter((p) => !p.dead).map((p) => p.view),
  };
}

/**
 * One patient's write-backs to one EHR, in one statement: counts by status, the oldest waiting age, and the
 * problems (dead first, then waiting entries whose last attempt failed; newest first). Never the Bundle.
 */
export async function readPatientWriteBack(ds: DataSource, registrationId: string, patientId: string): Promise<PatientWriteBack> {
  const [row]: PatientWriteBackRow[] = await ds.query(
    `SELECT count(*) FILTER (WHERE status = 'delivered')::int AS delivered,
            count(*) FILTER (WHERE status IN ('pending', 'in_flight'))::int AS waiting,
            count(*) FILTER (WHERE status = 'dead')::int AS dead,
            EXTRACT(EPOCH FROM now() - min(created_at) FILTER (WHERE status IN ('pending', 'in_flight')))::float8 AS oldest,
            to_json((array_agg(json_build_object('id', id, 'kind', kind, 'status', status, 'createdAt', created_at, 'lastError', last_error)
                               ORDER BY (status = 'dead') DESC, seq DESC)
                     FILTER (WHERE status = 'dead' OR (status IN ('pending', 'in_flight') AND last_error IS NOT NULL)))[1:$3::int]) AS problems
       FROM outbox_entry
      WHERE registration_id = $1 AND patient_key = $2`,
    [registrationId, `Patient/${patientId}`, PROBLEM_LIMIT],
  );
  return toPatientWriteBack(row);
}
