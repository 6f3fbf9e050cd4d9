import { ModuleRef } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { fhirConfig, type FhirConfig } from '../src/config/fhir.config.js';
import { dataSourceOptions } from '../src/database/data-source-options.js';
import { entities } from '../src/entities.js';
import { EhrSystemAuthorizer } from '../src/fhir/fhir-connection.js';
import { BundleDelivery } from '../src/fhir/delivery/bundle-delivery.js';
import { TaskCompletionDelivery } from '../src/fhir/delivery/task-completion-delivery.js';
import type { OutboxError } from '../src/fhir/outbox-entry.entity.js';
import { CLAIM, CLAIM_TURN, OutboxQueue, type ClaimedEntry } from '../src/fhir/outbox.queue.js';
import { OutboxService } from '../src/fhir/outbox.service.js';
import { OutboxWorker } from '../src/fhir/outbox.worker.js';
import { FakeEhr } from './support/fake-ehr.js';
import { FakeAuthorizer, keyOf, referralBundle, sleep, taskUpdateBundle, until } from './support/outbox-fixtures.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const REGISTRATION = '00000000-0000-4000-8000-000000000002';
const PATIENTS = 40;
const PER_PATIENT = 5;

// SKIP LOCKED between concurrent workers needs real PostgreSQL: PGlite runs one transaction at a time.
const onRealPostgres = process.env.DATABASE_URL ? describe : describe.skip;
const title = process.env.DATABASE_URL
  ? 'two workers on one PostgreSQL schema'
  : 'two workers on one PostgreSQL schema — SKIPPED: set DATABASE_URL to a real PostgreSQL to run it';
if (!process.env.DATABASE_URL) process.stderr.write(`test/outbox-concurrency: ${title}\n`);

onRealPostgres(title, () => {
  let t: TestApp;
  let ehr: FakeEhr;
  let secondDs: DataSource;
  const authorizer = new FakeAuthorizer();

  beforeAll(async () => {
    ehr = await FakeEhr.start();
    authorizer.baseUrl = ehr.baseUrl;
    t = await createTestApp({ fhir: { outboxWorker: false, outboxBatchSize: 8, outboxBackoffBaseMs: 5, outboxBackoffCapMs: 20 }, overrides: [{ provide: EhrSystemAuthorizer, useValue: authorizer }] });
    // The second worker has its own pool, as a second service instance would.
    secondDs = new DataSource(dataSourceOptions({ url: process.env.DATABASE_URL!, schema: t.db.schema, poolSize: 5, queryTimeoutMs: 10000 }, entities));
    await secondDs.initialize();
  });
  afterAll(async () => {
    if (secondDs?.isInitialized) await secondDs.destroy();
    await t?.close();
    await ehr?.close();
  });

  it('drain 200 entries together: each delivered exactly once, each patient in order', async () => {
    const ds = t.app.get(DataSource);
    const outbox = t.app.get(OutboxService);
    const refs: { patient: string; ref: string }[] = [];
    for (let n = 0; n < PER_PATIENT; n++) for (let p = 0; p < PATIENTS; p++) refs.push({ patient: `Patient/c${p}`, ref: `c${p}-${n}` });
    await ds.transaction(async (m) => {
      for (const { patient, ref } of refs) {
        await outbox.enqueue(m, { registrationId: REGISTRATION, patientKey: patient, kind: 'referral.created', businessKey: ref, bundle: referralBundle(patient, ref) });
      }
    });
    ehr.intercept = () => (Math.random() < 0.1 ? { status: 503 } : undefined); // some retries in the mix
    ehr.delayMs = 3;

    const config = t.app.get<FhirConfig>(fhirConfig.KEY);
    const workers = [
      t.app.get(OutboxWorker),
      new OutboxWorker(new OutboxQueue(secondDs), t.app.get(BundleDelivery), t.app.get(TaskCompletionDelivery), t.app.get(ModuleRef), config),
    ];
    const done = async () => (await ds.query(`SELECT count(*)::int AS n FROM outbox_entry WHERE status <> 'delivered'`))[0].n === 0;
    const claimed = [0, 0];
    let finished = false;
    const loop = async (i: number) => {
      while (!finished) {
        // Pipelined (a claim as each delivery finishes) on the first worker, one batch at a time on the second.
        const n = await (i === 0 ? workers[i].drain(40) : workers[i].runOnce());
        claimed[i] += n;
        if (!n) await sleep(5);
      }
    };
    const running = [loop(0), loop(1)];
    try {
      await until(done, 'every entry delivered', { everyMs: 50 });
    } finally {
      finished = true;
      await Promise.all(running);
    }

    expect(await done()).toBe(true);
    for (const { ref } of refs) expect(ehr.delivered(keyOf(ref))).toBe(1);
    expect(ehr.receipts.filter((r) => r.status === 200)).toHaveLength(refs.length);
    expect(ehr.count('ServiceRequest')).toBe(refs.length);
    // Both workers took part, and no patient's entry went out before an earlier one of the same patient.
    expect(claimed[0]).toBeGreaterThan(20);
    expect(claimed[1]).toBeGreaterThan(20);
    const delivered = ehr.receipts.filter((r) => r.status === 200).map((r) => r.key);
    for (let p = 0; p < PATIENTS; p++) {
      const order = delivered.filter((k) => k.includes(`|c${p}-`));
      expect(order).toEqual(Array.from({ length: PER_PATIENT }, (_, n) => keyOf(`c${p}-${n}`)));
    }
  });
  it('claims take turns: one that began before an admin retried a dead entry and one after never send that entry beside its patient’s later one', async () => {
    const ds = t.app.get(DataSource);
    const outbox = t.app.get(OutboxService);
    const queue = t.app.get(OutboxQueue);
    const patient = 'Patient/turns-1';
    const enqueue = async (ref: string) =>
      (await ds.transaction((m) => outbox.enqueue(m, { registrationId: REGISTRATION, patientKey: patient, kind: 'referral.created', businessKey: ref, bundle: referralBundle(patient, ref) }))).id;
    const early = await enqueue('turns-1-a');
    const later = await enqueue('turns-1-b');
    const ours = (xs: ClaimedEntry[]) => xs.filter((x) => x.id === early || x.id === later).map((x) => x.id);
    const refused: OutboxError = { status: 422, reason: 'http', retryable: false, at: new Date().toISOString() };
    const [e1] = (await queue.claim(50, 60_000)).filter((x) => x.id === early);
    expect(await queue.markDead(e1, refused)).toBe(true);
    // Whether a claim of this schema is waiting for its turn (held by another claim's transaction).
    const waitingForTurn = async () =>
      (
        await ds.query(`SELECT EXISTS (SELECT 1 FROM pg_locks l WHERE l.locktype = 'advisory' AND NOT l.granted
          AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
          AND l.classid = 0 AND l.objid = 'outbox_entry'::regclass::oid) AS waiting`)
      )[0].waiting === true;

    // Claim A (the second instance) has its turn and the later entry (the earlier is dead), and has not committed.
    const a = secondDs.createQueryRunner();
    await a.connect();
    await a.startTransaction();
    try {
      await a.query(CLAIM_TURN);
      const taken = ((await a.query(CLAIM, [50, 60_000], true)).records as { id: string }[]).map((r) => r.id);
      expect(taken.filter((id) => id === early || id === later)).toEqual([later]);
      // An admin retries the earlier one meanwhile; claim B begins after the retry, before A commits.
      await outbox.retry(early, { actor: 'synthetic-admin', actorRole: 'admin' });
      let settled = false;
      const b = queue.claim(50, 60_000).finally(() => (settled = true));
      // Without turns B answered at once, taking the earlier entry while the later was being sent.
      await until(async () => settled || (await waitingForTurn()), 'claim B waits for its turn (or returns)');
      expect(settled).toBe(false);
      await a.commitTransaction();
      // B's snapshot begins after A's commit: the later entry is in flight, so the earlier is held back.
      expect(ours(await b)).toEqual([]);
    } finally {
      if (a.isTransactionActive) await a.rollbackTransaction();
      await a.release();
    }
    expect((await ds.query(`SELECT status FROM outbox_entry WHERE id = $1`, [early]))[0].status).toBe('pending');
    await ds.query(`UPDATE outbox_entry SET status = 'delivered', locked_until = NULL WHERE id = ANY($1)`, [[early, later]]);
  });

  // The later entry's worker sent it (the EHR accepted it) and records it just as its lease has passed: its record's
  // UPDATE holds the row while a claim runs. The claim must neither wait for it nor take the patient's earlier entry
  // instead (its superseded updates read while the later one is still in flight, its older PUTs could land last).
  it('a delivery recorded as its lease passes (its row locked by the record): a claim skips the patient, then sends the earlier entry with the later one’s updates superseded', async () => {
    const ds = t.app.get(DataSource);
    const outbox = t.app.get(OutboxService);
    const queue = t.app.get(OutboxQueue);
    const patient = 'Patient/recording-1';
    const enqueue = async (ref: string, status: 'accepted' | 'completed') =>
      (await ds.transaction((m) => outbox.enqueue(m, { registrationId: REGISTRATION, patientKey: patient, kind: 'referral.created', businessKey: ref, bundle: taskUpdateBundle(patient, ref, status) }))).id;
    const early = await enqueue('recording-1-a', 'accepted');
    const later = await enqueue('recording-1-b', 'completed');
    const ours = async () => (await queue.claim(50, 60_000)).filter((x) => x.id === early || x.id === later);
    const [e1] = await ours();
    expect(e1.id).toBe(early);
    expect(await queue.markDead(e1, { status: 422, reason: 'http', retryable: false, at: new Date().toISOString() })).toBe(true);
    const [l1] = await ours();
    expect(l1.id).toBe(later);
    await ds.query(`UPDATE outbox_entry SET locked_until = now() - interval '1 second' WHERE id = $1`, [later]);
    await outbox.retry(early, { actor: 'synthetic-admin', actorRole: 'admin' });

    const recording = secondDs.createQueryRunner();
    await recording.connect();
    await recording.startTransaction();
    try {
      // markDelivered's statement (the second instance's worker), not yet committed.
      const [, n] = await recording.query(`UPDATE outbox_entry SET status = 'delivered', delivered_at = now(), locked_until = NULL WHERE id = $1 AND status = 'in_flight' AND attempts = $2`, [later, l1.attempts]);
      expect(n).toBe(1);
      // Without the fix the claim took the earlier entry here, with nothing superseded.
      expect((await ours()).map((x) => x.id)).toEqual([]);
      await recording.commitTransaction();
    } finally {
      if (recording.isTransactionActive) await recording.rollbackTransaction();
      await recording.release();
    }
    const [next] = await ours();
    expect(next.id).toBe(early);
    expect([...next.superseded]).toEqual(l1.bundle.entry!.filter((x) => x.request?.method === 'PUT').map((x) => x.request!.url));
    await ds.query(`UPDATE outbox_entry SET status = 'delivered', locked_until = NULL WHERE id = ANY($1)`, [[early, later]]);
  });

  it('an entry whose transaction commits after a later one was claimed, that later one’s lease passed: the later one is claimed again first', async () => {
    const ds = t.app.get(DataSource);
    const outbox = t.app.get(OutboxService);
    const queue = t.app.get(OutboxQueue);
    const patient = 'Patient/late-commit-1';
    const item = (ref: string) => ({ registrationId: REGISTRATION, patientKey: patient, kind: 'referral.created', businessKey: ref, bundle: taskUpdateBundle(patient, ref, 'accepted') });
    const ours = async (...ids: string[]) => (await queue.claim(50, 60_000)).filter((x) => ids.includes(x.id)).map((x) => x.id);
    // The earlier entry's transaction takes its seq first and commits last (the second instance's request).
    const slow = secondDs.createQueryRunner();
    await slow.connect();
    await slow.startTransaction();
    try {
      const { id: early } = await outbox.enqueue(slow.manager, item('late-commit-1-a'));
      const later = (await ds.transaction((m) => outbox.enqueue(m, item('late-commit-1-b')))).id;
      expect(await ours(early, later)).toEqual([later]);
      await ds.query(`UPDATE outbox_entry SET locked_until = now() - interval '1 second' WHERE id = $1`, [later]);
      await slow.commitTransaction();
      // Without the fix: the earlier one, beside a later one its worker may have sent.
      expect(await ours(early, later)).toEqual([later]);
      await ds.query(`UPDATE outbox_entry SET status = 'delivered', locked_until = NULL WHERE id = ANY($1)`, [[early, later]]);
    } finally {
      if (slow.isTransactionActive) await slow.rollbackTransaction();
      await slow.release();
    }
  });
});
