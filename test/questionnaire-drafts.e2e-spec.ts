import type { Observation } from 'fhir/r4.js';
import { DataSource } from 'typeorm';
import { signIn, type SignedIn } from './support/sign-in.js';
import { createTestApp, type TestApp } from './support/test-app.js';
import { as, auditActions, outboxBundles, phqAnswers, phqResponse, resourcesOf, rowCounts } from './questionnaire-support/questionnaire-api.js';

const DAY = 24 * 3600 * 1000;

describe('drafts, concurrency and amendments', () => {
  let t: TestApp;
  let ds: DataSource;
  let patient: SignedIn;
  let clinician: SignedIn;

  beforeAll(async () => {
    t = await createTestApp({ fhir: { outboxWorker: false } });
    ds = t.app.get(DataSource);
    patient = await signIn(t.app, { role: 'patient', patientId: 'pat-2' });
    clinician = await signIn(t.app, { role: 'clinician', patientId: 'pat-3', fhirUser: 'Practitioner/clin-3' });
  });
  afterAll(async () => t?.close());

  it('saves a draft on the server, resumes it the next day, and submits it', async () => {
    const before = await rowCounts(t);
    const firstFour = Object.fromEntries(Object.entries(phqAnswers(1)).slice(0, 4));
    const started = await as(t, patient).post('/api/questionnaire-responses', phqResponse('Patient/pat-2', firstFour, 'in-progress')).expect(201);
    const id = started.body.resource.id as string;
    expect(started.body).toMatchObject({ version: 1, alerts: [], resource: { status: 'in-progress' } });
    const afterDraft = await rowCounts(t);
    expect(afterDraft).toEqual({ ...before, questionnaire_response: before.questionnaire_response + 1 }); // a draft is never written back

    // "The next day": the patient tires, closes the app, and comes back tomorrow.
    await ds.query(`UPDATE questionnaire_response SET created_at = created_at - interval '1 day', updated_at = updated_at - interval '1 day', authored = authored - interval '1 day' WHERE id = $1`, [id]);
    const resumed = await as(t, patient).get(`/api/questionnaire-responses/${id}`).expect(200);
    expect(resumed.headers['content-type']).toMatch(/^application\/fhir\+json/);
    expect(resumed.headers.etag).toBe('W/"1"');
    expect(resumed.body.item).toHaveLength(4);

    const more = await as(t, patient).put(`/api/questionnaire-responses/${id}`, phqResponse('Patient/pat-2', { ...phqAnswers(1), 'phq9-9': 0 }, 'in-progress'), 'W/"1"').expect(200);
    expect(more.headers.etag).toBe('W/"2"');
    const stale = await as(t, patient).put(`/api/questionnaire-responses/${id}`, phqResponse('Patient/pat-2', phqAnswers(3), 'in-progress'), 'W/"1"');
    expect(stale.status).toBe(409);
    expect(stale.body.issue[0].details.coding[0].code).toBe('QUESTIONNAIRES.VERSION_CONFLICT');
    await as(t, patient).put(`/api/questionnaire-responses/${id}`, phqResponse('Patient/pat-2', phqAnswers(1), 'completed')).expect(428);

    const submitted = await as(t, patient).put(`/api/questionnaire-responses/${id}`, phqResponse('Patient/pat-2', { ...phqAnswers(1), 'phq9-9': 0 }, 'completed'), 'W/"2"').expect(200);
    expect(submitted.body).toMatchObject({ version: 3, resource: { status: 'completed', author: { reference: 'Patient/pat-2' } }, alerts: [] });
    expect(submitted.body.scores[0]).toMatchObject({ value: 8, band: { code: 'phq9-mild' } });
    const [row] = await ds.query(`SELECT created_at, authored, submitted_at FROM questionnaire_response WHERE id = $1`, [id]);
    expect(Date.now() - new Date(row.created_at).getTime()).toBeGreaterThan(DAY - 60_000);
    expect(Date.now() - new Date(row.authored).getTime()).toBeLessThan(60_000);
    expect(await outboxBundles(t, 'questionnaire-response.completed', id)).toHaveLength(1);
    expect(await auditActions(t, id)).toEqual(['questionnaire-response.save-draft', 'questionnaire-response.read', 'questionnaire-response.save-draft', 'questionnaire-response.submit']);
  });

  // Embedded PostgreSQL runs one transaction at a time, so real contention needs real PostgreSQL.
  (process.env.DATABASE_URL ? it : it.skip)('lets exactly one of two simultaneous saves of the same version win', async () => {
    const started = await as(t, patient).post('/api/questionnaire-responses', phqResponse('Patient/pat-2', { 'phq9-1': 1 }, 'in-progress')).expect(201);
    const path = `/api/questionnaire-responses/${started.body.resource.id}`;
    const [a, b] = await Promise.all([
      as(t, patient).put(path, phqResponse('Patient/pat-2', { 'phq9-1': 2 }, 'in-progress'), 'W/"1"'),
      as(t, patient).put(path, phqResponse('Patient/pat-2', { 'phq9-1': 3 }, 'in-progress'), 'W/"1"'),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
  });

  it('amends a submitted response, keeping the earlier version, and audits it', async () => {
    const first = await as(t, clinician).post('/api/questionnaire-responses', phqResponse('Patient/pat-3', phqAnswers(2, 0))).expect(201);
    const id = first.body.resource.id as string;
    expect(first.body.resource).toMatchObject({ author: { reference: 'Practitioner/clin-3' }, source: { reference: 'Patient/pat-3' } });
    await as(t, clinician).put(`/api/questionnaire-responses/${id}`, phqResponse('Patient/pat-3', phqAnswers(2, 0), 'in-progress'), 'W/"1"').expect(409);

    const amended = await as(t, clinician).put(`/api/questionnaire-responses/${id}`, phqResponse('Patient/pat-3', phqAnswers(1, 0), 'amended'), 'W/"1"').expect(200);
    expect(amended.body).toMatchObject({ version: 2, resource: { status: 'amended' } });
    expect(amended.body.scores[0].value).toBe(8);
    const versions = await ds.query(`SELECT version, status, resource FROM questionnaire_response_version WHERE response_id = $1 ORDER BY version`, [id]);
    expect(versions.map((v: { version: number; status: string }) => [v.version, v.status])).toEqual([[1, 'completed'], [2, 'amended']]);
    expect(versions[0].resource.item.find((i: { linkId: string }) => i.linkId === 'phq9-total').answer).toEqual([{ valueInteger: 16 }]);
    await expect(ds.query(`UPDATE questionnaire_response_version SET status = 'amended' WHERE response_id = $1`, [id])).rejects.toThrow(/append-only/);

    const [bundle] = await outboxBundles(t, 'questionnaire-response.amended', id);
    expect(bundle.entry!.slice(0, 2).map((e) => e.request!.method)).toEqual(['PUT', 'PUT']);
    expect(resourcesOf<Observation>(bundle, 'Observation')[0]).toMatchObject({ status: 'amended', valueInteger: 8 });
    expect(await auditActions(t, id)).toEqual(['questionnaire-response.submit', 'questionnaire-response.amend']);
    const [audit] = await ds.query(`SELECT detail FROM audit_event WHERE resource_id = $1 AND action = 'questionnaire-response.amend'`, [id]);
    expect(audit.detail).toMatchObject({ version: 2, previousVersion: 1 });
    const [score] = await ds.query(`SELECT value::float8 AS value, response_version FROM questionnaire_score WHERE response_id = $1`, [id]);
    expect(score).toEqual({ value: 8, response_version: 2 });
  });
});
