import { PGlite } from '@electric-sql/pglite';
import { Agent } from 'node:http';
import { join } from 'node:path';
import pg from 'pg';
import type { ReferenceEhr } from '../support/reference-ehr/reference-ehr.js';
import { send } from './load.js';

/** Writes answered before the timed window on both sides: the EHR process warms up (JIT, caches) on them. */
export const WARM_WRITES = 30;

/** A write the worker sent to the EHR, kept to send again directly. */
export interface Write {
  method: string;
  path: string;
  body: unknown;
  /** Whose write (the first `Patient/…` it references): the worker sends each patient's in order, one at a time. */
  patient: string;
  /** What it writes (each entry's conditional url, or method and path): the same key twice is the same write twice. */
  key: string;
}

/** When the EHR answered each FHIR write (performance.now(), from its own answer hook), and how many were not 2xx. */
export interface Answers {
  at: number[];
  failed: number;
}

export interface Capture {
  writes: Write[];
  answers: Answers;
  stop(): void;
}

const isWrite = (method: string, path: string) => (method === 'POST' || method === 'PUT') && path.startsWith('/fhir');

/** Times every FHIR write the EHR answers, through its `onAnswer` hook (no polling beside it). */
function watchAnswers(ehr: ReferenceEhr): Answers {
  const answers: Answers = { at: [], failed: 0 };
  ehr.onAnswer = ({ method, path, status }) => {
    if (!isWrite(method, path)) return;
    answers.at.push(performance.now());
    if (status < 200 || status >= 300) answers.failed += 1;
  };
  return answers;
}

/** The write's key: a transaction Bundle by its entries' conditional urls (our business identifiers), else method and path. */
function keyOf(method: string, path: string, body: unknown): string {
  const entries = (body as { resourceType?: string; entry?: { request?: { method?: string; url?: string; ifNoneExist?: string } }[] } | undefined)?.entry;
  if (!entries?.length) return `${method} ${path}`;
  return entries.map((e) => `${e.request?.method} ${e.request?.ifNoneExist ?? e.request?.url}`).join('\n');
}

/** The patient a write concerns, for the replay's order; a write naming none is a patient of its own. */
function patientOf(body: unknown, n: number): string {
  return /"reference":"(Patient\/[^"]+)"/.exec(JSON.stringify(body) ?? '')?.[1] ?? `none-${n}`;
}

/**
 * Records every POST/PUT the EHR receives (the interceptor runs before the engine; it changes nothing) and when it
 * answered each. The service's own probes cannot time the drain: its worker starts before it listens.
 */
export function captureWrites(ehr: ReferenceEhr): Capture {
  const c: Capture = {
    writes: [],
    answers: watchAnswers(ehr),
    stop: () => {
      ehr.intercept = undefined;
      ehr.onAnswer = undefined;
    },
  };
  ehr.intercept = ({ method, path, body }) => {
    if (isWrite(method, path)) c.writes.push({ method, path, body, patient: patientOf(body, c.writes.length), key: keyOf(method, path, body) });
    return undefined;
  };
  return c;
}

/** Writes the EHR received more than once (the drain must deliver each entry exactly once). */
export function repeatedWrites(writes: readonly Write[]): { distinct: number; repeated: number } {
  const distinct = new Set(writes.map((w) => w.key)).size;
  return { distinct, repeated: writes.length - distinct };
}

/** The rate of the answers after the first `warm` (from the `warm`-th answer to the last): writes, seconds, per second. */
export function answerRate(at: readonly number[], warm = WARM_WRITES): { writes: number; seconds: number; perS: number } {
  const skip = at.length > warm + 1 ? warm : 0;
  const from = skip ? at[skip - 1] : at[0];
  const seconds = ((at[at.length - 1] ?? from) - from) / 1000;
  const writes = at.length - skip - (skip ? 0 : 1);
  return { writes, seconds, perS: writes / seconds };
}

/** The write-back queue as /health/ready reports it. */
export async function queue(base: string): Promise<{ pending: number; inFlight: number; dead: number }> {
  const res = await fetch(`${base}/health/ready`);
  const body = (await res.json()) as { details?: { outbox?: { pending?: number; inFlight?: number; dead?: number } } };
  const o = body.details?.outbox ?? {};
  return { pending: o.pending ?? NaN, inFlight: o.inFlight ?? NaN, dead: o.dead ?? NaN };
}

/** Looks every 250 ms (a light touch on the service while it drains) until nothing is pending or in flight. */
export async function untilDrained(base: string, timeoutMs: number, alive: () => boolean): Promise<{ dead: number }> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    if (!alive()) throw new Error('the service exited while draining');
    const q = await queue(base).catch((err: Error) => ((last = err.cause ?? err), undefined));
    if (q && q.pending === 0 && q.inFlight === 0) return { dead: q.dead };
    if (Date.now() > end) throw new Error(`the write-back queue did not drain within ${timeoutMs} ms (${JSON.stringify(q)}; last error ${String(last)})`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * The same writes sent straight to a fresh store of the same EHR by the worker's rules: `concurrency` at a time (the
 * worker's OUTBOX_BATCH_SIZE), each patient's writes in their order and one at a time; bodies serialized before.
 * Timed by the same answer hook as the drain: the EHR's own rate for these Bundles.
 */
export async function replayDirect(ehr: ReferenceEhr, writes: readonly Write[], concurrency: number): Promise<{ answers: Answers; errors: number }> {
  await ehr.reset();
  const token = ehr.issueUserToken();
  const origin = new URL(ehr.baseUrl).origin;
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/fhir+json', Accept: 'application/fhir+json' };
  const left = writes.map((w) => ({ ...w, text: JSON.stringify(w.body) }));
  const answers = watchAnswers(ehr);
  const busy = new Set<string>();
  const inFlight = new Set<Promise<void>>();
  let errors = 0;
  try {
    for (;;) {
      while (inFlight.size < concurrency) {
        // The oldest write whose patient has nothing in flight (its earlier writes are then all answered).
        const i = left.findIndex((w) => !busy.has(w.patient));
        if (i < 0) break;
        const [w] = left.splice(i, 1);
        busy.add(w.patient);
        const sending: Promise<void> = send(agent, origin, { method: w.method as 'POST', path: w.path, headers, body: w.text })
          .catch(() => 0)
          .then((status) => {
            if (status < 200 || status >= 300) errors += 1;
          })
          .finally(() => {
            busy.delete(w.patient);
            inFlight.delete(sending);
          });
        inFlight.add(sending);
      }
      if (!inFlight.size) break;
      await Promise.race(inFlight);
    }
  } finally {
    ehr.onAnswer = undefined;
    agent.destroy();
  }
  return { answers, errors };
}

/**
 * Keeps only the `keep` oldest queued write-backs (by queue order) and deletes the rest, with the service stopped.
 * A quiet machine queues thousands of them during the load; draining them all into the in-memory reference EHR
 * would take far longer than every other phase, and a fixed sample gives a rate that compares across runs. Deleting
 * later entries leaves each patient's earlier ones in order, as the worker needs them.
 * The database is the bench's own (a schema dropped afterwards, or a temporary data directory).
 */
export async function trimQueue(db: { url?: string; schema?: string; dataDir: string }, keep: number): Promise<{ kept: number; removed: number }> {
  const sql = `DELETE FROM outbox_entry WHERE status = 'pending' AND seq NOT IN (SELECT seq FROM outbox_entry WHERE status = 'pending' ORDER BY seq LIMIT ${Math.floor(keep)})`;
  const count = `SELECT count(*)::int AS n FROM outbox_entry WHERE status = 'pending'`;
  if (db.url) {
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      await client.query(`SET search_path TO ${db.schema}`);
      const removed = (await client.query(sql)).rowCount ?? 0;
      const kept = (await client.query<{ n: number }>(count)).rows[0].n;
      return { kept, removed };
    } finally {
      await client.end();
    }
  }
  const pglite = await PGlite.create({ dataDir: join(db.dataDir, 'pg') });
  try {
    const removed = (await pglite.query(sql)).affectedRows ?? 0;
    const kept = (await pglite.query<{ n: number }>(count)).rows[0].n;
    return { kept, removed };
  } finally {
    await pglite.close();
  }
}
