import type { Task } from 'fhir/r4.js';
import { DataSource } from 'typeorm';
import { questionnaireUrl } from '../src/questionnaires/engine/codes.js';
import { PostQuestionnaireCompletion } from '../src/questionnaires/timepoints/post-questionnaire-completion.js';
import { addDays, todayUtc } from '../src/questionnaires/timepoints/due-window.js';
import { TimepointsService } from '../src/questionnaires/timepoints/timepoints.service.js';
import { r4SchemaErrors } from './support/fhir-r4-schema.js';
import { signIn, type SignedIn } from './support/sign-in.js';
import { createTestApp, type TestApp } from './support/test-app.js';
import { assignmentOf, enrol, type Enrolled } from './questionnaire-support/enrolment.js';
import { as, outboxBundles, phqAnswers, phqResponse, resourcesOf } from './questionnaire-support/questionnaire-api.js';

describe('due forms from a program’s timepoints', () => {
  let t: TestApp;
  let ds: DataSource;
  let coordinator: SignedIn;
  let patient: SignedIn;
  let enrolled: Enrolled;
  const start = addDays(todayUtc(), -20); // the baseline window closed 20 days ago; the post window is ahead

  beforeAll(async () => {
    t = await createTestApp({ fhir: { outboxWorker: false } });
    ds = t.app.get(DataSource);
    coordinator = await signIn(t.app, { role: 'coordinator' });
    patient = await signIn(t.app, { role: 'patient', patientId: 'pat-7' });
    enrolled = await enrol(t, { registrationId: coordinator.registrationId, patientId: 'pat-7', caregivers: ['rp-7'], responsible: 'Practitioner/clin-7', cohortStart: start });
  });
  afterAll(async () => t?.close());

  it('gives each participant every form of every timepoint, pinned to a version, within its window, as SDC Tasks', async () => {
    expect(enrolled.created).toHaveLength(18); // (4 baseline + 5 post) × patient and caregiver
    const rows = await ds.query(`SELECT questionnaire, due_from::text, due_until::text FROM questionnaire_assignment WHERE enrolment_id = $1 AND timepoint = 'baseline' LIMIT 1`, [enrolled.enrolmentId]);
    expect(rows[0]).toMatchObject({ due_from: addDays(start, -14), due_until: start });
    expect(rows[0].questionnaire).toMatch(/\|1\.0\.0$/);
    const [bundle, ...more] = await outboxBundles(t, 'questionnaire-task.scheduled', enrolled.enrolmentId);
    expect(more).toEqual([]);
    expect(r4SchemaErrors(bundle)).toEqual([]);
    const tasks = resourcesOf<Task>(bundle, 'Task');
    expect(tasks).toHaveLength(18);
    expect(new Set(tasks.map((x) => x.owner!.reference))).toEqual(new Set(['Patient/pat-7', 'RelatedPerson/rp-7']));
    expect(tasks.every((x) => x.status === 'requested' && x.for!.reference === 'Patient/pat-7')).toBe(true);
  });

  it('schedules nothing twice, and refuses a program that names an unknown questionnaire', async () => {
    const service = t.app.get(TimepointsService);
    const input = {
      enrolmentId: enrolled.enrolmentId, registrationId: coordinator.registrationId, patientId: 'pat-7', caregivers: [{ relatedPersonId: 'rp-7' }],
      programTimepoints: [{ timepoint: 'baseline' as const, questionnaires: [questionnaireUrl('phq-9')], dueFromDays: -14, dueUntilDays: 0 }], cohortStart: start,
    };
    expect((await ds.transaction((m) => service.scheduleForEnrolment(m, input))).created).toEqual([]);
    const unknown = { ...input, programTimepoints: [{ ...input.programTimepoints[0], questionnaires: [questionnaireUrl('hads')] }] };
    await expect(ds.transaction((m) => service.scheduleForEnrolment(m, unknown))).rejects.toMatchObject({ code: 'QUESTIONNAIRES.UNKNOWN_QUESTIONNAIRE' });
  });

  it('shows coordinators due and overdue forms per cohort, and participants only their own', async () => {
    const byCohort = await as(t, coordinator).get(`/api/questionnaire-assignments?cohort=${enrolled.cohortId}`).expect(200);
    expect(byCohort.body).toHaveLength(18);
    const overdue = await as(t, coordinator).get(`/api/questionnaire-assignments?cohort=${enrolled.cohortId}&status=overdue`).expect(200);
    expect(overdue.body).toHaveLength(8);
    expect(overdue.body.every((a: { overdue: boolean; timepoint: string }) => a.overdue && a.timepoint === 'baseline')).toBe(true);
    const own = await as(t, patient).get('/api/questionnaire-assignments').expect(200);
    expect(own.body).toHaveLength(9);
    expect(own.body.every((a: { subject: string }) => a.subject === 'Patient/pat-7')).toBe(true);
    const caregiver = await signIn(t.app, { role: 'caregiver', patientId: 'pat-7', fhirUser: 'RelatedPerson/rp-7' });
    expect((await as(t, caregiver).get('/api/questionnaire-assignments').expect(200)).body).toHaveLength(18);
    await as(t, patient).get('/api/questionnaire-assignments?patient=pat-8').expect(403);
    await as(t, coordinator).get('/api/questionnaire-assignments?status=late').expect(400);
  });

  it('moves the Task to in-progress when a draft starts, and counts post forms for programme completion', async () => {
    const done = t.app.get(PostQuestionnaireCompletion);
    const q = { registrationId: coordinator.registrationId, enrolmentId: enrolled.enrolmentId, patientId: 'pat-7' };
    const late = assignmentOf(enrolled, 'Patient/pat-7', 'phq-9');
    const draft = await as(t, patient).post(`/api/questionnaire-responses?assignment=${late}`, phqResponse('Patient/pat-7', { 'phq9-1': 1 }, 'in-progress')).expect(201);
    const [task] = (await outboxBundles(t, 'questionnaire-task.in-progress', late)).map((b) => resourcesOf<Task>(b, 'Task')[0]);
    expect(task.status).toBe('in-progress');
    const [row] = await ds.query(`SELECT a.status, (SELECT r.id FROM questionnaire_response r WHERE r.assignment_id = a.id AND r.status <> 'entered-in-error') AS response_id FROM questionnaire_assignment a WHERE a.id = $1`, [late]);
    expect(row).toEqual({ status: 'in-progress', response_id: draft.body.resource.id });
    await as(t, patient).post(`/api/questionnaire-responses?assignment=${late}`, phqResponse('Patient/pat-7', phqAnswers(0))).expect(409);
    const early = await as(t, patient).post(`/api/questionnaire-responses?assignment=${assignmentOf(enrolled, 'Patient/pat-7', 'phq-9', 'post')}`, phqResponse('Patient/pat-7', phqAnswers(0)));
    expect(early.status).toBe(409);
    expect(early.body.issue[0].diagnostics).toMatch(/opens on/);
    expect(await done.postQuestionnairesDone(q)).toBe(false);
    await ds.query(`UPDATE questionnaire_assignment SET status = 'completed' WHERE enrolment_id = $1 AND timepoint = 'post' AND subject_type = 'Patient'`, [enrolled.enrolmentId]);
    expect(await done.postQuestionnairesDone(q)).toBe(true);
  });

  it('refuses to let a clinician answer another patient\'s due form, and leaves it open', async () => {
    const elsewhere = await signIn(t.app, { role: 'clinician', patientId: 'pat-other' });
    const caregiverForm = assignmentOf(enrolled, 'RelatedPerson/rp-7', 'phq-9');
    const res = await as(t, elsewhere).post(`/api/questionnaire-responses?assignment=${caregiverForm}`, phqResponse('RelatedPerson/rp-7', phqAnswers(0)));
    expect(res.status).toBe(403);
    expect(res.body.issue[0].details.coding[0].code).toBe('AUTH.PATIENT_NOT_IN_CONTEXT');
    const [row] = await ds.query(`SELECT a.status, (SELECT r.id FROM questionnaire_response r WHERE r.assignment_id = a.id AND r.status <> 'entered-in-error') AS response_id FROM questionnaire_assignment a WHERE a.id = $1`, [caregiverForm]);
    expect(row).toEqual({ status: 'due', response_id: null });
  });

  it('cancels the open forms (and their Tasks) when the enrolment ends', async () => {
    const n = await ds.transaction((m) => t.app.get(TimepointsService).cancelForEnrolment(m, { registrationId: coordinator.registrationId, enrolmentId: enrolled.enrolmentId, actor: 'Practitioner/coordinator-1' }));
    expect(n).toBe(13); // 18 minus the patient's 5 post forms marked completed above (the baseline draft is cancelled too)
    const [bundle] = await outboxBundles(t, 'questionnaire-task.cancelled', enrolled.enrolmentId);
    const tasks = resourcesOf<Task>(bundle, 'Task');
    expect(tasks.every((x) => x.status === 'cancelled')).toBe(true);
    expect(bundle.entry![0].request!.method).toBe('PUT');
  });
});
