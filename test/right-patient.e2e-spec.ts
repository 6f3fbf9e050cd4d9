import { DataSource } from 'typeorm';
import { apiAs } from './programs-support/program-api.js';
import { MSC } from './programs-support/course.js';
import { FakeEhr } from './support/fake-ehr.js';
import { signIn } from './support/sign-in.js';
import { createTestApp, type TestApp } from './support/test-app.js';

/**
 * The right patient on every screen: the worklist's names come from the EHR in one search per page (never an id
 * shown instead); a coordinator the EHR launched with a patient in context sees only that patient; an EHR that
 * refuses a read is answered with 403, not 502.
 */
describe('the right patient', () => {
  let t: TestApp;
  let ehr: FakeEhr;
  let coordinator: ReturnType<typeof apiAs>;
  const referral: Record<string, string> = {};

  beforeAll(async () => {
    ehr = await FakeEhr.start();
    ehr.add('pat-a', 'Avery', 'Sample');
    ehr.add('pat-b', 'Jordan', 'Placeholder');
    ehr.add('pat-unnamed');
    t = await createTestApp({ fhir: { outboxWorker: false } });
    coordinator = apiAs(t, await signIn(t.app, { role: 'coordinator', issuer: ehr.baseUrl }));
    for (const id of ['pat-a', 'pat-b']) {
      referral[id] = (await coordinator.post('/api/referrals', { patientId: id, program: MSC, reason: 'Low mood since diagnosis' }).expect(201)).body.id;
    }
  }, 120_000); // a fresh embedded database starts slowly on a busy machine
  afterAll(async () => {
    await t?.close();
    await ehr?.close();
  });

  it('names a page of patients with one EHR search, read with the user token and kept briefly', async () => {
    ehr.requests.length = 0;
    const res = await coordinator.get('/api/patients?ids=pat-a,pat-b,pat-ghost,pat-unnamed').expect(200);
    expect(res.body.map((p: { id: string; name: string | null; unavailable?: string }) => [p.id, p.name, p.unavailable ?? null])).toEqual([
      ['pat-a', 'Avery Sample', null],
      ['pat-b', 'Jordan Placeholder', null],
      ['pat-ghost', null, 'not-found'],
      ['pat-unnamed', null, 'no-name'],
    ]);
    expect(ehr.requests).toHaveLength(1);
    expect(decodeURIComponent(ehr.requests[0])).toMatch(/^GET \/Patient\?_id=pat-a,pat-b,pat-ghost,pat-unnamed&_count=4$/);
    // The same names again (a reload of the worklist) do not go back to the EHR.
    await coordinator.get('/api/patients?ids=pat-b,pat-a').expect(200);
    expect(ehr.requests).toHaveLength(1);
  });

  it('refuses a malformed list of ids', async () => {
    await coordinator.get('/api/patients?ids=Patient/pat-a').expect(400);
    await coordinator.get('/api/patients').expect(400);
  });

  it('limits a coordinator launched with a patient in context to that patient: worklist, cards, banners, names', async () => {
    const inContext = apiAs(t, await signIn(t.app, { role: 'coordinator', issuer: ehr.baseUrl, patientId: 'pat-a' }));
    const worklist = (await inContext.get('/api/referrals').expect(200)).body as { patientId: string }[];
    expect(worklist.map((r) => r.patientId)).toEqual(['pat-a']);
    expect((await inContext.get(`/api/referrals/${referral['pat-a']}`).expect(200)).body.patientId).toBe('pat-a');
    for (const path of [`/api/referrals/${referral['pat-b']}`, '/api/referrals?patientId=pat-b', '/api/patients/pat-b', '/api/patients?ids=pat-a,pat-b']) {
      const res = await inContext.get(path).expect(403);
      expect(res.body.issue[0].details.coding[0].code).toBe('AUTH.PATIENT_NOT_IN_CONTEXT');
    }
    await inContext.post('/api/referrals', { patientId: 'pat-b', program: MSC, reason: 'Someone else' }).expect(403);
    // Without a patient in context the same coordinator works the whole EHR.
    const all = (await coordinator.get('/api/referrals').expect(200)).body as { patientId: string }[];
    expect(all.map((r) => r.patientId).sort()).toEqual(['pat-a', 'pat-b']);
  });

  it('keeps the other lists (write-back problems, enrolments) to the patient in context too', async () => {
    const ds = t.app.get(DataSource);
    const registrationId = (await ds.query(`SELECT registration_id FROM referral WHERE id = $1`, [referral['pat-a']]))[0].registration_id as string;
    for (const id of ['pat-a', 'pat-b']) {
      await ds.query(
        `INSERT INTO outbox_entry (registration_id, patient_key, kind, business_key, bundle, status) VALUES ($1, $2, 'test.dead', $3, '{"resourceType":"Bundle","type":"transaction","entry":[]}', 'dead')`,
        [registrationId, `Patient/${id}`, `dead:${id}`],
      );
    }
    const inContext = apiAs(t, await signIn(t.app, { role: 'coordinator', issuer: ehr.baseUrl, patientId: 'pat-a' }));
    const problems = (await inContext.get('/api/outbox/problems').expect(200)).body as { patientKey: string }[];
    expect(problems.map((p) => p.patientKey)).toEqual(['Patient/pat-a']);
    expect(((await coordinator.get('/api/outbox/problems').expect(200)).body as { patientKey: string }[]).map((p) => p.patientKey).sort()).toEqual(['Patient/pat-a', 'Patient/pat-b']);
    expect((await inContext.get('/api/enrolments').expect(200)).body).toEqual([]);
    await inContext.get('/api/enrolments?patientId=pat-b').expect(403);
  });

  it('answers 403 (an OperationOutcome), not 502, when the EHR refuses the read', async () => {
    ehr.forbidden.add('pat-secret');
    ehr.add('pat-secret', 'Casey', 'Fictitious');
    const res = await coordinator.get('/api/patients/pat-secret').expect(403);
    expect(res.headers['content-type']).toMatch(/application\/fhir\+json/);
    expect(res.body.resourceType).toBe('OperationOutcome');
    expect(res.body.issue[0]).toMatchObject({ code: 'forbidden', details: { coding: [{ code: 'FHIR.FORBIDDEN' }] } });
    // The patient in context of a clinician whose token the EHR refuses: the app's context answers 403 too.
    const clinician = apiAs(t, await signIn(t.app, { role: 'clinician', issuer: ehr.baseUrl, patientId: 'pat-secret' }));
    expect((await clinician.get('/api/context').expect(403)).body.issue[0].details.coding[0].code).toBe('FHIR.FORBIDDEN');
    ehr.refuseSearch = true;
    await coordinator.get('/api/patients?ids=pat-x1,pat-x2').expect(403);
    ehr.refuseSearch = false;
  });

  it('audits a refusal of a patient outside the context', async () => {
    // A refused read is written as that read, denied (`referral.read`, …); a refused write as `access.denied`.
    const [{ n }] = await t.app.get(DataSource).query(`SELECT count(*)::int AS n FROM audit_event WHERE outcome = 'denied' AND detail ->> 'reason' = 'AUTH.PATIENT_NOT_IN_CONTEXT'`);
    expect(n).toBeGreaterThanOrEqual(5);
  });
});
