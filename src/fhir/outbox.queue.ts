import { Injectable } from '@nestjs/common';
import type { Bundle } from 'fhir/r4.js';
import { DataSource } from 'typeorm';
import type { DeliveredEntry, OutboxError } from './outbox-entry.entity.js';

/** An entry as a worker holds it. `attempts` (after the claim) is the claim's fencing token. */
export interface ClaimedEntry {
  id: string;
  registrationId: string;
  kind: string;
  bundle: Bundle;
  attempts: number;
  /** Whose change it is (delivery with a user's credentials). */
  actor: string | null;
  patientKey: string;
  seq: string;
  /** Attempts made before an admin's last retry: the retry budget counts from here. */
  attemptBase: number;
  /** Claims in a row, this one included, that took it over from a worker whose lease passed with nothing recorded. */
  takeovers: number;
  /** The entry this one needs delivered first (a Task completion: its response's). */
  dependsOn: string | null;
  /**
   * Conditional updates (`PUT Type?…` urls) of this entry that a later entry of the same patient has already
   * delivered (an admin retried an old dead entry, or a transaction committed its entry after a later one):
   * resending them as they are would put the EHR back to older data. Read by the claim itself, when no later entry
   * of the patient is in flight (CLAIM).
   */
  superseded: ReadonlySet<string>;
}

/** Where an entry another one depends on stands, and what the EHR answered for it. */
export interface DependencyState {
  status: string;
  bundle: Bundle;
  response: DeliveredEntry[] | null;
}

/**
 * Claims entries that are due. Per (registration, patient) one entry is a candidate: the newest one in flight if
 * there is one (`flying`, below), else the oldest pending (`heads`), so a patient's writes go out in creation order and
 * none overtakes an earlier one waiting for its retry. Delivered and dead entries no longer count: a dead letter does
 * not block its patient. An in-flight entry whose lease has passed is a crashed (or stalled) worker's and is claimable
 * again.
 * An entry that depends on another (a Task completion on its response's) takes no part in that order — it neither
 * waits for nor holds back the patient's other writes — and is due only once its dependency is delivered or dead
 * (or missing): the delivery then decides. Among those, per (registration, patient) only the oldest is a candidate, so
 * at most one is in flight with a live lease at a time: two completions of one Task (two sessions launched on it)
 * never race, which on an EHR that gives no versionId (so no If-Match) would let the second PUT drop the first's output.
 * Why an entry in flight comes first, whatever its seq: an entry with a lower seq can appear after a later one was
 * claimed (an admin retried a dead one, or a transaction committed its entry late); sent beside it, with its
 * superseded updates (below) read before the later one is delivered, its older PUTs could land last. So it waits until
 * the later one is recorded, then goes out with those updates turned into create-if-absent. That holds after the later
 * one's lease has passed too: its worker may have sent it (the EHR accepted it) and be late recording it (a pool wait,
 * a GC pause), so the later one is claimed again first and sent once more (idempotent; the stale worker's record is
 * then fenced off), never taken for unsent. Once a lease has passed its worker starts no request (lease.ts), and those
 * it started have ended or timed out. Hence, when an entry is claimed no other entry of its patient (and half) is in
 * flight: every later one is delivered (its updates superseded), or pending (sent again after this one, in full: its
 * newer data still lands last), or dead (see the limit below).
 * The newest in flight, and a guard in `due`: two entries of one patient in flight at once (rows from before this
 * rule, an instance of an older version during a rolling upgrade) — the newer one goes first, and neither is claimed
 * while another of the patient is in flight with a live lease.
 * Limit: a later entry that was sent and accepted, its record lost, then claimed again and ended dead (its retry
 * budget spent, or a 4xx on the resend) does not supersede an earlier retried entry's updates: that one then goes out
 * in full and its older data lands last. Dead entries are for a person to look at (the admin's view says what each
 * would have written); retry the later one after the earlier.
 * Among the entries with depends_on, the candidate (the oldest whose dependency is done) is not due while another of
 * its patient is in flight with a live lease. A passed lease holds it back no more: a Task completion reads the Task
 * before it writes (If-Match), and the other's worker sends nothing once its lease has passed.
 * Cost: `heads` is a skip scan of idx_outbox_entry_queue (a partial index, migration 1795000061000), one descent
 * from each patient with entries waiting to the next, so a claim costs in patients, not in entries: a DISTINCT ON over
 * the same rows read (and sorted) the whole backlog at every claim, and the worker claims again as each delivery ends,
 * so draining n entries cost O(n²) (after an EHR outage: 13 ms a claim at 10 000 entries, 60 ms at 50 000). `flying`
 * is the few entries in flight (idx_outbox_entry_status_seq); the dependents' in-flight test uses
 * idx_outbox_entry_waiting_dependents, and `dependent_heads` still reads every dependent waiting (their dependencies
 * are other rows). The superseded updates are read through idx_outbox_entry_delivered (migration 1795000065000): only
 * the patient's later delivered entries, never the whole history.
 * Concurrency: claims take turns (CLAIM_TURN, below), so a claim's snapshot always sees what the claims before it
 * took; SKIP LOCKED still passes rows another statement holds (an admin's retry, a delivery being recorded: that
 * patient then has nothing claimed, its candidate being the entry recorded); the
 * status tests are on `o` (not only the CTE) so PostgreSQL re-checks them on the current row version.
 * Times are `statement_timestamp()`, when the claim's message reached the server (before it waited for its turn): a
 * lease may start a little early, which only shortens it.
 * RETURNING also reads each entry's superseded updates (ClaimedEntry.superseded): one round trip, not one more
 * per entry; the subquery finds nothing unless a later entry of the patient is already delivered.
 */
const claimSql = (limit: string, leaseMs: string) => `
  WITH RECURSIVE heads AS (
    (SELECT id, registration_id, patient_key FROM outbox_entry
    WHERE status IN ('pending', 'in_flight') AND depends_on IS NULL
    ORDER BY registration_id, patient_key, seq
    LIMIT 1)
    UNION ALL
    SELECT n.id, n.registration_id, n.patient_key FROM heads h CROSS JOIN LATERAL (
      SELECT id, registration_id, patient_key FROM outbox_entry
      WHERE status IN ('pending', 'in_flight') AND depends_on IS NULL
        AND (registration_id, patient_key) > (h.registration_id, h.patient_key)
      ORDER BY registration_id, patient_key, seq
      LIMIT 1) n
  ), flying AS (
    SELECT DISTINCT ON (registration_id, patient_key) id, registration_id, patient_key
    FROM outbox_entry
    WHERE status = 'in_flight' AND depends_on IS NULL
    ORDER BY registration_id, patient_key, seq DESC
  ), ready AS (
    SELECT id FROM flying
    UNION ALL
    SELECT h.id FROM heads h
    WHERE NOT EXISTS (SELECT 1 FROM flying f WHERE f.registration_id = h.registration_id AND f.patient_key = h.patient_key)
    UNION ALL
    SELECT id FROM (
      SELECT DISTINCT ON (w.registration_id, w.patient_key) w.id FROM outbox_entry w
      WHERE w.status IN ('pending', 'in_flight') AND w.depends_on IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM outbox_entry d WHERE d.id = w.depends_on AND d.status IN ('pending', 'in_flight'))
      ORDER BY w.registration_id, w.patient_key, w.seq
    ) dependent_heads
  ), due AS (
    SELECT o.id FROM outbox_entry o JOIN ready h ON h.id = o.id
    WHERE ((o.status = 'pending' AND o.next_attempt_at <= statement_timestamp())
       OR (o.status = 'in_flight' AND o.locked_until < statement_timestamp()))
      AND NOT (o.depends_on IS NULL AND EXISTS (SELECT 1 FROM outbox_entry f
        WHERE f.registration_id = o.registration_id AND f.patient_key = o.patient_key AND f.id <> o.id
          AND f.status = 'in_flight' AND f.depends_on IS NULL AND f.locked_until >= statement_timestamp()))
      AND NOT (o.depends_on IS NOT NULL AND EXISTS (SELECT 1 FROM outbox_entry f
        WHERE f.registration_id = o.registration_id AND f.patient_key = o.patient_key AND f.id <> o.id
          AND f.status = 'in_flight' AND f.depends_on IS NOT NULL AND f.locked_until >= statement_timestamp()))
    ORDER BY o.seq
    LIMIT ${limit}
    FOR UPDATE OF o SKIP LOCKED
  )
  UPDATE outbox_entry o
  SET status = 'in_flight', attempts = o.attempts + 1, takeovers = CASE WHEN o.status = 'in_flight' THEN o.takeovers + 1 ELSE 0 END, locked_until = statement_timestamp() + ${leaseMs} * interval '1 millisecond'
  FROM due WHERE o.id = due.id
  RETURNING o.id, o.registration_id, o.kind, o.bundle, o.attempts, o.actor, o.patient_key, o.seq, o.attempt_base, o.takeovers, o.depends_on,
    ARRAY(SELECT DISTINCT x->'request'->>'url'
      FROM outbox_entry l, jsonb_array_elements(l.bundle->'entry') x
      WHERE l.registration_id = o.registration_id AND l.patient_key = o.patient_key AND l.seq > o.seq AND l.status = 'delivered'
        AND x->'request'->>'method' = 'PUT') AS superseded`;

/** The claim statement with its limit and lease as parameters $1 and $2 (tests run it inside a turn of their own). */
export const CLAIM = claimSql('$1', '$2');

/**
 * A claim's turn: a transaction-level advisory lock keyed on the outbox table itself (its oid: one per schema, test
 * suites sharing a database one schema each, and the same key for every instance whatever its search_path).
 * Why claims take turns: two claims running at once each see the table as it was when they started. An admin retries
 * a patient's dead entry E1 while claim A, which started before, takes the patient's later entry E2 (E1 was dead in
 * its snapshot); claim B, which started after the retry but before A committed, sees E1 as the patient's head and E2
 * not yet in flight, and takes E1 too (likewise for an entry whose transaction committed after a later one's). Both
 * then go out together, and E1's older conditional updates can land after E2's. Taken before the claim statement
 * in the same READ COMMITTED transaction, the lock makes B's snapshot begin after A's commit: B sees E2 in flight and
 * holds E1 back.
 * A turn is one message to the server (BEGIN, lock, statement, COMMIT as one simple query: `inTurn`), so no
 * instance holds it across a round trip: a worker whose host dies mid-claim leaves no lock behind.
 * A renewal takes the turn shared: a renewal racing its lease's end is either seen by a claim or refused.
 */
export const CLAIM_TURN = `SELECT pg_advisory_xact_lock('outbox_entry'::regclass::oid::bigint)`;
const RENEW_TURN = `SELECT pg_advisory_xact_lock_shared('outbox_entry'::regclass::oid::bigint)`;

/** An integer the turns may write into their SQL (they are sent without parameters). */
function literal(n: number, what: string): string {
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`outbox: ${what} must be a whole number ≥ 0, not ${n}`);
  return String(n);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

// Every write after a claim is fenced by (status, attempts): a worker whose lease was taken over changes nothing.
// Not by the lease: a worker's record (delivered, retry, dead) that comes after its lease has passed but before anyone
// claimed the entry again still counts — it is what that attempt did, and the claim never took the entry for unsent
// meanwhile (CLAIM above) — while the claim that takes it over moves attempts on, so a record later still is refused.
const FENCE = `WHERE id = $1 AND status = 'in_flight' AND attempts = $2`;

/**
 * The worker's side of the outbox table: one message to the server each (a claim and a renewal are a short
 * transaction sent as one query, `inTurn`), never a transaction held across a round trip.
 */
@Injectable()
export class OutboxQueue {
  constructor(private readonly ds: DataSource) {}

  async claim(limit: number, leaseMs: number): Promise<ClaimedEntry[]> {
    const { records } = await this.inTurn(CLAIM_TURN, claimSql(literal(limit, 'the claim limit'), literal(leaseMs, 'the lease')));
    type Row = { id: string; registration_id: string; kind: string; bundle: Bundle; attempts: number; actor: string | null; patient_key: string; seq: string; attempt_base: number; takeovers: number; depends_on: string | null; superseded: string[] | null };
    return (records as Row[]).map((r) => ({
      id: r.id,
      registrationId: r.registration_id,
      kind: r.kind,
      bundle: r.bundle,
      attempts: r.attempts,
      actor: r.actor,
      patientKey: r.patient_key,
      seq: String(r.seq),
      attemptBase: r.attempt_base,
      takeovers: r.takeovers,
      dependsOn: r.depends_on ?? null,
      superseded: new Set(r.superseded ?? []),
    }));
  }

  /** The entry `e` depends on, as it stands (null when there is none of that id). */
  async dependency(e: ClaimedEntry): Promise<DependencyState | null> {
    if (!e.dependsOn) return null;
    const { records } = await this.run(`SELECT status, bundle, response FROM outbox_entry WHERE id = $1 AND registration_id = $2`, [e.dependsOn, e.registrationId]);
    return (records[0] as DependencyState | undefined) ?? null;
  }

  /**
   * Still ours, and the lease pushed out again: a unit sent as many requests (an EHR without transactions)
   * may take longer than one lease, and another worker must not start sending it meanwhile. The worker asks only
   * when less than FHIR_TIMEOUT_MS + 10 s of its lease is left (lease.ts).
   */
  async renew(e: ClaimedEntry, leaseMs: number): Promise<boolean> {
    const id = e.id.toLowerCase();
    if (!UUID.test(id)) throw new Error('outbox: an entry id is a UUID');
    const sql = `UPDATE outbox_entry SET locked_until = statement_timestamp() + ${literal(leaseMs, 'the lease')} * interval '1 millisecond'
      WHERE id = '${id}' AND status = 'in_flight' AND attempts = ${literal(e.attempts, 'attempts')} AND locked_until > statement_timestamp()`;
    return (await this.inTurn(RENEW_TURN, sql)).affected === 1;
  }

  async markDelivered(e: ClaimedEntry, response: DeliveredEntry[]): Promise<boolean> {
    const sql = `UPDATE outbox_entry SET status = 'delivered', delivered_at = now(), locked_until = NULL, response = $3::jsonb ${FENCE}`;
    return (await this.run(sql, [e.id, e.attempts, JSON.stringify(response)])).affected === 1;
  }

  async scheduleRetry(e: ClaimedEntry, delayMs: number, error: OutboxError): Promise<boolean> {
    const sql = `UPDATE outbox_entry SET status = 'pending', locked_until = NULL,
      next_attempt_at = now() + $3 * interval '1 millisecond', last_error = $4::jsonb ${FENCE}`;
    return (await this.run(sql, [e.id, e.attempts, delayMs, JSON.stringify(error)])).affected === 1;
  }

  async markDead(e: ClaimedEntry, error: OutboxError): Promise<boolean> {
    const sql = `UPDATE outbox_entry SET status = 'dead', locked_until = NULL, last_error = $3::jsonb ${FENCE}`;
    return (await this.run(sql, [e.id, e.attempts, JSON.stringify(error)])).affected === 1;
  }

  /**
   * `sql` after `turn`, in one READ COMMITTED transaction sent as one simple query (hence no parameters: callers
   * write only checked integers and UUIDs into it). Each statement takes its own snapshot, so `sql`'s begins once
   * the turn is ours. On an error the server skips the rest and the session is left in the failed transaction,
   * which is rolled back before the connection goes back to the pool.
   */
  private async inTurn(turn: string, sql: string): Promise<{ records: unknown[]; affected: number }> {
    const qr = this.ds.createQueryRunner();
    try {
      // node-postgres itself: TypeORM's query() keeps only a single statement's result.
      const client = (await qr.connect()) as { query(text: string): Promise<unknown> };
      try {
        // One result per statement: BEGIN, the turn, `sql`, COMMIT.
        const results = (await client.query(`BEGIN ISOLATION LEVEL READ COMMITTED; ${turn}; ${sql}; COMMIT`)) as { rows?: unknown[]; rowCount?: number | null }[];
        const result = results[2];
        return { records: result?.rows ?? [], affected: result?.rowCount ?? 0 };
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      }
    } finally {
      await qr.release();
    }
  }

  private async run(sql: string, params: unknown[]): Promise<{ records: unknown[]; affected: number }> {
    const qr = this.ds.createQueryRunner();
    try {
      const r = await qr.query(sql, params, true);
      return { records: r.records ?? [], affected: r.affected ?? 0 };
    } finally {
      await qr.release();
    }
  }
}
