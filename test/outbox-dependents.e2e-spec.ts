import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { DependentOutboxEntries1795000061000 } from '../migrations/1795000061000-dependent-outbox-entries.js';
import { OutboxService } from '../src/fhir/outbox.service.js';
import { CLAIM, OutboxQueue, type ClaimedEntry } from '../src/fhir/outbox.queue.js';
import { TASK_COMPLETION_KIND } from '../src/fhir/task-completion.js';
import { referralBundle } from './support/outbox-fixtures.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const REGISTRATION = '00000000-0000-4000-8000-000000000002';
const LEASE = 3_600_000;
const at = () => new Date().toISOString();

/**
 * An entry that depends on another (a Task completion on its response's write-back) stands outside its patient's
 * delivery order: it neither holds back the patient's later writes while it waits or retries, nor is claimed before
 * its dependency is delivered or dead. Driven by hand through the queue: no worker, no clock.
 */
describe('outbox entries that depend on another', () => {
  let t: TestApp;
  let ds: DataSource;
  let queue: OutboxQueue;

  beforeAll(async () => {
    t = await createTestApp({ fhir: { outboxWorker: false } });
    ds = t.app.get(DataSource);
    queue = t.app.get(OutboxQueue);
  });
  afterAll(async () => t?.close());

  /** A write for `patient`; with `dependsOn`, a Task completion waiting for that entry. */
  async function enqueue(patient: string, dependsOn?: string): Promise<string> {
    const ref = randomUUID().slice(0, 8);
    const kind = dependsOn ? TASK_COMPLETION_KIND : 'referral.created';
    const r = await ds.transaction((m) =>
      t.app.get(OutboxService).enqueue(m, { registrationId: REGISTRATION, patientKey: patient, kind, businessKey: `${kind}:${ref}`, bundle: referralBundle(patient, ref), dependsOn }),
    );
    return r.id;
  }
  /** Claims what is due now, as the worker would; keeps the claims to settle them. */
  const claimed = new Map<string, ClaimedEntry>();
  async function claim(): Promise<string[]> {
    const got = await queue.claim(50, LEASE);
    for (const c of got) claimed.set(c.id, c);
    return got.map((c) => c.id).sort();
  }
  const sorted = (...ids: string[]) => [...ids].sort();

  it("waits for its dependency without holding back the patient's later writes, retrying or not", async () => {
    const response = await enqueue('Patient/dep-1');
    const completion = await enqueue('Patient/dep-1', response);
    const later = await enqueue('Patient/dep-1');

    // The response's entry heads the patient's order; the completion is not due while it is pending or in flight.
    expect(await claim()).toEqual([response]);
    expect(await queue.scheduleRetry(claimed.get(response)!, 0, { status: 503, reason: 'http', retryable: true, at: at() })).toBe(true);
    expect(await claim()).toEqual([response]);

    // Delivered: the completion is due, and so is the patient's next write (the completion is not in its way).
    expect(await queue.markDelivered(claimed.get(response)!, [])).toBe(true);
    expect(await claim()).toEqual(sorted(completion, later));

    // The completion retries for hours (the EHR's Task endpoint is down): the patient's writes still go out.
    expect(await queue.scheduleRetry(claimed.get(completion)!, LEASE, { status: 503, reason: 'http', retryable: true, at: at() })).toBe(true);
    expect(await queue.markDelivered(claimed.get(later)!, [])).toBe(true);
    const next = await enqueue('Patient/dep-1');
    expect(await claim()).toEqual([next]);
    expect(await queue.markDelivered(claimed.get(next)!, [])).toBe(true);
  });

  it('becomes due when its dependency is dead, or missing (the delivery then says why)', async () => {
    const response = await enqueue('Patient/dep-2');
    const completion = await enqueue('Patient/dep-2', response);
    expect(await claim()).toEqual([response]);
    expect(await queue.markDead(claimed.get(response)!, { status: 422, reason: 'http', retryable: false, at: at() })).toBe(true);
    expect(await claim()).toEqual([completion]);

    const orphan = await enqueue('Patient/dep-3', randomUUID());
    expect(await claim()).toEqual([orphan]);
  });

  it('has at most one dependent entry of a patient in flight at a time, the oldest first (two completions of one Task never race)', async () => {
    const first = await enqueue('Patient/dep-5');
    const firstCompletion = await enqueue('Patient/dep-5', first);
    const second = await enqueue('Patient/dep-5');
    const secondCompletion = await enqueue('Patient/dep-5', second);
    const other = await enqueue('Patient/dep-6');
    const otherCompletion = await enqueue('Patient/dep-6', other);
    expect(await claim()).toEqual(sorted(first, other));
    for (const id of [first, other]) expect(await queue.markDelivered(claimed.get(id)!, [])).toBe(true);
    expect(await claim()).toEqual(sorted(firstCompletion, second, otherCompletion));
    expect(await queue.markDelivered(claimed.get(second)!, [])).toBe(true);
    // The second completion's dependency is delivered, but the first completion of that patient is in flight.
    expect(await claim()).toEqual([]);
    // Retrying counts as waiting its turn too: nothing overtakes it.
    expect(await queue.scheduleRetry(claimed.get(firstCompletion)!, LEASE, { status: 503, reason: 'http', retryable: true, at: at() })).toBe(true);
    expect(await claim()).toEqual([]);
    await ds.query(`UPDATE outbox_entry SET next_attempt_at = now() WHERE id = $1`, [firstCompletion]);
    expect(await claim()).toEqual([firstCompletion]);
    expect(await queue.markDead(claimed.get(firstCompletion)!, { status: 422, reason: 'http', retryable: false, at: at() })).toBe(true);
    expect(await claim()).toEqual([secondCompletion]);
    for (const id of [secondCompletion, otherCompletion]) expect(await queue.markDelivered(claimed.get(id)!, [])).toBe(true);
  });

  it('a dependency sent but recorded late, past its lease: it is claimed again before anything else of its patient — an earlier entry an admin retries meanwhile waits behind it, its completion until it is delivered', async () => {
    const earlier = await enqueue('Patient/dep-7');
    const response = await enqueue('Patient/dep-7');
    const completion = await enqueue('Patient/dep-7', response);
    expect(await claim()).toEqual([earlier]);
    expect(await queue.markDead(claimed.get(earlier)!, { status: 422, reason: 'http', retryable: false, at: at() })).toBe(true);
    expect(await claim()).toEqual([response]);
    const stale = claimed.get(response)!;
    // Its worker sent it and stalls before recording it (a pool wait, a GC pause) until its lease has passed.
    await ds.query(`UPDATE outbox_entry SET locked_until = now() - interval '1 second' WHERE id = $1`, [response]);
    await t.app.get(OutboxService).retry(earlier, { actor: 'synthetic-admin', actorRole: 'admin' });
    // It may have been sent: it goes out again first (the earlier one, sent now, could land before its late record).
    expect(await claim()).toEqual([response]);
    expect(claimed.get(response)!.attempts).toBe(2);
    expect(await queue.markDelivered(stale, [])).toBe(false); // the stalled worker's record, fenced off
    expect(await queue.markDelivered(claimed.get(response)!, [])).toBe(true);
    expect(await claim()).toEqual(sorted(earlier, completion));
    for (const id of [earlier, completion]) expect(await queue.markDelivered(claimed.get(id)!, [])).toBe(true);
  });

  it('claims by index: both halves of the claim use their partial indexes, no sequential scan of the outbox', async () => {
    const plan = await ds.transaction(async (m) => {
      await m.query(`SET LOCAL enable_seqscan = off`);
      const rows = (await m.query(`EXPLAIN ${CLAIM}`, [50, LEASE])) as { 'QUERY PLAN': string }[];
      return rows.map((r) => r['QUERY PLAN']).join('\n');
    });
    expect(plan).toMatch(/idx_outbox_entry_queue/);
    expect(plan).toMatch(/idx_outbox_entry_waiting_dependents/);
    expect(plan).not.toMatch(/Seq Scan on outbox_entry/);
  });

  it('cannot be reverted while dependent entries still wait (they would block their patients again); can once none does', async () => {
    await ds.query(`UPDATE outbox_entry SET status = 'delivered' WHERE status IN ('pending', 'in_flight')`); // earlier tests' leftovers
    const response = await enqueue('Patient/dep-4');
    await enqueue('Patient/dep-4', response);
    const down = (): Promise<void> =>
      ds.transaction(async (m) => {
        await new DependentOutboxEntries1795000061000().down(m.queryRunner!);
        throw new Error('rolled back'); // the test only wants to know whether down() would go through
      });
    await expect(down()).rejects.toThrow(/Cannot revert DependentOutboxEntries1795000061000: 1 outbox entry \(Task completions\) still waiting on another entry/);
    await ds.query(`UPDATE outbox_entry SET status = 'delivered' WHERE depends_on IS NOT NULL OR status IN ('pending', 'in_flight')`);
    await expect(down()).rejects.toThrow('rolled back');
  });
});
