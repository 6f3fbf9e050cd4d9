import type { Observation, QuestionnaireResponse } from 'fhir/r4.js';
import { DataSource } from 'typeorm';
import { EhrSystemAuthorizer } from '../src/fhir/fhir-connection.js';
import { OutboxWorker } from '../src/fhir/outbox.worker.js';
import { FakeEhr } from './support/fake-ehr.js';
import { FakeAuthorizer } from './support/outbox-fixtures.js';
import { signIn, type SignedIn } from './support/sign-in.js';
import { createTestApp, type TestApp } from './support/test-app.js';
import { until } from './support/wait.js';
import { as, phqAnswers, phqResponse } from './questionnaire-support/questionnaire-api.js';

/**
 * Delivery through the real outbox worker to a test FHIR server that can lose its answer after committing
 * (the sandbox EHR cannot), then an amendment as conditional updates. questionnaire-sandbox.e2e-spec.ts covers
 * the sandbox EHR with backend-services tokens.
 */
describe('write-back of a submitted response to the EHR', () => {
  let t: TestApp;
  let ehr: FakeEhr;
  let caregiver: SignedIn;
  const authorizer = new FakeAuthorizer();
  const stored = <T>(type: string, text: string) => [...ehr.store.values()].filter((r) => r.resourceType === type && JSON.stringify(r).includes(text)) as unknown as T[];

  beforeAll(async () => {
    ehr = await FakeEhr.start();
    authorizer.baseUrl = ehr.baseUrl;
    t = await createTestApp({ fhir: { outboxWorker: false, outboxBackoffBaseMs: 20, outboxBackoffCapMs: 80 }, overrides: [{ provide: EhrSystemAuthorizer, useValue: authorizer }] });
    caregiver = await signIn(t.app, { role: 'caregiver', patientId: 'pat-d', fhirUser: 'RelatedPerson/rp-d' });
  });
  afterAll(async () => {
    await t?.close();
    await ehr?.close();
  });

  it('delivers QR + Observation + Provenance exactly once, even when the EHR’s answer is lost and the Bundle is resent', async () => {
    const saved = await as(t, caregiver).post('/api/questionnaire-responses', phqResponse('Patient/pat-d', phqAnswers(1, 1))).expect(201);
    const id = saved.body.resource.id as string;
    let lose = true;
    ehr.intercept = (b) => (lose && JSON.stringify(b).includes(id) ? ((lose = false), { status: 502, afterCommit: true }) : undefined);
    const worker = t.app.get(OutboxWorker);
    // The worker is driven by hand until nothing is left (the retry after the lost answer is due within 80 ms).
    await until(async () => (await worker.drain(), (await pending(t)) === 0), 'every entry delivered', { everyMs: 50 });
    expect(await pending(t)).toBe(0);
    expect(lose).toBe(false);
    const qrs = stored<QuestionnaireResponse>('QuestionnaireResponse', id);
    expect(qrs).toHaveLength(1);
    expect(qrs[0]).toMatchObject({ status: 'completed', author: { reference: 'RelatedPerson/rp-d' }, source: { reference: 'Patient/pat-d' } });
    const obs = stored<Observation>('Observation', `QuestionnaireResponse/${qrs[0].id}`);
    expect(obs).toHaveLength(1);
    expect(obs[0]).toMatchObject({ valueInteger: 9, derivedFrom: [{ reference: `QuestionnaireResponse/${qrs[0].id}` }] });
    expect(stored('Provenance', `QuestionnaireResponse/${qrs[0].id}`)).toHaveLength(1);
    expect(stored('Task', 'safety-alert')).toHaveLength(1); // item 9 = 1: the clinician's review Task went too

    const amended = await as(t, caregiver).put(`/api/questionnaire-responses/${id}`, phqResponse('Patient/pat-d', phqAnswers(0)), 'W/"1"').expect(200);
    expect(amended.body.resource.status).toBe('amended');
    await worker.drain();
    const after = stored<QuestionnaireResponse & { meta: { versionId: string } }>('QuestionnaireResponse', id);
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ status: 'amended', meta: { versionId: '2' } });
    expect(stored<Observation>('Observation', `QuestionnaireResponse/${qrs[0].id}`).map((o) => [o.status, o.valueInteger])).toEqual([['amended', 0]]);
  });
});

async function pending(t: TestApp): Promise<number> {
  const [r] = await t.app.get(DataSource).query(`SELECT count(*)::int AS n FROM outbox_entry WHERE status IN ('pending', 'in_flight')`);
  return r.n;
}
