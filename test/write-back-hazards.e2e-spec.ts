import { jest } from '@jest/globals';
import type { Bundle, Provenance, ServiceRequest, Task } from 'fhir/r4.js';
import { DataSource } from 'typeorm';
import { businessIdentifier, IDENTIFIER_BASE, referenceTo } from '../src/fhir/business-identifier.js';
import { EhrSystemAuthorizer } from '../src/fhir/fhir-connection.js';
import { OutboxService } from '../src/fhir/outbox.service.js';
import { OutboxWorker } from '../src/fhir/outbox.worker.js';
import { transactionBundle } from '../src/fhir/write-back.fhir.js';
import { FakeAuthorizer, referralBundle } from './support/outbox-fixtures.js';
import { EHR_PROFILES, ReferenceEhr, type ReferenceEhrProfile } from './support/reference-ehr/reference-ehr.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const REGISTRATION = '00000000-0000-4000-8000-00000000000a';
const REGISTRATION_B = '00000000-0000-4000-8000-00000000000b';
const REGISTRATION_C = '00000000-0000-4000-8000-00000000000c';
const WHO = { actor: 'test', actorRole: 'admin' };

/**
 * What goes wrong with real EHRs between our writes, and must not duplicate, overwrite or misfile anything:
 * a search that ignores our identifier, a duplicate the EHR already holds, capabilities we cannot read, an
 * admin's retry of an old write after newer ones were delivered.
 */
// A busy 2-core machine builds the embedded database and runs a whole journey slowly: generous, not timed.
jest.setTimeout(300_000);

describe.each([
  ['no conditional writes', EHR_PROFILES.noConditionalCreate],
  ['transactions', EHR_PROFILES.transaction],
  ['no Bundles (one request a resource)', EHR_PROFILES.restOnly],
] as [string, ReferenceEhrProfile][])('write-back hazards on an EHR with %s', (_name, profile) => {
  let t: TestApp;
  let ehr: ReferenceEhr;
  const authorizer = new FakeAuthorizer();
  const ds = () => t.app.get(DataSource);
  const enqueue = (patientKey: string, businessKey: string, bundle: Bundle, registrationId = REGISTRATION) =>
    ds().transaction((m) => t.app.get(OutboxService).enqueue(m, { registrationId, patientKey, kind: 'test.write', businessKey, bundle }));
  const row = async (id: string) => ((await ds().query(`SELECT status, last_error FROM outbox_entry WHERE id = $1`, [id])) as { status: string; last_error: { reason: string } | null }[])[0];
  const drain = async () => {
    await t.app.get(OutboxWorker).drain();
  };

  beforeAll(async () => {
    ehr = await ReferenceEhr.start({ profile });
    t = await createTestApp({ fhir: { outboxWorker: false, outboxBackoffBaseMs: 1, outboxBackoffCapMs: 1 }, overrides: [{ provide: EhrSystemAuthorizer, useValue: authorizer }] });
  });
  beforeEach(async () => {
    await ehr.reset();
    authorizer.baseUrl = ehr.baseUrl;
    authorizer.token = ehr.issueUserToken();
    authorizer.delivery = {}; // what the EHR's CapabilityStatement says
  });
  afterAll(async () => {
    await t?.close();
    await ehr?.close();
  });

  it('never adopts or overwrites a resource a search returns without our identifier', async () => {
    await ehr.seed([{ resourceType: 'ServiceRequest', id: 'someone-else', status: 'active', intent: 'order', subject: { reference: 'Patient/other' } }]);
    // The EHR ignores `identifier=` and answers with whatever it has.
    ehr.intercept = async ({ method, path }) => {
      if (method !== 'GET' || !path.includes('identifier=')) return undefined;
      const others = await ehr.all('ServiceRequest');
      return { status: 200, body: { resourceType: 'Bundle', type: 'searchset', entry: others.map((resource) => ({ resource, search: { mode: 'match' } })) } };
    };
    const { id } = await enqueue('Patient/p1', 'ignored-search', referralBundle('Patient/p1', 'ignored-search'));
    await drain();
    expect((await row(id)).status).toBe('delivered');
    const srs = await ehr.all<ServiceRequest>('ServiceRequest');
    expect(srs.find((s) => s.id === 'someone-else')).toMatchObject({ subject: { reference: 'Patient/other' }, meta: { versionId: expect.any(String) } });
    expect(srs.find((s) => s.id === 'someone-else')!.identifier).toBeUndefined();
    expect(srs.filter((s) => s.subject.reference === 'Patient/p1')).toHaveLength(1);
  });

  it('goes dead, with the reason, when the EHR already holds two resources with one of our identifiers', async () => {
    if (profile.conditionalCreate) return; // conditional create answers that itself (412)
    const identifier = [{ system: `${IDENTIFIER_BASE}/service-request`, value: 'twice' }];
    await ehr.seed([
      { resourceType: 'ServiceRequest', id: 'dup-1', status: 'active', intent: 'order', subject: { reference: 'Patient/p2' }, identifier },
      { resourceType: 'ServiceRequest', id: 'dup-2', status: 'active', intent: 'order', subject: { reference: 'Patient/p2' }, identifier },
    ]);
    const { id } = await enqueue('Patient/p2', 'twice', referralBundle('Patient/p2', 'twice'));
    await drain();
    expect(await row(id)).toMatchObject({ status: 'dead', last_error: { reason: 'undeliverable:multiple-matches' } });
    expect(await ehr.all('ServiceRequest')).toHaveLength(2);
  });

  it('waits, sending nothing, while the EHR’s capabilities cannot be read and the registration does not vouch for them', async () => {
    ehr.intercept = ({ path }) => (path.endsWith('/metadata') ? { status: 503 } : undefined);
    // A registration of its own, so no capabilities are cached from an earlier test.
    const { id } = await enqueue('Patient/p3', `unknown-caps-${profile.name}`, referralBundle('Patient/p3', `unknown-caps-${profile.name}`), profile.conditionalCreate ? REGISTRATION_B : REGISTRATION_C);
    await t.app.get(OutboxWorker).runOnce();
    expect(await row(id)).toMatchObject({ status: 'pending', last_error: { reason: 'capabilities-unknown' } });
    expect(ehr.requests.filter((x) => x.method === 'POST' || x.method === 'PUT')).toEqual([]);
  });

  it('keeps newer data when an admin retries an older write that went dead', async () => {
    const sr = businessIdentifier('service-request', 'retry-order');
    const task = (status: Task['status']) =>
      transactionBundle(
        [
          { resource: { resourceType: 'ServiceRequest', status: 'active', intent: 'order', subject: { reference: 'Patient/p4' } }, businessIdentifier: sr },
          { resource: { resourceType: 'Task', status, intent: 'order', focus: referenceTo(sr), for: { reference: 'Patient/p4' } }, businessIdentifier: businessIdentifier('task', 'retry-order'), mode: 'update' },
        ],
        { agent: { reference: 'Practitioner/c1' }, recorded: new Date() },
      );
    let refuse = true;
    ehr.intercept = ({ method }) => (refuse && (method === 'POST' || method === 'PUT') ? { status: 422 } : undefined);
    const older = await enqueue('Patient/p4', 'task-accepted', task('accepted'));
    await drain();
    expect((await row(older.id)).status).toBe('dead');
    refuse = false;
    const newer = await enqueue('Patient/p4', 'task-completed', task('completed'));
    await drain();
    expect((await row(newer.id)).status).toBe('delivered');
    await t.app.get(OutboxService).retry(older.id, WHO);
    await drain();
    expect((await row(older.id)).status).toBe('delivered');
    const tasks = await ehr.all<Task>('Task');
    expect(tasks).toHaveLength(1);
    expect(tasks[0].status).toBe('completed');
    expect(await ehr.all('ServiceRequest')).toHaveLength(1);
  });

  it('records each of several writes of the same resources in the same millisecond with a Provenance of its own, and a resend with none', async () => {
    const sr = businessIdentifier('service-request', 'same-instant');
    const recorded = '2026-03-02T10:15:00.000Z'; // one instant for all three writes
    const write = (status: Task['status'], agent: string) =>
      transactionBundle(
        [
          { resource: { resourceType: 'ServiceRequest', status: 'active', intent: 'order', subject: { reference: 'Patient/p5' } }, businessIdentifier: sr },
          { resource: { resourceType: 'Task', status, intent: 'order', focus: referenceTo(sr), for: { reference: 'Patient/p5' } }, businessIdentifier: businessIdentifier('task', 'same-instant'), mode: 'update' },
        ],
        { agent: { reference: agent }, recorded },
      );
    // The first write reaches the EHR but its answer is lost (refused after the commit: it goes dead, an admin resends it).
    let loseAnswer = true;
    ehr.intercept = ({ method, body }) => {
      // In a transaction Bundle, or on its own (an EHR without Bundles gets one request a resource).
      const sent = body as Bundle | Provenance | undefined;
      const carriesProvenance = sent?.resourceType === 'Provenance' || (sent?.resourceType === 'Bundle' && sent.entry?.some((e) => e.resource?.resourceType === 'Provenance'));
      if (!loseAnswer || method !== 'POST' || !carriesProvenance) return undefined;
      loseAnswer = false;
      return { status: 422, afterCommit: true };
    };
    const first = await enqueue('Patient/p5', 'same-instant-1', write('accepted', 'Practitioner/c1'));
    await drain();
    expect((await row(first.id)).status).toBe('dead');
    await enqueue('Patient/p5', 'same-instant-2', write('accepted', 'Practitioner/c2')); // another person, the same change
    await enqueue('Patient/p5', 'same-instant-3', write('completed', 'Practitioner/c1')); // the next change
    await drain();
    const authors = async () => (await ehr.all<Provenance>('Provenance')).map((p) => `${p.agent[0].who!.reference} ${p.recorded}`).sort();
    const expected = ['Practitioner/c1', 'Practitioner/c1', 'Practitioner/c2'].map((who) => `${who} ${recorded}`);
    expect(await authors()).toEqual(expected);
    // The resend of the first write (its Task update now create-if-absent: later writes superseded it) creates nothing.
    await t.app.get(OutboxService).retry(first.id, WHO);
    await drain();
    expect((await row(first.id)).status).toBe('delivered');
    expect(await authors()).toEqual(expected);
    expect((await ehr.all<Task>('Task')).map((x) => x.status)).toEqual(['completed']);
  });
});
