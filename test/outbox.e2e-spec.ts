import { AuditService } from '../src/audit/audit.service.js';
import { EhrSystemAuthorizer } from '../src/fhir/fhir-connection.js';
import { OutboxQueue } from '../src/fhir/outbox.queue.js';
import { FakeEhr } from './support/fake-ehr.js';
import { FakeAuthorizer, outboxHelpers, sleep, until } from './support/outbox-fixtures.js';
import { freePort } from './support/service-process.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const REGISTRATION = '00000000-0000-4000-8000-000000000001';

describe('write-back delivery', () => {
  let t: TestApp;
  let ehr: FakeEhr;
  let h: ReturnType<typeof outboxHelpers>;
  const authorizer = new FakeAuthorizer();

  beforeAll(async () => {
    ehr = await FakeEhr.start();
    authorizer.baseUrl = ehr.baseUrl;
    t = await createTestApp({
      // FHIR_TIMEOUT_MS: long enough that no ordinary answer times out on a busy machine; the slow EHR is held instead.
      fhir: { outboxWorker: false, outboxPollMs: 30, outboxBackoffBaseMs: 20, outboxBackoffCapMs: 80, outboxMaxAttempts: 4, requestTimeoutMs: 5000 },
      overrides: [{ provide: EhrSystemAuthorizer, useValue: authorizer }],
    });
    h = outboxHelpers(t, () => REGISTRATION);
  });
  afterAll(async () => {
    await t?.close();
    await ehr?.close();
  });
  afterEach(() => {
    ehr.intercept = undefined;
    ehr.delayMs = 0;
    ehr.hold = undefined;
  });

  it('enqueues in the caller’s transaction: a rollback leaves neither the feature row nor the entry', async () => {
    const audit = t.app.get(AuditService);
    const attempt = h.ds.transaction(async (m) => {
      await audit.record({ action: 'referral.create', outcome: 'success', resourceId: 'rolled-back' }, m); // the "feature row"
      await h.outbox.enqueue(m, h.item('Patient/rb', 'rb-1'));
      throw new Error('the feature failed after enqueueing');
    });
    await expect(attempt).rejects.toThrow('the feature failed');
    expect(await h.ds.query(`SELECT 1 FROM outbox_entry WHERE business_key = 'referral.created:rb-1'`)).toHaveLength(0);
    expect(await h.ds.query(`SELECT 1 FROM audit_event WHERE resource_id = 'rolled-back'`)).toHaveLength(0);
  });

  it('ignores a second enqueue with the same business key', async () => {
    const first = await h.enqueue('Patient/idem', 'idem-1');
    const again = await h.ds.transaction((m) => h.outbox.enqueue(m, h.item('Patient/idem', 'idem-1')));
    expect(again).toEqual({ id: first.id, created: false });
    expect(await h.ds.query(`SELECT 1 FROM outbox_entry WHERE business_key = 'referral.created:idem-1'`)).toHaveLength(1);
    await h.settle(async () => (await h.row(first.id)).status === 'delivered');
  });

  it('delivers exactly once although the EHR fails the first tries', async () => {
    const { id, key } = await h.enqueue('Patient/p-retry');
    let failures = 2;
    ehr.intercept = (_b, k) => (k === key && failures-- > 0 ? { status: 503 } : undefined);
    await h.settle(async () => (await h.row(id)).status === 'delivered');
    expect(ehr.receipts.filter((r) => r.key === key).map((r) => r.status)).toEqual([503, 503, 200]);
    const row = await h.row(id);
    expect(row.attempts).toBe(3);
    expect(row.last_error).toMatchObject({ status: 503, reason: 'http', retryable: true });
    expect(row.response).toEqual([
      expect.objectContaining({ status: '201 Created', type: 'ServiceRequest', version: '1' }),
      expect.objectContaining({ status: '201 Created', type: 'Task' }),
      expect.objectContaining({ status: '201 Created', type: 'Provenance' }),
    ]);
    // The Task's focus (a urn:uuid in the Bundle) points at the ServiceRequest the EHR created.
    const task = [...ehr.store.values()].find((r) => r.resourceType === 'Task' && JSON.stringify(r).includes('p-retry'));
    expect((task as { focus: { reference: string } }).focus.reference).toMatch(/^ServiceRequest\/\d+$/);
  });

  it('creates nothing twice when the EHR committed but the answer was lost, or came too late', async () => {
    const before = ehr.count('ServiceRequest');
    const lost = await h.enqueue('Patient/p-lost');
    let once = true;
    ehr.intercept = (_b, k) => (k === lost.key && once ? ((once = false), { status: 502, afterCommit: true }) : undefined);
    await h.settle(async () => (await h.row(lost.id)).status === 'delivered');

    const slow = await h.enqueue('Patient/p-slow');
    // The EHR answers only after the client has given up (FHIR_TIMEOUT_MS), then still commits: the test releases it.
    let release!: () => void;
    ehr.hold = new Promise<void>((r) => (release = r));
    await h.worker.runOnce();
    expect((await h.row(slow.id)).last_error).toMatchObject({ status: 0, reason: 'TimeoutError' });
    ehr.hold = undefined;
    release();
    await until(async () => ehr.receipts.some((r) => r.key === slow.key), 'the late commit lands');
    await h.settle(async () => (await h.row(slow.id)).status === 'delivered');

    expect(ehr.count('ServiceRequest') - before).toBe(2);
    expect((await h.row(slow.id)).response).toEqual(expect.arrayContaining([expect.objectContaining({ status: '200 OK', type: 'ServiceRequest' })]));
  });

  it('keeps each patient’s order: a later entry waits while an earlier one is retrying, others proceed', async () => {
    const a1 = await h.enqueue('Patient/pA');
    const a2 = await h.enqueue('Patient/pA');
    const b1 = await h.enqueue('Patient/pB');
    let failures = 2;
    ehr.intercept = (_b, k) => (k === a1.key && failures-- > 0 ? { status: 503 } : undefined);
    await h.worker.runOnce();
    expect((await h.row(b1.id)).status).toBe('delivered');
    expect(await h.row(a1.id)).toMatchObject({ status: 'pending', attempts: 1 });
    expect(await h.row(a2.id)).toMatchObject({ status: 'pending', attempts: 0 });
    await h.settle(async () => (await h.row(a2.id)).status === 'delivered');
    const keys = ehr.receipts.map((r) => `${r.key}:${r.status}`);
    expect(keys.indexOf(`${a1.key}:200`)).toBeGreaterThanOrEqual(0);
    expect(keys.findIndex((k) => k.startsWith(a2.key))).toBeGreaterThan(keys.indexOf(`${a1.key}:200`));
    expect(ehr.delivered(a2.key)).toBe(1);
  });

  it('gives a crashed worker’s claim to another once its lease expires, and fences the stale one', async () => {
    const e = await h.enqueue('Patient/p-crash');
    const later = await h.enqueue('Patient/p-crash');
    // Claimed with a lease no test run outlasts, then the process "died". Time is the database's: the lease
    // runs out when the test moves locked_until into the past, however slow the machine is meanwhile.
    const crashed = await t.app.get(OutboxQueue).claim(50, 3_600_000);
    const mine = crashed.find((c) => c.id === e.id)!;
    expect(mine.attempts).toBe(1);
    expect(await h.worker.runOnce()).toBe(0); // lease still held: neither it nor the patient's later entry moves
    expect(await h.row(e.id)).toMatchObject({ status: 'in_flight', attempts: 1 });
    // The dead worker's leases expire (everything it held, as a lease of 150 ms did before).
    await h.ds.query(`UPDATE outbox_entry SET locked_until = now() - interval '1 millisecond' WHERE id = ANY($1::uuid[])`, [crashed.map((c) => c.id)]);
    await h.settle(async () => (await h.row(later.id)).status === 'delivered');
    expect(await h.row(e.id)).toMatchObject({ status: 'delivered', attempts: 2 });
    expect(await t.app.get(OutboxQueue).markDead(mine, { status: 0, reason: 'stale', retryable: true, at: new Date().toISOString() })).toBe(false);
    expect((await h.row(e.id)).status).toBe('delivered');
  });

  it('retries an unreachable EHR, and a 401 with a fresh token', async () => {
    const closed = await freePort();
    authorizer.bases.set(REGISTRATION, `http://127.0.0.1:${closed}/fhir`);
    const e = await h.enqueue('Patient/p-net');
    await h.worker.runOnce();
    expect(await h.row(e.id)).toMatchObject({ status: 'pending', last_error: { status: 0, reason: 'ECONNREFUSED', retryable: true } });
    authorizer.bases.clear();
    authorizer.token = 'expired-token';
    await h.settle(async () => (await h.row(e.id)).status === 'delivered');
    expect(authorizer.invalidated).toBe(1);
    expect((await h.row(e.id)).last_error).toMatchObject({ status: 401 });
  });

  it('polls by itself once started, and stops cleanly', async () => {
    h.worker.start();
    const e = await h.enqueue('Patient/p-loop');
    // Nothing here calls the worker: only its own polling can deliver (a deadline, not a measurement).
    await until(async () => (await h.row(e.id)).status === 'delivered', 'the polling worker delivers');
    await h.worker.stop();
    expect((await h.row(e.id)).status).toBe('delivered');
    const idle = await h.enqueue('Patient/p-stopped');
    await sleep(150); // several polling intervals (30 ms): a worker still polling would have claimed it
    expect((await h.row(idle.id)).status).toBe('pending');
    await h.settle(async () => (await h.row(idle.id)).status === 'delivered');
  });

  it('gives up after the maximum attempts, keeping the last failure', async () => {
    const e = await h.enqueue('Patient/p-down');
    ehr.intercept = (_b, k) => (k === e.key ? { status: 500 } : undefined);
    await h.settle(async () => (await h.row(e.id)).status === 'dead');
    expect(await h.row(e.id)).toMatchObject({ attempts: 4, last_error: { status: 500, retryable: true } });
  });

  it('ends dead, sending nothing, an entry taken over three claims in a row from workers that died on it; its patient moves on', async () => {
    const e = await h.enqueue('Patient/p-poison');
    const later = await h.enqueue('Patient/p-poison');
    const queue = t.app.get(OutboxQueue);
    // Three claims, each worker dying before it recorded anything: its lease passes. The first found it pending.
    for (const takeovers of [0, 1, 2]) {
      const [mine] = (await queue.claim(50, 3_600_000)).filter((c) => c.id === e.id);
      expect(mine).toMatchObject({ attempts: takeovers + 1, takeovers });
      await h.ds.query(`UPDATE outbox_entry SET locked_until = now() - interval '1 millisecond' WHERE id = $1`, [e.id]);
    }
    // The third take-over: dead at once, nothing sent (was: sent, and claimed again for ever after every crash,
    // holding back the patient's later writes).
    await h.settle(async () => (await h.row(later.id)).status === 'delivered');
    expect(await h.row(e.id)).toMatchObject({ status: 'dead', attempts: 4, takeovers: 3, last_error: { status: 0, reason: 'abandoned', retryable: true } });
    expect(ehr.receipts.filter((r) => r.key === e.key)).toEqual([]);
  });

  it('sends again an entry whose worker stalled once after recorded failures, even on its last allowed attempt', async () => {
    const e = await h.enqueue('Patient/p-stall');
    const queue = t.app.get(OutboxQueue);
    // Attempts 1–3 recorded as retries (OUTBOX_MAX_ATTEMPTS is 4 here), the 4th claimed and its worker stalled past
    // its lease, perhaps after the EHR accepted it.
    for (let i = 1; i <= 3; i++) {
      const [mine] = (await queue.claim(50, 3_600_000)).filter((c) => c.id === e.id);
      expect(await queue.scheduleRetry(mine, 0, { status: 503, reason: 'http', retryable: true, at: new Date().toISOString() })).toBe(true);
    }
    const [stalled] = (await queue.claim(50, 3_600_000)).filter((c) => c.id === e.id);
    expect(stalled).toMatchObject({ attempts: 4, takeovers: 0 });
    await h.ds.query(`UPDATE outbox_entry SET locked_until = now() - interval '1 millisecond' WHERE id = $1`, [e.id]);
    // One take-over: sent once more, and delivered (an abandonment counting every claim killed it unsent here).
    await h.settle(async () => (await h.row(e.id)).status !== 'in_flight');
    expect(await h.row(e.id)).toMatchObject({ status: 'delivered', attempts: 5, takeovers: 1 });
    expect(ehr.delivered(e.key)).toBe(1);
  });
});
