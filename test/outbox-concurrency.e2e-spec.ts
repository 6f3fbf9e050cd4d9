import { ModuleRef } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { fhirConfig, type FhirConfig } from '../src/config/fhir.config.js';
import { dataSourceOptions } from '../src/database/data-source-options.js';
import { entities } from '../src/entities.js';
import { EhrSystemAuthorizer } from '../src/fhir/fhir-connection.js';
import { BundleDelivery } from '../src/fhir/delivery/bundle-delivery.js';
import { TaskCompletionDelivery } from '../src/fhir/delivery/task-completion-delivery.js';
import { OutboxQueue } from '../src/fhir/outbox.queue.js';
import { OutboxService } from '../src/fhir/outbox.service.js';
import { OutboxWorker } from '../src/fhir/outbox.worker.js';
import { FakeEhr } from './support/fake-ehr.js';
import { FakeAuthorizer, keyOf, referralBundle, sleep, until } from './support/outbox-fixtures.js';
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
});
