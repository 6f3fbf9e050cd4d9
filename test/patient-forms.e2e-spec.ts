import { DataSource } from 'typeorm';
import { questionnaireUrl } from '../src/questionnaires/engine/codes.js';
import { WHO5_ITEM_IDS, who5 } from '../src/questionnaires/engine/instruments/who5.js';
import { buildResponse } from '../src/questionnaires/engine/response-builder.js';
import { addDays, todayUtc } from '../src/questionnaires/timepoints/due-window.js';
import { TimepointsService } from '../src/questionnaires/timepoints/timepoints.service.js';
import { signIn, type SignedIn } from './support/sign-in.js';
import { createTestApp, type TestApp } from './support/test-app.js';
import { assignmentOf, enrol, type Enrolled } from './questionnaire-support/enrolment.js';
import { as, phqAnswers, phqResponse, rowCounts } from './questionnaire-support/questionnaire-api.js';

interface Due {
  id: string;
  questionnaire: string;
  timepoint: string;
  availability: string;
  overdue: boolean;
  status: string;
  dueFrom: string;
}

const Q = questionnaireUrl;
const WHO5 = `${who5.questionnaire.url}|${who5.questionnaire.version}`;
const who5Response = (subject: string, status: 'in-progress' | 'completed', count = WHO5_ITEM_IDS.length) =>
  buildResponse(who5, Object.fromEntries(WHO5_ITEM_IDS.slice(0, count).map((id) => [id, 3])), { status, subject: { reference: subject } });

/**
 * A tired patient's own list of forms: what can be answered today comes first (overdue ones marked), forms whose
 * window has not opened are listed apart and cannot be started or saved (409, nothing stored), and a form once
 * done leaves the open part of the list. Nobody spends effort on a form that would be refused at submit.
 */
describe("a patient's own forms: open first, not yet open apart and refused", () => {
  let t: TestApp;
  let ds: DataSource;
  let patient: SignedIn;
  let enrolled: Enrolled;
  const today = todayUtc();

  beforeAll(async () => {
    t = await createTestApp({ fhir: { outboxWorker: false } });
    ds = t.app.get(DataSource);
    patient = await signIn(t.app, { role: 'patient', patientId: 'pat-5', fhirUser: 'Patient/pat-5' });
    enrolled = await enrol(t, {
      registrationId: patient.registrationId,
      patientId: 'pat-5',
      cohortStart: today,
      timepoints: [
        { timepoint: 'post', questionnaires: [Q('program-satisfaction')], dueFromDays: 30, dueUntilDays: 44 },
        { timepoint: 'follow-up', questionnaires: [Q('phq-9')], dueFromDays: 90, dueUntilDays: 104 },
        { timepoint: 'baseline', questionnaires: [Q('who-5')], dueFromDays: -3, dueUntilDays: 60 }, // open, and closes after the post window
        { timepoint: 'mid', questionnaires: [Q('gad-7')], dueFromDays: -20, dueUntilDays: -6 },
      ],
    });
  });
  afterAll(async () => t?.close());

  const list = async (): Promise<Due[]> => (await as(t, patient).get('/api/questionnaire-assignments').expect(200)).body;
  const slugOf = (d: Due) => d.questionnaire.split('|')[0].split('/').pop();

  it('lists what is open now first (overdue first, marked), then what is not open yet, opening soonest first', async () => {
    const due = await list();
    expect(due.map((d) => [slugOf(d), d.availability, d.overdue])).toEqual([
      ['gad-7', 'open', true],
      ['who-5', 'open', false],
      ['program-satisfaction', 'not-yet-open', false],
      ['phq-9', 'not-yet-open', false],
    ]);
    expect(due[2].dueFrom).toBe(addDays(today, 30));
  });

  it('answers one due form by id, with the same flags, and only to whom it belongs', async () => {
    const id = assignmentOf(enrolled, 'Patient/pat-5', 'program-satisfaction', 'post');
    expect((await as(t, patient).get(`/api/questionnaire-assignments/${id}`).expect(200)).body).toMatchObject({ id, availability: 'not-yet-open', overdue: false });
    const someoneElse = await signIn(t.app, { role: 'patient', patientId: 'pat-6', fhirUser: 'Patient/pat-6' });
    await as(t, someoneElse).get(`/api/questionnaire-assignments/${id}`).expect(404);
    await as(t, patient).get('/api/questionnaire-assignments/not-an-id').expect(400);
  });

  it('refuses to start a form that is not open yet, as a draft or as a submission, and stores nothing', async () => {
    const early = assignmentOf(enrolled, 'Patient/pat-5', 'phq-9', 'follow-up');
    const before = await rowCounts(t);
    for (const status of ['in-progress', 'completed'] as const) {
      const res = await as(t, patient).post(`/api/questionnaire-responses?assignment=${early}`, phqResponse('Patient/pat-5', phqAnswers(0), status));
      expect(res.status).toBe(409);
      expect(res.body.resourceType).toBe('OperationOutcome');
      expect(res.body.issue[0].details.coding[0].code).toBe('QUESTIONNAIRES.ASSIGNMENT_UNAVAILABLE');
      expect(res.body.issue[0].diagnostics).toBe(`This form opens on ${addDays(today, 90)}; it cannot be started or saved before then.`);
    }
    expect(await rowCounts(t)).toEqual(before);
    const [row] = await ds.query(`SELECT a.status, (SELECT r.id FROM questionnaire_response r WHERE r.assignment_id = a.id AND r.status <> 'entered-in-error') AS response_id FROM questionnaire_assignment a WHERE a.id = $1`, [early]);
    expect(row).toEqual({ status: 'due', response_id: null });
  });

  it('takes an open form saved for later, then finished; done, it leaves the open part of the list', async () => {
    const open = assignmentOf(enrolled, 'Patient/pat-5', 'who-5', 'baseline');
    const draft = await as(t, patient).post(`/api/questionnaire-responses?assignment=${open}`, who5Response('Patient/pat-5', 'in-progress', 2)).expect(201);
    expect((await list()).find((d) => d.id === open)).toMatchObject({ status: 'in-progress', availability: 'open' });
    const done = who5Response('Patient/pat-5', 'completed');
    await as(t, patient).put(`/api/questionnaire-responses/${draft.body.resource.id}`, { ...done, id: draft.body.resource.id }, draft.headers.etag).expect(200);
    const after = await list();
    expect(after.map((d) => [slugOf(d), d.availability])).toEqual([
      ['gad-7', 'open'],
      ['program-satisfaction', 'not-yet-open'],
      ['phq-9', 'not-yet-open'],
      ['who-5', 'closed'],
    ]);
    expect(after[3].status).toBe('completed');
    expect((await ds.query(`SELECT questionnaire FROM questionnaire_response WHERE assignment_id = $1`, [open]))[0].questionnaire).toBe(WHO5);
  });

  it('refuses to go on saving a draft whose form was cancelled meanwhile (the enrolment ended)', async () => {
    const late = assignmentOf(enrolled, 'Patient/pat-5', 'gad-7', 'mid');
    const gad7 = { resourceType: 'QuestionnaireResponse', questionnaire: `${Q('gad-7')}|1.0.0`, status: 'in-progress', subject: { reference: 'Patient/pat-5' }, item: [] };
    const draft = await as(t, patient).post(`/api/questionnaire-responses?assignment=${late}`, gad7).expect(201);
    await ds.transaction((m) => t.app.get(TimepointsService).cancelForEnrolment(m, { registrationId: patient.registrationId, enrolmentId: enrolled.enrolmentId }));
    const res = await as(t, patient).put(`/api/questionnaire-responses/${draft.body.resource.id}`, { ...gad7, id: draft.body.resource.id }, draft.headers.etag);
    expect(res.status).toBe(409);
    expect(res.body.issue[0].diagnostics).toBe('This form is cancelled.');
    expect((await list()).every((d) => d.availability === 'closed')).toBe(true);
  });
});
