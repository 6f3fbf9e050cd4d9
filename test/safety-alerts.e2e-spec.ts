import type { Communication, Task } from 'fhir/r4.js';
import { DataSource } from 'typeorm';
import { loadSafetyConfig, safetyConfig } from '../src/config/safety.config.js';
import { r4SchemaErrors } from './support/fhir-r4-schema.js';
import { signIn, type SignedIn } from './support/sign-in.js';
import { createTestApp, type TestApp } from './support/test-app.js';
import { assignmentOf, enrol, type Enrolled } from './questionnaire-support/enrolment.js';
import { as, outboxBundles, phqAnswers, phqResponse, resourcesOf } from './questionnaire-support/questionnaire-api.js';

/** The clinic's own crisis text (SAFETY_CRISIS_MESSAGE): what a person answering alone sees at once. */
const CRISIS = 'If you might act on these thoughts, call the clinic line 0000 000 000 or your local emergency number now. Your care team has been notified.';

interface Alert {
  id: string;
  subject: string;
  aboutCaregiver: boolean;
  answerMode: string;
  message: string;
  status: string;
  notYetSubmitted: boolean;
  raisedOnDraft: boolean;
  level: number | null;
  responsible: string | null;
}

/**
 * The clinic's safety rules for PHQ-9 item 9 (issue 11): an alert names the person it is about; a proxy's answers
 * say so; a draft raises it once; a worse amendment after a follow-up raises a new one; a follow-up needs an
 * action and a note; whoever answers alone gets the clinic's crisis information in the save's answer.
 */
describe('safety alerts that reach the right person', () => {
  let t: TestApp;
  let ds: DataSource;
  let patient: SignedIn;
  let caregiver: SignedIn;
  let clinician: SignedIn;
  let enrolled: Enrolled;

  const alertsOf = async (responseId: string): Promise<{ id: string; status: string; raised_on_draft: boolean; response_submitted_at: Date | null }[]> =>
    ds.query(`SELECT id, status, raised_on_draft, response_submitted_at FROM safety_alert WHERE response_id = $1 ORDER BY raised_at`, [responseId]);

  beforeAll(async () => {
    t = await createTestApp({
      fhir: { outboxWorker: false },
      overrides: [{ provide: safetyConfig.KEY, useValue: { ...loadSafetyConfig({}), crisisMessage: CRISIS, escalationWorker: false } }],
    });
    ds = t.app.get(DataSource);
    patient = await signIn(t.app, { role: 'patient', patientId: 'pat-1' });
    caregiver = await signIn(t.app, { role: 'caregiver', patientId: 'pat-1', fhirUser: 'RelatedPerson/rp-1' });
    clinician = await signIn(t.app, { role: 'clinician', patientId: 'pat-1', fhirUser: 'Practitioner/clin-1' });
    enrolled = await enrol(t, { registrationId: patient.registrationId, patientId: 'pat-1', caregivers: ['rp-1'], responsible: 'Practitioner/clin-1' });
  });
  afterAll(async () => t?.close());

  it("keeps a caregiver's own item 9 about the caregiver: alert, EHR Task and Communication name the RelatedPerson, never the patient", async () => {
    const res = await as(t, caregiver)
      .post(`/api/questionnaire-responses?assignment=${assignmentOf(enrolled, 'RelatedPerson/rp-1', 'phq-9')}`, phqResponse('RelatedPerson/rp-1', phqAnswers(1, 1)))
      .expect(201);
    const [alert] = res.body.alerts as Alert[];
    expect(alert).toMatchObject({ subject: 'RelatedPerson/rp-1', aboutCaregiver: true, responsible: 'Practitioner/clin-1' });
    expect(alert.message).toContain('About the caregiver (their own form), not the patient.');

    const [bundle] = await outboxBundles(t, 'safety-alert.raised', alert.id);
    expect(r4SchemaErrors(bundle)).toEqual([]);
    const [task] = resourcesOf<Task>(bundle, 'Task');
    const [comm] = resourcesOf<Communication>(bundle, 'Communication');
    expect(task.for).toEqual({ reference: 'RelatedPerson/rp-1', type: 'RelatedPerson' });
    expect(comm.subject).toBeUndefined();
    expect(comm.about).toContainEqual({ reference: 'RelatedPerson/rp-1', type: 'RelatedPerson' });
    expect(comm.recipient).toEqual([{ reference: 'Practitioner/clin-1', type: 'Practitioner' }]);
    expect(comm.payload![0].contentString).toMatch(/^Caregiver's own form \(about the caregiver, not the patient\): PHQ-9 item 9 answered > 0/);
    expect(JSON.stringify(bundle)).not.toContain('Patient/pat-1');

    // The clinician sees it beside the patient, marked as the caregiver's.
    const listed = (await as(t, clinician).get('/api/alerts?status=open').expect(200)).body as Alert[];
    expect(listed.find((a) => a.id === alert.id)).toMatchObject({ subject: 'RelatedPerson/rp-1', aboutCaregiver: true });
  });

  it('says in the alert when the answers are a proxy report', async () => {
    const res = await as(t, caregiver).post('/api/questionnaire-responses?mode=proxy', phqResponse('Patient/pat-1', phqAnswers(1, 2))).expect(201);
    const [alert] = res.body.alerts as Alert[];
    expect(alert).toMatchObject({ subject: 'Patient/pat-1', aboutCaregiver: false, answerMode: 'proxy' });
    expect(alert.message).toContain("Proxy report by a caregiver: their judgement, not the patient's own answer.");
    const [bundle] = await outboxBundles(t, 'safety-alert.raised', alert.id);
    expect(resourcesOf<Task>(bundle, 'Task')[0].description).toContain("(proxy report by a caregiver: their judgement, not the patient's own answer)");
    expect(resourcesOf<Task>(bundle, 'Task')[0].for).toEqual({ reference: 'Patient/pat-1', type: 'Patient' });
  });

  it('raises the alert from a saved draft (marked not yet submitted) and not again when the draft is saved or submitted', async () => {
    const first = await as(t, patient).post('/api/questionnaire-responses', phqResponse('Patient/pat-1', { 'phq9-1': 1, 'phq9-9': 2 }, 'in-progress')).expect(201);
    const id = first.body.resource.id as string;
    const [alert] = first.body.alerts as Alert[];
    expect(alert).toMatchObject({ status: 'open', raisedOnDraft: true, notYetSubmitted: true, level: 2 });
    expect(alert.message).toContain('From a saved draft: not yet submitted.');
    const [raised, ...more] = await outboxBundles(t, 'safety-alert.raised', alert.id);
    expect(more).toEqual([]);
    expect(resourcesOf<Task>(raised, 'Task')[0].description).toContain('in a saved draft (not yet submitted)');
    expect(await outboxBundles(t, 'questionnaire-response.completed', id)).toEqual([]); // the draft itself is never written back

    const again = await as(t, patient).put(`/api/questionnaire-responses/${id}`, phqResponse('Patient/pat-1', { 'phq9-1': 1, 'phq9-2': 1, 'phq9-9': 2 }, 'in-progress'), 'W/"1"').expect(200);
    expect((again.body.alerts as Alert[]).map((a) => a.id)).toEqual([alert.id]);
    const submitted = await as(t, patient).put(`/api/questionnaire-responses/${id}`, phqResponse('Patient/pat-1', phqAnswers(1, 2)), 'W/"2"').expect(200);
    expect(submitted.body.alerts).toEqual([expect.objectContaining({ id: alert.id, notYetSubmitted: false, raisedOnDraft: true })]);
    expect((await alertsOf(id)).map((a) => a.id)).toEqual([alert.id]);
    expect(await outboxBundles(t, 'safety-alert.raised', id)).toHaveLength(1);
  });

  it('raises nothing from a draft whose item 9 is "Not at all" or unanswered', async () => {
    const res = await as(t, patient).post('/api/questionnaire-responses', phqResponse('Patient/pat-1', { 'phq9-1': 3, 'phq9-9': 0 }, 'in-progress')).expect(201);
    expect(res.body).toMatchObject({ alerts: [], safetyMessage: null });
    expect(await alertsOf(res.body.resource.id)).toEqual([]);
  });

  it('needs an explicit action and a note to follow up (400 OperationOutcome otherwise), and nothing changes until both are given', async () => {
    const saved = await as(t, clinician).post('/api/questionnaire-responses', phqResponse('Patient/pat-1', phqAnswers(0, 1))).expect(201);
    const id = (saved.body.alerts as Alert[])[0].id;
    const followUp = (body: object) => as(t, clinician).post(`/api/alerts/${id}/follow-up`, body);
    for (const body of [{ action: 'risk-assessed' }, { action: 'risk-assessed', note: '   ' }, { note: 'Called her.' }, {}, { action: 'something', note: 'Called her.' }]) {
      const res = await followUp(body).expect(400);
      expect(res.body.resourceType).toBe('OperationOutcome');
      expect(res.body.issue[0].details.coding[0].code).toBe('COMMON.VALIDATION');
    }
    const noNote = await followUp({ action: 'risk-assessed' }).expect(400);
    expect(noNote.body.issue.map((i: { expression?: string[] }) => i.expression?.[0])).toEqual(['note']);
    const noAction = await followUp({ note: 'Called her.' }).expect(400);
    expect(noAction.body.issue.map((i: { expression?: string[] }) => i.expression?.[0])).toEqual(['action']);
    const [row] = await ds.query(`SELECT status FROM safety_alert WHERE id = $1`, [id]);
    expect(row.status).toBe('open');
    expect(await outboxBundles(t, 'safety-alert.followed-up', id)).toEqual([]);

    const done = await followUp({ action: 'risk-assessed', note: 'Called her; passive thoughts, no plan; safety plan reviewed.' }).expect(200);
    expect(done.body).toMatchObject({ status: 'followed-up', followUpAction: 'risk-assessed', followUpNote: 'Called her; passive thoughts, no plan; safety plan reviewed.' });
  });

  it('raises a new alert when an amendment after the follow-up makes item 9 worse, and none when it does not', async () => {
    const first = await as(t, clinician).post('/api/questionnaire-responses', phqResponse('Patient/pat-1', phqAnswers(1, 1))).expect(201);
    const id = first.body.resource.id as string;
    const [a1] = first.body.alerts as Alert[];
    await as(t, clinician).post(`/api/alerts/${a1.id}/follow-up`, { action: 'safety-plan-updated', note: 'Safety plan reviewed with her.' }).expect(200);

    const same = await as(t, clinician).put(`/api/questionnaire-responses/${id}`, phqResponse('Patient/pat-1', phqAnswers(2, 1), 'amended'), 'W/"1"').expect(200);
    expect(same.body.alerts).toEqual([]);
    const worse = await as(t, clinician).put(`/api/questionnaire-responses/${id}`, phqResponse('Patient/pat-1', phqAnswers(2, 3), 'amended'), 'W/"2"').expect(200);
    const [a2] = worse.body.alerts as Alert[];
    expect(a2).toMatchObject({ status: 'open', level: 3, raisedOnDraft: false });
    expect(a2.id).not.toBe(a1.id);
    expect(await outboxBundles(t, 'safety-alert.raised', a2.id)).toHaveLength(1);
    // Still open: a further amendment is covered by it, however it reads.
    const later = await as(t, clinician).put(`/api/questionnaire-responses/${id}`, phqResponse('Patient/pat-1', phqAnswers(1, 2), 'amended'), 'W/"3"').expect(200);
    expect((later.body.alerts as Alert[]).map((a) => a.id)).toEqual([a2.id]);
    expect((await alertsOf(id)).map((a) => [a.id, a.status])).toEqual([[a1.id, 'followed-up'], [a2.id, 'open']]);
  });

  it("answers the clinic's crisis information at once to a patient or caregiver who endorses item 9, on every save", async () => {
    const draft = await as(t, patient).post('/api/questionnaire-responses', phqResponse('Patient/pat-1', { 'phq9-9': 1 }, 'in-progress')).expect(201);
    expect(draft.body.safetyMessage).toBe(CRISIS);
    const submitted = await as(t, patient).put(`/api/questionnaire-responses/${draft.body.resource.id}`, phqResponse('Patient/pat-1', phqAnswers(0, 1)), 'W/"1"').expect(200);
    expect(submitted.body.safetyMessage).toBe(CRISIS);
    const entered = await as(t, caregiver).post('/api/questionnaire-responses', phqResponse('Patient/pat-1', phqAnswers(0, 3), 'in-progress')).expect(201);
    expect(entered.body.safetyMessage).toBe(CRISIS);
    const own = await as(t, caregiver).post('/api/questionnaire-responses', phqResponse('RelatedPerson/rp-1', phqAnswers(0, 2))).expect(201);
    expect(own.body.safetyMessage).toBe(CRISIS);
    const staff = await as(t, clinician).post('/api/questionnaire-responses', phqResponse('Patient/pat-1', phqAnswers(0, 1), 'in-progress')).expect(201);
    expect(staff.body.safetyMessage).toBe(CRISIS);
    const none = await as(t, patient).post('/api/questionnaire-responses', phqResponse('Patient/pat-1', phqAnswers(2, 0))).expect(201);
    expect(none.body.safetyMessage).toBeNull();
  });

  it('answers the crisis information again while the alert an earlier draft raised is open, even once item 9 is changed', async () => {
    const draft = await as(t, patient).post('/api/questionnaire-responses', phqResponse('Patient/pat-1', { 'phq9-9': 2 }, 'in-progress')).expect(201);
    expect(draft.body.safetyMessage).toBe(CRISIS);
    // Resumed later (perhaps elsewhere), item 9 changed to "Not at all": the draft's alert is still open.
    const changed = await as(t, patient).put(`/api/questionnaire-responses/${draft.body.resource.id}`, phqResponse('Patient/pat-1', { 'phq9-9': 0 }, 'in-progress'), 'W/"1"').expect(200);
    expect(changed.body.alerts).toEqual([expect.objectContaining({ ruleId: draft.body.alerts[0].ruleId, status: 'open' })]);
    expect(changed.body.safetyMessage).toBe(CRISIS);
    const submitted = await as(t, patient).put(`/api/questionnaire-responses/${draft.body.resource.id}`, phqResponse('Patient/pat-1', phqAnswers(0, 0)), 'W/"2"').expect(200);
    expect(submitted.body.safetyMessage).toBe(CRISIS);
  });
});
