import type { OperationOutcome, Parameters, QuestionnaireResponse } from 'fhir/r4.js';
import { DataSource } from 'typeorm';
import { sandboxIssuer } from '../src/sandbox/sandbox-registration.js';
import { TestBrowser } from './support/browser.js';
import { signIn } from './support/sign-in.js';
import { createTestApp, type TestApp } from './support/test-app.js';
import { as } from './questionnaire-support/questionnaire-api.js';
import { CARER_URL, carerIntake } from './questionnaire-support/sdc-forms.js';

const CANONICAL = `${CARER_URL}|1.0`;
const answerOf = (qr: QuestionnaireResponse, linkId: string) => qr.item?.find((i) => i.linkId === linkId)?.answer;

/**
 * SDC pre-population against the sandbox EHR, over real HTTP with the tokens of real launches: a clinic's imported
 * Questionnaire whose initialExpressions read the patient, the signed-in user and the encounter of the launch is
 * pre-filled on the server; the person changes what is wrong before the draft is saved and submitted.
 */
describe('pre-population from the EHR (SDC initialExpression and launchContext)', () => {
  let t: TestApp;

  async function json(b: TestBrowser, method: string, path: string, body?: unknown) {
    const csrf = JSON.parse((await b.request(`${t.url}/api/context`)).body).csrfToken as string;
    const res = await b.request(`${t.url}${path}`, { method, headers: { 'Content-Type': 'application/fhir+json', 'X-CSRF-Token': csrf }, ...(body ? { body: JSON.stringify(body) } : {}) });
    return { status: res.status, body: JSON.parse(res.body) };
  }
  const populate = (b: TestBrowser, query: string) => json(b, 'POST', `/api/questionnaires/${encodeURIComponent(CANONICAL)}/$populate${query}`);
  const parts = (p: Parameters) => ({
    response: p.parameter!.find((x) => x.name === 'response')!.resource as QuestionnaireResponse,
    issues: (p.parameter!.find((x) => x.name === 'issues')!.resource as OperationOutcome).issue.map((i) => i.diagnostics ?? ''),
  });

  /** A caregiver's standalone launch through the sandbox's sign-in page, on the patient their RelatedPerson names. */
  async function caregiver(): Promise<TestBrowser> {
    const b = new TestBrowser();
    const launch = await b.request(`${t.url}/smart/launch?iss=${encodeURIComponent(sandboxIssuer(t.url))}&workflow=caregiver`);
    const page = await b.request(launch.location!);
    const rid = /name="request_id" value="([^"]+)"/.exec(page.body)![1];
    const form = new URLSearchParams({ request_id: rid, user: 'RelatedPerson/sbx-rp-1', patient: 'Patient/sbx-pat-1', decision: 'approve' });
    const approved = await b.request(`${t.url}/sandbox/auth/approve`, { method: 'POST', body: form, headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
    expect((await b.request(approved.location!)).status).toBe(303);
    return b;
  }

  beforeAll(async () => {
    t = await createTestApp({ listen: true, fhir: { outboxWorker: false } });
    const admin = await signIn(t.app, { role: 'admin', issuer: sandboxIssuer(t.url) });
    await as(t, admin).post('/api/questionnaires', carerIntake).expect(201);
  });
  afterAll(async () => t?.close());

  it("pre-fills a caregiver's own form from the patient's record and their RelatedPerson; they change it and submit", async () => {
    const b = await caregiver();
    const res = await populate(b, '?subject=RelatedPerson/sbx-rp-1');
    expect(res.status).toBe(200);
    const { response, issues } = parts(res.body);
    expect(response).toMatchObject({ resourceType: 'QuestionnaireResponse', status: 'in-progress', questionnaire: CANONICAL, subject: { reference: 'RelatedPerson/sbx-rp-1' } });
    expect(response.id).toBeUndefined();
    expect(answerOf(response, 'pt-birth')).toEqual([{ valueDate: '1968-04-12' }]);
    expect(answerOf(response, 'pt-sex')).toEqual([{ valueCoding: { system: 'http://hl7.org/fhir/administrative-gender', code: 'female', display: 'Female' } }]);
    expect(answerOf(response, 'relationship')).toEqual([{ valueCoding: { system: 'http://terminology.hl7.org/CodeSystem/v3-RoleCode', code: 'SPS', display: 'Spouse or partner' } }]);
    // A standalone launch has no encounter: that item stays empty, and the answer says why.
    expect(answerOf(response, 'visit')).toBeUndefined();
    expect(issues).toContain('No encounter in this launch');
    // Nothing is stored by asking.
    expect((await t.app.get(DataSource).query(`SELECT count(*)::int AS n FROM questionnaire_response`))[0].n).toBe(0);

    // The caregiver corrects the relationship, adds what only they know, and submits.
    const friend = carerIntake.item![2].answerOption![2].valueCoding!;
    const items = response.item!.map((i) => (i.linkId === 'relationship' ? { ...i, answer: [{ valueCoding: friend }] } : i));
    const draft = await json(b, 'POST', '/api/questionnaire-responses', { ...response, item: items });
    expect(draft.status).toBe(201);
    const done = await json(b, 'PUT', `/api/questionnaire-responses/${draft.body.resource.id}`, {
      ...draft.body.resource, status: 'completed', item: [...items, { linkId: 'hours', answer: [{ valueInteger: 20 }] }],
    });
    expect(done.status).toBe(200);
    expect(answerOf(done.body.resource, 'relationship')).toEqual([{ valueCoding: friend }]);
    expect(answerOf(done.body.resource, 'pt-birth')).toEqual([{ valueDate: '1968-04-12' }]);
  });

  it("pre-fills the clinician's form with the launch's encounter, audits the read, and refuses another patient", async () => {
    const b = new TestBrowser();
    await b.navigate(`${t.url}/sandbox/launch?user=${encodeURIComponent('Practitioner/sbx-prac-1')}&patient=${encodeURIComponent('Patient/sbx-pat-1')}&encounter=sbx-enc-1`, (u) => u.startsWith(`${t.url}/app/`));
    const res = await populate(b, '');
    expect(res.status).toBe(200);
    const { response } = parts(res.body);
    expect(response.subject).toMatchObject({ reference: 'Patient/sbx-pat-1' });
    expect(parts(res.body).issues).toEqual(['Pre-filled 3 item(s)']);
    expect(answerOf(response, 'visit')).toEqual([{ valueReference: { reference: 'Encounter/sbx-enc-1' } }]);
    expect(answerOf(response, 'pt-birth')).toEqual([{ valueDate: '1968-04-12' }]);
    // The user is a Practitioner: no relationship to fill.
    expect(answerOf(response, 'relationship')).toBeUndefined();
    const rows = await t.app.get(DataSource).query(`SELECT actor, patient_id, outcome FROM audit_event WHERE action = 'questionnaire.populate' ORDER BY occurred_at`);
    expect(rows).toEqual(expect.arrayContaining([{ actor: 'Practitioner/sbx-prac-1', patient_id: 'sbx-pat-1', outcome: 'success' }]));

    const other = await populate(b, '?subject=Patient/sbx-pat-2');
    expect(other.status).toBe(403);
    expect(other.body.resourceType).toBe('OperationOutcome');
    expect((await populate(b, '?subject=Patient/sbx-pat-1&unknown=1')).status).toBe(400);
  });

  it("stops an imported form's runaway initialExpression: that item is not pre-filled, with an issue, and the service keeps answering", async () => {
    const admin = await signIn(t.app, { role: 'admin', issuer: sandboxIssuer(t.url) });
    const values = Array.from({ length: 15 }, (_, i) => `'v${i}'`).join(' | ');
    // Nothing with %patient empty (as import checks it); three times more values per step over a real patient.
    const runaway = `(%patient.id | ${values}).aggregate($total.combine($total).combine($total), %patient.id)`;
    const form = {
      ...carerIntake, url: 'https://clinic.example.org/fhir/Questionnaire/runaway', version: '1',
      item: [...carerIntake.item!, { linkId: 'boom', text: 'Boom', type: 'string', repeats: true, extension: [{ url: carerIntake.item![0].extension![0].url, valueExpression: { language: 'text/fhirpath', expression: runaway } }] }],
    };
    await as(t, admin).post('/api/questionnaires', { questionnaire: form }).expect(201);
    const b = new TestBrowser();
    await b.navigate(`${t.url}/sandbox/launch?user=${encodeURIComponent('Practitioner/sbx-prac-1')}&patient=${encodeURIComponent('Patient/sbx-pat-1')}&encounter=sbx-enc-1`, (u) => u.startsWith(`${t.url}/app/`));
    const res = await json(b, 'POST', `/api/questionnaires/${encodeURIComponent(`${form.url}|1`)}/$populate`);
    expect(res.status).toBe(200);
    const { response, issues } = parts(res.body);
    expect(response).toMatchObject({ resourceType: 'QuestionnaireResponse', status: 'in-progress' });
    expect(answerOf(response, 'boom')).toBeUndefined();
    expect(issues.some((i) => /not pre-filled/.test(i))).toBe(true);
    const outcome = res.body.parameter.find((x: { name: string }) => x.name === 'issues').resource as OperationOutcome;
    expect(outcome.issue.map((i) => i.expression?.[0])).toContain("QuestionnaireResponse.item.where(linkId='boom')");
    // The service, and a fresh worker, answer the next form as before.
    const again = await populate(b, '');
    expect(again.status).toBe(200);
    expect(parts(again.body).issues).toEqual(['Pre-filled 3 item(s)']);
  });
});
