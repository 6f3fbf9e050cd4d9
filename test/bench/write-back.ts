import { PGlite } from '@electric-sql/pglite';
import { Agent } from 'node:http';
import { join } from 'node:path';
import pg from 'pg';
import type { ReferenceEhr } from '../support/reference-ehr/reference-ehr.js';
import { send } from './load.js';

/** A write the worker sent to the EHR, kept to send again directly. */
export interface Write {
  method: string;
  path: string;
  body: unknown;
}

export interface Capture {
  writes: Write[];
  /** performance.now() of the EHR's first request (discovery, token or write)… */
  first?: number;
  /** …and of its last answer seen (its request log, watched every 2 ms). */
  last?: number;
  stop(): void;
}

/**
 * Records every POST/PUT the EHR receives (the interceptor runs before the engine; it changes nothing), and when
 * the EHR answered last. The service's own probes cannot time the drain: its worker starts before it listens.
 */
export function captureWrites(ehr: ReferenceEhr): Capture {
  let answered = ehr.requests.length;
  const watch = setInterval(() => {
    if (ehr.requests.length !== answered) {
      answered = ehr.requests.length;
      c.last = performance.now();
    }
  }, 2);
  const c: Capture = {
    writes: [],
    stop: () => {
      clearInterval(watch);
      ehr.intercept = undefined;
    },
  };
  ehr.intercept = ({ method, path, body }) => {
    c.first ??= performance.now();
    if ((method === 'POST' || method === 'PUT') && path.startsWith('/fhir')) c.writes.push({ method, path, body });
    return undefined;
  };
  return c;
}

/** The write-back queue as /health/ready reports it. */
export async function queue(base: string): Promise<{ pending: number; inFlight: number; dead: number }> {
  const res = await fetch(`${base}/health/ready`);
  const body = (await res.json()) as { details?: { outbox?: { pending?: number; inFlight?: number; dead?: number } } };
  const o = body.details?.outbox ?? {};
  return { pending: o.pending ?? NaN, inFlight: o.inFlight ?? NaN, dead: o.dead ?? NaN };
}

/** Looks every 50 ms until nothing is pending or in flight; the time it emptied. */
export async function untilDrained(base: string, timeoutMs: number, alive: () => boolean): Promise<{ at: number; dead: number }> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    if (!alive()) throw new Error('the service exited while draining');
    const q = await queue(base).catch((err: Error) => ((last = err.cause ?? err), undefined));
    if (q && q.pending === 0 && q.inFlight === 0) return { at: performance.now(), dead: q.dead };
    if (Date.now() > end) throw new Error(`the write-back queue did not drain within ${timeoutMs} ms (${JSON.stringify(q)}; last error ${String(last)})`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * The same writes sent straight to a fresh store of the same EHR, `concurrency` at a time in their order (the
 * worker delivers a batch of OUTBOX_BATCH_SIZE = 10 at once): the EHR's own rate for these Bundles.
 */
export async function replayDirect(ehr: ReferenceEhr, writes: Write[], concurrency: number): Promise<{ seconds: number; errors: number }> {
  await ehr.reset();
  const token = ehr.issueUserToken();
  const origin = new URL(ehr.baseUrl).origin;
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  let next = 0;
  let errors = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < writes.length) {
        const w = writes[next++];
        const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/fhir+json', Accept: 'application/fhir+json' };
        const status = await send(agent, origin, { method: w.method as 'POST', path: w.path, headers, body: JSON.stringify(w.body) }).catch(() => 0);
        if (status < 200 || status >= 300) errors += 1;
      }
    }),
  );
  agent.destroy();
  return { seconds: (performance.now() - t0) / 1000, errors };
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
