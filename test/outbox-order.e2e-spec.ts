import { ModuleRef } from '@nestjs/core';
import { fhirConfig, type FhirConfig } from '../src/config/fhir.config.js';
import { BundleDelivery } from '../src/fhir/delivery/bundle-delivery.js';
import { TaskCompletionDelivery } from '../src/fhir/delivery/task-completion-delivery.js';
import { EhrSystemAuthorizer } from '../src/fhir/fhir-connection.js';
import type { DeliveredEntry, OutboxError } from '../src/fhir/outbox-entry.entity.js';
import { OutboxQueue, type ClaimedEntry } from '../src/fhir/outbox.queue.js';
import { OutboxService } from '../src/fhir/outbox.service.js';
import { OutboxWorker } from '../src/fhir/outbox.worker.js';
import { FakeEhr } from './support/fake-ehr.js';
import { FakeAuthorizer, keyOf, outboxHelpers, taskUpdateBundle } from './support/outbox-fixtures.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const REGISTRATION = '00000000-0000-4000-8000-000000000004';
// The lease the workers use (at least 2 × (FHIR_TIMEOUT_MS + 10 s)): no test run outlasts it, so a lease passes only
// when a test moves locked_until into the past (the database's time, however slow the machine is meanwhile).
const LEASE_MS = 200_000;
const TIMEOUT_MS = 60_000;
const REFUSED: OutboxError = { status: 422, reason: 'http', retryable: false, at: new Date().toISOString() };

/**
 * One patient's write-backs reach the EHR in order even when an earlier entry reappears (an admin retried a dead
 * one; a transaction committed its entry after a later one was claimed) while a later one is in flight. Each entry
 * here updates the patient's one Task (a conditional PUT): the status the EHR keeps says whose write landed last,
 * and it must be the newest delivered one's.
 *
 * The interleavings, with A the earlier entry and B the later one (same patient):
 * 1. B in flight, its lease live: A is not due; once B is recorded A goes out with B's conditional updates as
 *    create-if-absent (B delivered), or in full (B back to pending or dead: B, resent later, still lands last).
 * 2. B sent and accepted, its record (markDelivered) late past its lease (a pool wait, a GC pause): B is in flight
 *    with a passed lease, so it may have been sent. The claim takes B again, not A: B is sent once more (idempotent)
 *    and recorded, its old worker's late record is fenced off (attempts moved on), then A goes out without
 *    overwriting B. Before the fix A was claimed beside B with nothing superseded, and its older data landed last.
 * 3. As 2, but B's late record arrives before any claim: the fence is status and attempts, not the lease, so it
 *    counts (B really was delivered); A then goes out with B's updates superseded.
 * 4. B's worker crashed before sending B (lease passed, nothing sent): B is sent first, then A, as in 2.
 * 5. As 4, and the EHR then refuses B (dead): A goes out in full, its data lands (a dead entry supersedes nothing).
 *    Counting a passed-lease B as delivered instead (A sent first with B's updates as create-if-absent) would have
 *    left the EHR with data older than A's here, A marked delivered.
 * A Task completion (an entry with dependsOn) waits for its dependency whatever the dependency's lease
 * (test/outbox-dependents.e2e-spec.ts); two workers whose record and claim race on PostgreSQL:
 * test/outbox-concurrency.e2e-spec.ts.
 */
describe('write-back order across leases: late records, crashed workers, admin retries', () => {
  let t: TestApp;
  let ehr: FakeEhr;
  let h: ReturnType<typeof outboxHelpers>;
  let queue: OutboxQueue;
  const authorizer = new FakeAuthorizer();

  beforeAll(async () => {
    ehr = await FakeEhr.start();
    authorizer.baseUrl = ehr.baseUrl;
    t = await createTestApp({
      fhir: { outboxWorker: false, outboxLeaseMs: LEASE_MS, requestTimeoutMs: TIMEOUT_MS, outboxBackoffBaseMs: 20, outboxBackoffCapMs: 80 },
      overrides: [{ provide: EhrSystemAuthorizer, useValue: authorizer }],
    });
    h = outboxHelpers(t, () => REGISTRATION);
    queue = t.app.get(OutboxQueue);
  });
  afterAll(async () => {
    await t?.close();
    await ehr?.close();
  });
  afterEach(() => {
    ehr.holdFor = undefined;
    ehr.intercept = undefined;
  });

  /** A worker of its own, as the app builds it (a second instance), on `q` (a wrapped OutboxQueue). */
  const worker = (q: OutboxQueue = queue) => {
    const config = t.app.get<FhirConfig>(fhirConfig.KEY);
    return new OutboxWorker(q, t.app.get(BundleDelivery), t.app.get(TaskCompletionDelivery), t.app.get(ModuleRef), { ...config, outboxBatchSize: 2 });
  };
  /** The queue, keeping what `ids` it claims in order (other suites' leftovers are none of the test's business). */
  const recording = (ids: () => string[], claimed: ClaimedEntry[], over: Partial<OutboxQueue> = {}) =>
    Object.assign(Object.create(queue) as OutboxQueue, {
      claim: async (limit: number, leaseMs: number) => {
        const xs = (await queue.claim(limit, leaseMs)).filter((x) => ids().includes(x.id));
        claimed.push(...xs);
        return xs;
      },
      ...over,
    });
  const claim = async (...ids: string[]) => (await queue.claim(50, LEASE_MS)).filter((x) => ids.includes(x.id));
  /** A write of `patient` that sets its Task to `status`. */
  const enqueue = async (patient: string, ref: string, status: 'requested' | 'accepted' | 'completed') => {
    const r = await h.ds.transaction((m) => h.outbox.enqueue(m, { ...h.item(patient, ref), bundle: taskUpdateBundle(patient, ref, status) }));
    return { id: r.id, key: keyOf(ref) };
  };
  /** The statuses of the patient's Tasks on the EHR (one Task: its conditional PUTs all name it). */
  const taskStatuses = (patient: string) =>
    [...ehr.store.values()].filter((x) => x.resourceType === 'Task' && (x as { for?: { reference?: string } }).for?.reference === patient).map((x) => (x as { status?: string }).status);
  const putsOf = (e: ClaimedEntry) => e.bundle.entry!.filter((x) => x.request?.method === 'PUT').map((x) => x.request!.url);
  /** The worker holding this entry died, or stalled: its lease passes (the database's time, moved by the test). */
  const leasePasses = (id: string) => h.ds.query(`UPDATE outbox_entry SET locked_until = now() - interval '1 second' WHERE id = $1`, [id]);
  const adminRetries = (id: string) => t.app.get(OutboxService).retry(id, { actor: 'synthetic-admin', actorRole: 'admin' });
  /** A (older) refused by the EHR and dead, so B heads the patient: the state an admin's retry starts from. */
  async function earlierDead(patient: string) {
    const a = await enqueue(patient, `${patient.slice(8)}-a`, 'accepted');
    const b = await enqueue(patient, `${patient.slice(8)}-b`, 'completed');
    const [a1] = await claim(a.id, b.id);
    expect(a1.id).toBe(a.id);
    expect(await queue.markDead(a1, REFUSED)).toBe(true);
    return { a, b };
  }
  /** A worker that sends B and is then held before it records the delivery; `record()` lets it go on. */
  async function sentButNotRecorded(b: { id: string; key: string }) {
    let record!: () => void;
    const gate = new Promise<void>((r) => (record = r));
    // Boxed: a promise resolved with a promise would wait for it.
    let recording_!: (box: { ours: Promise<boolean> }) => void;
    const arrived = new Promise<{ ours: Promise<boolean> }>((r) => (recording_ = r));
    const claimed: ClaimedEntry[] = [];
    const late = recording(() => [b.id], claimed, {
      markDelivered: async (e: ClaimedEntry, response: DeliveredEntry[]) => {
        const ours = gate.then(() => queue.markDelivered(e, response));
        recording_({ ours });
        return ours;
      },
    });
    // One claim only: a drain would claim again once B is recorded, and this worker keeps nothing but B.
    const draining = worker(late).runOnce();
    const { ours } = await arrived; // B was sent and the EHR accepted it: the worker is about to record it
    expect(ehr.delivered(b.key)).toBe(1);
    expect(claimed.map((x) => x.id)).toEqual([b.id]);
    return { draining, ours, record, claimed };
  }

  it('1. holds back an earlier entry an admin retries while a later one is in flight (live lease), then sends it without overwriting the later', async () => {
    const p = 'Patient/order-1';
    const { a, b } = await earlierDead(p);
    // A worker sends B, and the EHR holds its answer.
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let arrived!: () => void;
    const arriving = new Promise<void>((r) => (arrived = r));
    ehr.holdFor = (key) => (key === b.key ? (arrived(), held) : undefined);
    const claimed: ClaimedEntry[] = [];
    const draining = worker(recording(() => [a.id, b.id], claimed)).drain();
    await arriving;

    // An admin retries A meanwhile: it heads its patient again, but is not due while B is in flight.
    await adminRetries(a.id);
    expect(await claim(a.id, b.id)).toEqual([]);
    expect(await h.row(a.id)).toMatchObject({ status: 'pending' });

    // Once B is recorded, A goes out with B's conditional updates as create-if-absent.
    release();
    await draining;
    expect(claimed.map((x) => x.id)).toEqual([b.id, a.id]);
    expect(putsOf(claimed[0])).toHaveLength(1);
    expect([...claimed[1].superseded]).toEqual(putsOf(claimed[0]));
    expect(await h.row(b.id)).toMatchObject({ status: 'delivered' });
    expect(await h.row(a.id)).toMatchObject({ status: 'delivered' });
    expect(taskStatuses(p)).toEqual(['completed']);
  });

  it('2. B sent and accepted, its record late past its lease; A retried meanwhile: B is sent again first, its old worker’s record fenced off, and A never overwrites it', async () => {
    const p = 'Patient/order-2';
    const { a, b } = await earlierDead(p);
    const first = await sentButNotRecorded(b);
    await leasePasses(b.id);
    await adminRetries(a.id);

    // A second worker (another instance) claims the patient's entry while the first still holds its record; the EHR
    // holds that send until the first worker's record has landed.
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let arrived!: () => void;
    const arriving = new Promise<void>((r) => (arrived = r));
    ehr.holdFor = (key) => (key === a.key || key === b.key ? (arrived(), held) : undefined);
    const claimed: ClaimedEntry[] = [];
    const second = worker(recording(() => [a.id, b.id], claimed));
    const sending = second.runOnce();
    await arriving;
    first.record();
    const firstRecorded = await first.ours;
    await first.draining;
    release();
    await sending;
    await second.drain();

    // Without the fix the second worker took A (B's lease had passed) with nothing superseded (B still in flight), the
    // first worker's record then made B delivered, and A's older PUT landed last: the Task went back to 'accepted'.
    expect(taskStatuses(p)).toEqual(['completed']);
    expect(claimed.map((x) => x.id)).toEqual([b.id, a.id]);
    expect([...claimed[1].superseded]).toEqual(putsOf(claimed[0]));
    // B was claimed again (attempts moved on): the first worker's late record changed nothing.
    expect(firstRecorded).toBe(false);
    expect(await h.row(b.id)).toMatchObject({ status: 'delivered', attempts: 2 });
    expect(await h.row(a.id)).toMatchObject({ status: 'delivered' });
    // Sent twice, created once: every write is conditional.
    expect(ehr.delivered(b.key)).toBe(2);
    expect(ehr.count('ServiceRequest')).toBe(new Set(ehr.receipts.filter((r) => r.status === 200).map((r) => r.key)).size);
  });

  it('3. B’s record late past its lease but before anyone claims again: it counts (the fence is status and attempts), and A then goes out with B’s updates superseded', async () => {
    const p = 'Patient/order-3';
    const { a, b } = await earlierDead(p);
    const first = await sentButNotRecorded(b);
    await leasePasses(b.id);
    await adminRetries(a.id);
    first.record();
    expect(await first.ours).toBe(true);
    await first.draining;
    expect(await h.row(b.id)).toMatchObject({ status: 'delivered', attempts: 1, response: expect.arrayContaining([expect.objectContaining({ type: 'Task' })]) });

    const claimed: ClaimedEntry[] = [];
    await worker(recording(() => [a.id, b.id], claimed)).drain();
    expect(claimed.map((x) => x.id)).toEqual([a.id]);
    expect([...claimed[0].superseded]).toEqual(putsOf(first.claimed[0]));
    expect(taskStatuses(p)).toEqual(['completed']);
    expect(ehr.delivered(b.key)).toBe(1);
  });

  it('4. B’s worker crashed before sending it (lease passed): B is sent first, then A, and B’s data is what the EHR keeps', async () => {
    const p = 'Patient/order-4';
    const { a, b } = await earlierDead(p);
    const [b1] = await claim(a.id, b.id);
    expect(b1.id).toBe(b.id); // claimed, then its worker died before any request
    await leasePasses(b.id);
    await adminRetries(a.id);
    const claimed: ClaimedEntry[] = [];
    await worker(recording(() => [a.id, b.id], claimed)).drain();
    // Without the fix: A first (in full), then B — the same end, but A was sent beside an entry that may have been sent.
    expect(claimed.map((x) => x.id)).toEqual([b.id, a.id]);
    expect(ehr.delivered(b.key)).toBe(1);
    expect(await h.row(b.id)).toMatchObject({ status: 'delivered', attempts: 2 });
    expect(await h.row(a.id)).toMatchObject({ status: 'delivered' });
    expect(taskStatuses(p)).toEqual(['completed']);
  });

  it('5. as 4, and the EHR then refuses B: A goes out in full and its data lands (a dead later entry supersedes nothing)', async () => {
    const p = 'Patient/order-5';
    // An entry before both, delivered: the Task exists, 'requested'.
    const z = await enqueue(p, 'order-5-z', 'requested');
    await h.settle(async () => (await h.row(z.id)).status === 'delivered');
    const { a, b } = await earlierDead(p);
    const [b1] = await claim(a.id, b.id);
    expect(b1.id).toBe(b.id);
    await leasePasses(b.id);
    await adminRetries(a.id);
    ehr.intercept = (_b, k) => (k === b.key ? { status: 422 } : undefined);
    const claimed: ClaimedEntry[] = [];
    await worker(recording(() => [a.id, b.id], claimed)).drain();
    // A's update landed. Had A gone first with B's updates as create-if-absent, the Task would still say 'requested'.
    expect(taskStatuses(p)).toEqual(['accepted']);
    expect(claimed.map((x) => x.id)).toEqual([b.id, a.id]);
    expect([...claimed[1].superseded]).toEqual([]);
    expect(await h.row(b.id)).toMatchObject({ status: 'dead' });
    expect(await h.row(a.id)).toMatchObject({ status: 'delivered' });
  });

  it('6. two entries of one patient in flight at once (rows from before the rule, an older instance): the newer goes first, neither beside a live one', async () => {
    const p = 'Patient/order-6';
    const x1 = await enqueue(p, 'order-6-x1', 'accepted');
    const x2 = await enqueue(p, 'order-6-x2', 'completed');
    const inFlight = (id: string, lease: string) =>
      h.ds.query(`UPDATE outbox_entry SET status = 'in_flight', attempts = 1, locked_until = now() + $2::interval WHERE id = $1`, [id, lease]);
    // X1's worker stalled (lease passed), X2's alive: nothing of the patient is claimed (was: X1 again, beside X2,
    // nothing superseded, its older data able to land last).
    await inFlight(x1.id, '-1 second');
    await inFlight(x2.id, '1 hour');
    expect(await claim(x1.id, x2.id)).toEqual([]);
    // X1 alive, X2 stalled: X2 is not resent beside X1 either.
    await inFlight(x1.id, '1 hour');
    await inFlight(x2.id, '-1 second');
    expect(await claim(x1.id, x2.id)).toEqual([]);
    // Both stalled: the newer first, then the older with the newer's updates superseded; the Task ends as X2 left it.
    await inFlight(x1.id, '-1 second');
    const claimed: ClaimedEntry[] = [];
    await worker(recording(() => [x1.id, x2.id], claimed)).drain();
    expect(claimed.map((x) => x.id)).toEqual([x2.id, x1.id]);
    expect([...claimed[1].superseded]).toEqual(putsOf(claimed[1]));
    expect(taskStatuses(p)).toEqual(['completed']);
  });
});
