import type { Task } from 'fhir/r4.js';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { gad7 } from '../src/questionnaires/engine/instruments/gad7.js';
import { FhirStore } from '../src/sandbox/fhir-store.service.js';
import { BASIC_CLIENT, basicAuth, pkcePair } from './support/sandbox-auth.js';
import { TestBrowser } from './support/browser.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const GAD7 = `${gad7.questionnaire.url}|${gad7.questionnaire.version}`;
const CLINICIAN = 'Practitioner/sbx-prac-1';

/**
 * SMART App Launch 2.2 `fhirContext` (issue 15): the sandbox EHR launches the app on a form — a Questionnaire
 * canonical, or an SDC Task asking for one — and the app's session keeps it: `/api/context` reports it and
 * `/api/context/form` resolves the form, refusing a Task about another patient. Over real HTTP.
 */
describe('an EHR launch on a form (SMART 2.2 fhirContext)', () => {
  let t: TestApp;
  let ds: DataSource;

  /** An EHR launch from the sandbox's launcher URL, followed through the app's callback. */
  async function launch(query: Record<string, string>): Promise<TestBrowser> {
    const b = new TestBrowser();
    const hops = await b.navigate(`${t.url}/sandbox/launch?${new URLSearchParams({ user: CLINICIAN, patient: 'Patient/sbx-pat-1', ...query })}`, (u) => u.startsWith(`${t.url}/app/`));
    expect(hops.at(-1)!.location).toMatch(/\/app\/$/);
    return b;
  }
  const get = async (b: TestBrowser, path: string) => {
    const res = await b.request(`${t.url}${path}`);
    return { status: res.status, body: JSON.parse(res.body) };
  };
  const sdcTask = (patient: string): Task => ({
    resourceType: 'Task',
    status: 'requested',
    intent: 'order',
    code: { coding: [{ system: 'http://hl7.org/fhir/uv/sdc/CodeSystem/temp', code: 'complete-questionnaire' }] },
    for: { reference: `Patient/${patient}` },
    input: [{ type: { coding: [{ system: 'http://hl7.org/fhir/uv/sdc/CodeSystem/temp', code: 'questionnaire' }] }, valueCanonical: GAD7 }],
  });

  beforeAll(async () => {
    t = await createTestApp({ listen: true, fhir: { outboxWorker: false } });
    ds = t.app.get(DataSource);
  });
  afterAll(async () => t?.close());

  it("answers the launcher's canonical in the token response, in SMART 2.2's form", async () => {
    const server = t.app.getHttpServer();
    const started = await request(server).get('/sandbox/launch').query({ user: CLINICIAN, patient: 'Patient/sbx-pat-1', fhirContext: GAD7 }).expect(302);
    const at = new URL(started.headers.location);
    const { verifier, challenge } = pkcePair();
    const redirectUri = `${t.url}/smart/callback`;
    const authorized = await request(server)
      .get('/sandbox/auth/authorize')
      .query({ response_type: 'code', client_id: BASIC_CLIENT.id, redirect_uri: redirectUri, scope: 'launch openid fhirUser patient/Patient.r', state: 's1', aud: at.searchParams.get('iss'), launch: at.searchParams.get('launch'), code_challenge: challenge, code_challenge_method: 'S256' })
      .expect(302);
    const code = new URL(authorized.headers.location).searchParams.get('code')!;
    const token = await request(server)
      .post('/sandbox/auth/token')
      .set('Authorization', basicAuth(BASIC_CLIENT.id, BASIC_CLIENT.secret))
      .type('form')
      .send({ grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: verifier })
      .expect(200);
    expect(token.body).toMatchObject({ patient: 'sbx-pat-1', fhirContext: [{ canonical: GAD7, type: 'Questionnaire' }] });
  });

  it('refuses a fhirContext the launcher cannot send: not a canonical, or a resource it does not hold', async () => {
    const server = t.app.getHttpServer();
    expect((await request(server).get('/sandbox/launch').query({ fhirContext: 'javascript:alert(1)' })).status).toBe(400);
    expect((await request(server).get('/sandbox/launch').query({ fhirContext: 'Task/no-such-task' })).status).toBe(400);
  });

  it('refuses a control character in fhirContext (a NUL that jsonb would refuse at sign-in) with 400, storing nothing', async () => {
    const server = t.app.getHttpServer();
    const before = await ds.query(`SELECT count(*)::int AS n FROM app_session`);
    for (const bad of [`${GAD7}\u0000`, `http://a/\u0000`, `Task/t1\u001f`]) {
      const res = await request(server).get('/sandbox/launch').query({ user: CLINICIAN, patient: 'Patient/sbx-pat-1', fhirContext: bad });
      expect(res.status).toBe(400);
      // A NUL is refused by the global guard on queries, other control characters by the launcher itself.
      expect(res.text).toMatch(/control characters|NUL character/);
    }
    expect(await ds.query(`SELECT count(*)::int AS n FROM app_session`)).toEqual(before);
  });

  it('opens nothing for a Task whose work is over, and says why', async () => {
    const closed: Task = { ...sdcTask('sbx-pat-1'), status: 'completed' };
    const task = await t.app.get(FhirStore).create('Task', closed);
    const b = await launch({ fhirContext: `Task/${task.resource.id}` });
    const res = await get(b, '/api/context/form');
    expect(res.status).toBe(409);
    expect(res.body.issue[0].diagnostics).toMatch(/completed.*not opened/);
  });

  it('keeps the canonical with the session: /api/context reports it and /api/context/form names the form', async () => {
    const b = await launch({ fhirContext: GAD7 });
    const context = await get(b, '/api/context');
    expect(context.status).toBe(200);
    expect(context.body).toMatchObject({ user: { role: 'clinician' }, patient: { id: 'sbx-pat-1' }, fhirContext: [{ canonical: GAD7, type: 'Questionnaire' }] });
    expect(await get(b, '/api/context/form')).toEqual({ status: 200, body: { form: { canonical: GAD7, source: 'canonical', task: null } } });
    const [stored] = await ds.query(`SELECT fhir_context FROM app_session WHERE fhir_context IS NOT NULL ORDER BY created_at DESC LIMIT 1`);
    expect(stored.fhir_context).toEqual([{ canonical: GAD7, type: 'Questionnaire' }]);
  });

  it('audits /api/context/form as a Task read only when the EHR was read', async () => {
    const reads = async () => (await ds.query(`SELECT count(*)::int AS n FROM audit_event WHERE action = 'launch-form.read'`))[0].n as number;
    const before = await reads();
    const b = await launch({ fhirContext: GAD7 });
    expect((await get(b, '/api/context/form')).status).toBe(200);
    expect(await reads()).toBe(before);
    const task = await t.app.get(FhirStore).create('Task', sdcTask('sbx-pat-1'));
    const c = await launch({ fhirContext: `Task/${task.resource.id}` });
    expect((await get(c, '/api/context/form')).status).toBe(200);
    const rows = await ds.query(`SELECT outcome, patient_id, resource_type FROM audit_event WHERE action = 'launch-form.read' ORDER BY occurred_at DESC LIMIT 1`);
    expect(rows).toEqual([{ outcome: 'success', patient_id: 'sbx-pat-1', resource_type: 'Task' }]);
    expect(await reads()).toBe(before + 1);
  });

  it('has no form without a fhirContext, and says so', async () => {
    const b = await launch({});
    expect((await get(b, '/api/context')).body.fhirContext).toBeNull();
    expect(await get(b, '/api/context/form')).toEqual({ status: 200, body: { form: null } });
  });

  it("opens the form an SDC Task for the patient in context asks for (Task.input's canonical)", async () => {
    const task = await t.app.get(FhirStore).create('Task', sdcTask('sbx-pat-1'));
    const b = await launch({ fhirContext: `Task/${task.resource.id}` });
    expect((await get(b, '/api/context')).body.fhirContext).toEqual([{ reference: `Task/${task.resource.id}`, type: 'Task' }]);
    expect(await get(b, '/api/context/form')).toEqual({ status: 200, body: { form: { canonical: GAD7, source: 'Task', task: `Task/${task.resource.id}` } } });
  });

  it("refuses a Task about another patient, and audits the refusal", async () => {
    const task = await t.app.get(FhirStore).create('Task', sdcTask('sbx-pat-2'));
    const b = await launch({ fhirContext: `Task/${task.resource.id}` });
    const res = await b.request(`${t.url}/api/context/form`);
    // The sandbox itself keeps a patient-scoped token out of another patient's Task; an EHR that lets it through
    // meets the app's own check (src/smart/launch/launch-form.service.spec.ts). Either way nothing opens.
    expect([403, 404]).toContain(res.status);
    expect(JSON.parse(res.body)).toMatchObject({ resourceType: 'OperationOutcome' });
    const rows = await ds.query(`SELECT action, outcome FROM audit_event WHERE action = 'launch-form.read' ORDER BY occurred_at DESC LIMIT 1`);
    expect(rows).toEqual([{ action: 'launch-form.read', outcome: expect.stringMatching(/^(denied|failure)$/) }]);
  });
});
