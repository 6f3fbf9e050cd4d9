import type { Communication, Observation, Provenance, QuestionnaireResponse, Task } from 'fhir/r4.js';
import { DataSource } from 'typeorm';
import { r4SchemaErrors } from './support/fhir-r4-schema.js';
import { signIn, type SignedIn } from './support/sign-in.js';
import { createTestApp, type TestApp } from './support/test-app.js';
import { assignmentOf, enrol, type Enrolled } from './questionnaire-support/enrolment.js';
import { as, auditActions, outboxBundles, PHQ9, phqAnswers, phqResponse, resourcesOf } from './questionnaire-support/questionnaire-api.js';

/**
 * A caregiver types their wife's PHQ-9 at home, through the due form the program scheduled. Item 9 is
 * answered above 0: the answers go to the EHR once (QR + score Observation + Provenance), the clinician gets
 * an urgent Task and Communication, sees the alert at once, and closes it with a follow-up.
 */
describe('a PHQ-9 with item 9 > 0, entered by a caregiver', () => {
  let t: TestApp;
  let caregiver: SignedIn;
  let clinician: SignedIn;
  let enrolled: Enrolled;
  let saved: { resource: QuestionnaireResponse; version: number; scores: { linkId: string; value: number; band: { code: string } }[]; alerts: { id: string; ruleId: string; status: string; responsible: string }[] };

  beforeAll(async () => {
    t = await createTestApp({ fhir: { outboxWorker: false } });
    caregiver = await signIn(t.app, { role: 'caregiver', patientId: 'pat-1', fhirUser: 'RelatedPerson/rp-1' });
    clinician = await signIn(t.app, { role: 'clinician', patientId: 'pat-1', fhirUser: 'Practitioner/clin-1' });
    enrolled = await enrol(t, { registrationId: caregiver.registrationId, patientId: 'pat-1', caregivers: ['rp-1'], responsible: 'Practitioner/clin-1' });
    const body = phqResponse('Patient/pat-1', { ...phqAnswers(1, 2), 'phq9-10': { code: 'difficulty-very' } });
    body.item!.push({ linkId: 'phq9-total', answer: [{ valueInteger: 0 }] }); // a client-sent score: ignored
    const res = await as(t, caregiver).post(`/api/questionnaire-responses?assignment=${assignmentOf(enrolled, 'Patient/pat-1', 'phq-9')}`, body);
    expect(res.status).toBe(201);
    expect(res.headers.etag).toBe('W/"1"');
    expect(res.headers.location).toBe(`/api/questionnaire-responses/${res.body.resource.id}`);
    saved = res.body;
  });
  afterAll(async () => t?.close());

  it('keeps who typed and whose answers they are, and scores on the server', () => {
    expect(saved.resource).toMatchObject({ status: 'completed', questionnaire: PHQ9, author: { reference: 'RelatedPerson/rp-1' }, source: { reference: 'Patient/pat-1' }, subject: { reference: 'Patient/pat-1' } });
    expect(saved.resource.extension).toEqual([expect.objectContaining({ valueCode: 'caregiver-entered' })]);
    expect(saved.scores).toEqual([expect.objectContaining({ linkId: 'phq9-total', value: 10, band: expect.objectContaining({ code: 'phq9-moderate' }) })]);
    const total = saved.resource.item!.find((i) => i.linkId === 'phq9-total');
    expect(total!.answer).toEqual([{ valueInteger: 10 }]);
  });

  it('writes the response to the outbox once: QuestionnaireResponse, the total Observation, the closed Task, a Provenance', async () => {
    const [bundle, ...more] = await outboxBundles(t, 'questionnaire-response.completed', saved.resource.id);
    expect(more).toEqual([]);
    expect(r4SchemaErrors(bundle)).toEqual([]);
    expect(bundle.entry!.map((e) => e.resource!.resourceType)).toEqual(['QuestionnaireResponse', 'Observation', 'Task', 'Provenance']);
    const [qr] = resourcesOf<QuestionnaireResponse>(bundle, 'QuestionnaireResponse');
    expect(qr).toMatchObject({ author: { reference: 'RelatedPerson/rp-1' }, source: { reference: 'Patient/pat-1' }, questionnaire: PHQ9 });
    const [obs] = resourcesOf<Observation>(bundle, 'Observation');
    expect(obs).toMatchObject({ status: 'final', valueInteger: 10, code: { coding: [expect.objectContaining({ system: 'http://loinc.org', code: '44261-6' })] } });
    expect(obs.interpretation![0].coding![0].code).toBe('phq9-moderate');
    expect(resourcesOf<Task>(bundle, 'Task')[0]).toMatchObject({ status: 'completed', owner: { reference: 'Patient/pat-1' } });
    expect(resourcesOf<Provenance>(bundle, 'Provenance')[0].agent[0]).toMatchObject({ who: { reference: 'RelatedPerson/rp-1' }, onBehalfOf: { reference: 'Patient/pat-1' } });
  });

  it('stores the score for reports and closes the due form', async () => {
    const ds = t.app.get(DataSource);
    const [score] = await ds.query(`SELECT value::float8 AS value, band_code, answer_mode, timepoint, enrolment_id, instrument_url FROM questionnaire_score WHERE response_id = $1`, [saved.resource.id]);
    expect(score).toMatchObject({ value: 10, band_code: 'phq9-moderate', answer_mode: 'caregiver-entered', timepoint: 'baseline', enrolment_id: enrolled.enrolmentId });
    const [a] = await ds.query(`SELECT a.status, (SELECT r.id FROM questionnaire_response r WHERE r.assignment_id = a.id AND r.status <> 'entered-in-error') AS response_id FROM questionnaire_assignment a WHERE a.id = $1`, [assignmentOf(enrolled, 'Patient/pat-1', 'phq-9')]);
    expect(a).toEqual({ status: 'completed', response_id: saved.resource.id });
    const again = await as(t, caregiver).post(`/api/questionnaire-responses?assignment=${assignmentOf(enrolled, 'Patient/pat-1', 'phq-9')}`, phqResponse('Patient/pat-1', phqAnswers(0)));
    expect(again.status).toBe(409);
  });

  it('stores the response↔assignment link once, on the response, and the due form still names its response', async () => {
    const ds = t.app.get(DataSource);
    const links = await ds.query(
      `SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema()
         AND ((table_name = 'questionnaire_assignment' AND column_name = 'response_id') OR (table_name = 'questionnaire_response' AND column_name = 'assignment_id'))`,
    );
    expect(links).toEqual([{ table_name: 'questionnaire_response', column_name: 'assignment_id' }]);
    const form = await as(t, clinician).get(`/api/questionnaire-assignments/${assignmentOf(enrolled, 'Patient/pat-1', 'phq-9')}`).expect(200);
    expect(form.body).toMatchObject({ status: 'completed', responseId: saved.resource.id });
  });

  it('raises a safety alert at once: in the answer, the clinician’s list, the EHR (urgent Task + Communication) and the audit log', async () => {
    expect(saved.alerts).toEqual([expect.objectContaining({ ruleId: 'self-harm-risk', status: 'open', responsible: 'Practitioner/clin-1' })]);
    const listed = await as(t, clinician).get('/api/alerts?status=open').expect(200);
    expect(listed.body.map((a: { id: string }) => a.id)).toContain(saved.alerts[0].id);
    const [bundle] = await outboxBundles(t, 'safety-alert.raised', saved.alerts[0].id);
    expect(r4SchemaErrors(bundle)).toEqual([]);
    const [task] = resourcesOf<Task>(bundle, 'Task');
    expect(task).toMatchObject({ status: 'requested', priority: 'urgent', for: { reference: 'Patient/pat-1' }, owner: { reference: 'Practitioner/clin-1' } });
    const [comm] = resourcesOf<Communication>(bundle, 'Communication');
    expect(comm).toMatchObject({ priority: 'urgent', subject: { reference: 'Patient/pat-1' }, recipient: [{ reference: 'Practitioner/clin-1' }] });
    // The caregiver typed the patient's answers: the alert says so.
    expect(comm.payload![0].contentString).toMatch(/^PHQ-9 item 9 answered > 0 on \d{4}-\d{2}-\d{2} \(answers entered by a caregiver on the patient's behalf\)\./);
    expect(await auditActions(t, saved.resource.id!)).toContain('questionnaire-response.submit');
    expect(await auditActions(t, saved.alerts[0].id)).toEqual(['safety-alert.raise']);
  });

  it('stays open until a clinician records follow-up, which completes the EHR Task', async () => {
    const id = saved.alerts[0].id;
    await as(t, caregiver).post(`/api/alerts/${id}/follow-up`, { action: 'risk-assessed', note: 'x' }).expect(403);
    const done = await as(t, clinician).post(`/api/alerts/${id}/follow-up`, { action: 'risk-assessed', note: 'Called; no plan or intent; safety plan reviewed.' }).expect(200);
    expect(done.body).toMatchObject({ status: 'followed-up', followedUpBy: 'Practitioner/clin-1', followUpAction: 'risk-assessed' });
    await as(t, clinician).post(`/api/alerts/${id}/follow-up`, { action: 'risk-assessed', note: 'Again.' }).expect(409);
    const [bundle] = await outboxBundles(t, 'safety-alert.followed-up', id);
    expect(resourcesOf<Task>(bundle, 'Task')[0]).toMatchObject({ status: 'completed', priority: 'urgent' });
    expect(bundle.entry![0].request!.method).toBe('PUT');
    expect(await auditActions(t, id)).toEqual(['safety-alert.raise', 'safety-alert.follow-up']);
    expect((await as(t, clinician).get('/api/alerts?status=open').expect(200)).body).toEqual([]);
  });
});
