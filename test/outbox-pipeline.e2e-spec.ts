import { ModuleRef } from '@nestjs/core';
import { fhirConfig, type FhirConfig } from '../src/config/fhir.config.js';
import { BundleDelivery } from '../src/fhir/delivery/bundle-delivery.js';
import { TaskCompletionDelivery } from '../src/fhir/delivery/task-completion-delivery.js';
import { EhrSystemAuthorizer } from '../src/fhir/fhir-connection.js';
import { CLAIM_TURN, OutboxQueue } from '../src/fhir/outbox.queue.js';
import { OutboxWorker } from '../src/fhir/outbox.worker.js';
import { FakeEhr } from './support/fake-ehr.js';
import { FakeAuthorizer, outboxHelpers, until } from './support/outbox-fixtures.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const REGISTRATION = '00000000-0000-4000-8000-000000000003';
// The lease the worker uses (at least 2 × (FHIR_TIMEOUT_MS + 10 s)); the timeout outlasts any held answer on a busy machine.
const LEASE_MS = 200_000;
const TIMEOUT_MS = 60_000;
// The worker renews once less than FHIR_TIMEOUT_MS + 10 s of its lease is left.
const MARGIN_MS = TIMEOUT_MS + 10_000;

// The worker driven by hand (its polling is off): what it sends while one EHR answer is held, and when it asks the
// database to renew a lease (its clock is the test's).
describe('write-back worker: pipelined delivery and leases', () => {
  let t: TestApp;
  let ehr: FakeEhr;
  let h: ReturnType<typeof outboxHelpers>;
  const authorizer = new FakeAuthorizer();

  beforeAll(async () => {
    ehr = await FakeEhr.start();
    authorizer.baseUrl = ehr.baseUrl;
    t = await createTestApp({
      fhir: { outboxWorker: false, outboxLeaseMs: LEASE_MS, requestTimeoutMs: TIMEOUT_MS, outboxBackoffBaseMs: 20, outboxBackoffCapMs: 80 },
      overrides: [{ provide: EhrSystemAuthorizer, useValue: authorizer }],
    });
    h = outboxHelpers(t, () => REGISTRATION);
  });
  afterAll(async () => {
    await t?.close();
    await ehr?.close();
  });
  afterEach(() => {
    ehr.holdFor = undefined;
  });

  /** A worker of its own, as the app builds it, with `queue` (a wrapped OutboxQueue) and `batch` places. */
  const worker = (batch: number, queue: OutboxQueue = t.app.get(OutboxQueue)) => {
    const config = t.app.get<FhirConfig>(fhirConfig.KEY);
    return new OutboxWorker(queue, t.app.get(BundleDelivery), t.app.get(TaskCompletionDelivery), t.app.get(ModuleRef), { ...config, outboxBatchSize: batch });
  };

  it('keeps OUTBOX_BATCH_SIZE deliveries in flight, claiming again as each finishes: a held answer holds up only its patient', async () => {
    const a1 = await h.enqueue('Patient/pipe-a');
    const a2 = await h.enqueue('Patient/pipe-a');
    const b = [await h.enqueue('Patient/pipe-b'), await h.enqueue('Patient/pipe-b'), await h.enqueue('Patient/pipe-b')];
    const c = [await h.enqueue('Patient/pipe-c'), await h.enqueue('Patient/pipe-c'), await h.enqueue('Patient/pipe-c')];
    const ours = new Set([a1, a2, ...b, ...c].map((x) => x.key));
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    // The others are answered only once A's first write has arrived: whichever of it and the first other write
    // arrives second then finds two unanswered, however the two sends are scheduled.
    let aArrived!: () => void;
    const aArriving = new Promise<void>((r) => (aArrived = r));
    // How many of our writes the EHR holds at once: counted when one arrives, against those answered.
    let arrived = 0;
    let most = 0;
    const answered = () => ehr.receipts.filter((r) => ours.has(r.key)).length;
    ehr.holdFor = (key) => {
      if (!ours.has(key)) return undefined;
      most = Math.max(most, ++arrived - answered());
      if (key !== a1.key) return aArriving;
      aArrived();
      return held;
    };

    const draining = worker(2).drain();
    // With a barrier per batch, B's and C's second entries would wait for A's held one: this never happens.
    await until(() => b.concat(c).every((x) => ehr.delivered(x.key) === 1), 'B and C delivered while A’s first write is held');
    expect(ehr.receipts.some((r) => r.key === a1.key || r.key === a2.key)).toBe(false);
    expect(await h.row(a1.id)).toMatchObject({ status: 'in_flight', attempts: 1 });
    expect(await h.row(a2.id)).toMatchObject({ status: 'pending', attempts: 0 });
    expect(most).toBe(2); // A's held write and one other at a time: never more than the two places

    release();
    expect(await draining).toBe(8);
    for (const x of [a1, a2, ...b, ...c]) expect(await h.row(x.id)).toMatchObject({ status: 'delivered', attempts: 1 });
    const order = ehr.receipts.filter((r) => ours.has(r.key)).map((r) => r.key);
    expect(order.filter((k) => k === a1.key || k === a2.key)).toEqual([a1.key, a2.key]);
    expect(order.filter((k) => b.some((x) => x.key === k))).toEqual(b.map((x) => x.key));
    expect(order.filter((k) => c.some((x) => x.key === k))).toEqual(c.map((x) => x.key));
    expect(most).toBe(2);
  });

  it('claims new work every OUTBOX_POLL_MS while a slow delivery holds a place, not only when a delivery finishes', async () => {
    const a = await h.enqueue('Patient/stall-a');
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let arrived!: () => void;
    const arriving = new Promise<void>((r) => (arrived = r));
    ehr.holdFor = (key) => (key === a.key ? (arrived(), held) : undefined);
    // The poll delay, ended by hand: each call waits until the test (or a finished delivery) ends it.
    const polls: (() => void)[] = [];
    const w = worker(2);
    w.pause = (_ms, signal) =>
      new Promise<void>((r) => {
        polls.push(r);
        signal.addEventListener('abort', () => r());
      });

    const draining = w.drain();
    await arriving;
    await until(() => polls.length === 1, 'the worker waits for its next poll while A’s write is held');
    const b = await h.enqueue('Patient/stall-b');
    expect(ehr.receipts.some((r) => r.key === b.key)).toBe(false);
    polls[0]();
    await until(() => ehr.delivered(b.key) === 1, 'B delivered at the next poll while A’s write is still held');
    // The EHR's answer reaches the worker before it records it: on a busy machine the row may still be in flight here.
    await until(async () => (await h.row(b.id)).status === 'delivered', 'B recorded as delivered');
    expect(ehr.receipts.some((r) => r.key === a.key)).toBe(false);
    expect(await h.row(a.id)).toMatchObject({ status: 'in_flight', attempts: 1 });
    expect(await h.row(b.id)).toMatchObject({ status: 'delivered', attempts: 1 });

    release();
    expect(await draining).toBe(2);
    expect(await h.row(a.id)).toMatchObject({ status: 'delivered', attempts: 1 });
  });

  it('asks the database to renew a lease only once less than the request timeout + 10 s is left, and stands down when the entry is no longer its', async () => {
    const queue = t.app.get(OutboxQueue);
    let now = 0;
    let passing = 0; // how much of the (test's) clock passes between the claim and the sending
    const renewals: string[] = [];
    const counting = Object.assign(Object.create(queue) as OutboxQueue, {
      claim: async (limit: number, leaseMs: number) => {
        const claimed = await queue.claim(limit, leaseMs);
        now += passing;
        return claimed;
      },
      renew: async (...args: Parameters<OutboxQueue['renew']>) => (renewals.push(args[0].id), queue.renew(...args)),
    });
    const w = worker(4, counting);
    w.clock = () => now;

    const fresh = await h.enqueue('Patient/lease-1');
    expect(await w.drain()).toBe(1);
    expect(renewals).toEqual([]);
    expect(ehr.delivered(fresh.key)).toBe(1);

    // More than half the lease passed, but more than the margin is left: no round trip.
    passing = LEASE_MS - MARGIN_MS - 1;
    const ample = await h.enqueue('Patient/lease-1b');
    expect(await w.drain()).toBe(1);
    expect(renewals).toEqual([]);
    expect(ehr.delivered(ample.key)).toBe(1);

    passing = LEASE_MS - MARGIN_MS + 1;
    const low = await h.enqueue('Patient/lease-2');
    expect(await w.drain()).toBe(1);
    expect(renewals).toEqual([low.id]);
    expect(ehr.delivered(low.key)).toBe(1);

    // Another worker took the entry over while this one's lease ran low: the fenced renewal finds it changed.
    const taken = await h.enqueue('Patient/lease-3');
    counting.claim = async (limit: number, leaseMs: number) => {
      const claimed = await queue.claim(limit, leaseMs);
      if (claimed.some((e) => e.id === taken.id)) await h.ds.query(`UPDATE outbox_entry SET attempts = attempts + 1 WHERE id = $1`, [taken.id]);
      now += passing;
      return claimed;
    };
    expect(await w.drain()).toBe(1);
    expect(renewals).toEqual([low.id, taken.id]);
    expect(ehr.receipts.some((r) => r.key === taken.key)).toBe(false);
    expect(await h.row(taken.id)).toMatchObject({ status: 'in_flight', attempts: 2 });
  });
  it('a claim that fails on the server leaves no transaction open and no turn held on its connection', async () => {
    const queue = t.app.get(OutboxQueue);
    const inTurn = (queue as unknown as { inTurn(turn: string, sql: string): Promise<unknown> }).inTurn.bind(queue);
    await expect(inTurn(CLAIM_TURN, 'SELECT 1 / 0')).rejects.toThrow(/division by zero/);
    // The pool hands the same connection out next: a transaction left aborted would refuse this.
    const [row] = await h.ds.query(`SELECT count(*)::int AS held FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()`);
    expect(row.held).toBe(0);
    const a = await h.enqueue('Patient/turn-error');
    expect((await queue.claim(50, LEASE_MS)).map((x) => x.id)).toContain(a.id);
    await h.ds.query(`UPDATE outbox_entry SET status = 'delivered', locked_until = NULL WHERE id = $1`, [a.id]);
  });
});
