import type { Communication, Task } from 'fhir/r4.js';
import { DataSource } from 'typeorm';
import { loadSafetyConfig, safetyConfig } from '../src/config/safety.config.js';
import { questionnaireUrl } from '../src/questionnaires/engine/codes.js';
import { AlertEscalationWorker } from '../src/questionnaires/safety/alert-escalation.worker.js';
import { r4SchemaErrors } from './support/fhir-r4-schema.js';
import { signIn, type SignedIn } from './support/sign-in.js';
import { createTestApp, type TestApp } from './support/test-app.js';
import { createCohort, ELIGIBLE, CONSENT, MSC } from './programs-support/course.js';
import { apiAs } from './programs-support/program-api.js';
import { as, auditActions, outboxBundles, phqAnswers, phqResponse, resourcesOf } from './questionnaire-support/questionnaire-api.js';

const MINUTE = 60_000;

interface Alert {
  id: string;
  subject: string;
  status: string;
  raisedAt: string;
  escalated: boolean;
  escalatedAt: string | null;
  escalatedTo: string | null;
}

/**
 * An urgent alert nobody followed up within the clinic's time (SAFETY_ESCALATE_AFTER_MINUTES, 60 here) goes to the
 * program's lead clinician: a second EHR Task and Communication through the outbox, on the coordinator's list.
 * The job runs by hand with the test's own clock: no sleeping, nothing timed.
 */
describe('escalation of safety alerts left open', () => {
  let t: TestApp;
  let ds: DataSource;
  let worker: AlertEscalationWorker;
  let admin: SignedIn;
  let coordinator: SignedIn;
  let clinician: SignedIn;
  let otherClinician: SignedIn;
  let patient: SignedIn;
  let caregiver: SignedIn;

  const after = (alert: Alert, minutes: number) => new Date(new Date(alert.raisedAt).getTime() + minutes * MINUTE);
  const dueForm = async (subject: string): Promise<string> => {
    const [row] = await ds.query(
      `SELECT id FROM questionnaire_assignment WHERE patient_id = 'pat-1' AND subject_type || '/' || subject_id = $1 AND questionnaire_url = $2 AND timepoint = 'baseline'`,
      [subject, questionnaireUrl('phq-9')],
    );
    return row.id as string;
  };

  beforeAll(async () => {
    t = await createTestApp({
      fhir: { outboxWorker: false },
      overrides: [{ provide: safetyConfig.KEY, useValue: { ...loadSafetyConfig({}), escalateAfterMinutes: 60, escalationWorker: false } }],
    });
    ds = t.app.get(DataSource);
    worker = t.app.get(AlertEscalationWorker);
    admin = await signIn(t.app, { role: 'admin', fhirUser: 'Practitioner/admin-1' });
    coordinator = await signIn(t.app, { role: 'coordinator', fhirUser: 'Practitioner/coord-1' });
    clinician = await signIn(t.app, { role: 'clinician', patientId: 'pat-1', fhirUser: 'Practitioner/clin-1' });
    otherClinician = await signIn(t.app, { role: 'clinician', patientId: 'pat-2', fhirUser: 'Practitioner/clin-2' });
    patient = await signIn(t.app, { role: 'patient', patientId: 'pat-1' });
    caregiver = await signIn(t.app, { role: 'caregiver', patientId: 'pat-1', fhirUser: 'RelatedPerson/rp-1' });

    // The clinic's day: the clinician refers Avery with her husband, the coordinator screens, accepts and enrols.
    const coord = apiAs(t, coordinator);
    const referral = await apiAs(t, clinician).post('/api/referrals', { patientId: 'pat-1', program: MSC, caregivers: ['RelatedPerson/rp-1'], reason: 'Low mood since diagnosis' }).expect(201);
    await coord.post(`/api/referrals/${referral.body.id}/screen`, { answers: ELIGIBLE, consent: CONSENT }).expect(200);
    await coord.post(`/api/referrals/${referral.body.id}/accept`, { reason: 'Eligible' }).expect(200);
    const cohort = await createCohort(coord, 'Spring group', 0);
    await coord.post('/api/enrolments', { referralId: referral.body.id, cohortId: cohort.id }).expect(201);
  });
  afterAll(async () => t?.close());

  it("lets an admin name each program's lead clinician for this clinic; coordinators can see who it is", async () => {
    await apiAs(t, admin).put(`/api/alerts/lead-clinicians/${MSC}`, { practitioner: 'Patient/pat-1' }).expect(400);
    await apiAs(t, admin).put('/api/alerts/lead-clinicians/no-such-program', { practitioner: 'Practitioner/lead-1' }).expect(404);
    await apiAs(t, clinician).put(`/api/alerts/lead-clinicians/${MSC}`, { practitioner: 'Practitioner/clin-1' }).expect(403);
    const set = await apiAs(t, admin).put(`/api/alerts/lead-clinicians/${MSC}`, { practitioner: 'Practitioner/lead-1' }).expect(200);
    expect(set.body).toMatchObject({ program: { slug: MSC }, practitioner: 'Practitioner/lead-1', updatedBy: 'Practitioner/admin-1' });
    const listed = (await apiAs(t, coordinator).get('/api/alerts/lead-clinicians').expect(200)).body as { program: { slug: string }; practitioner: string | null }[];
    expect(listed.find((l) => l.program.slug === MSC)?.practitioner).toBe('Practitioner/lead-1');
    expect(listed.filter((l) => l.program.slug !== MSC).every((l) => l.practitioner === null)).toBe(true);
    expect(await auditActions(t, set.body.program.id)).toContain('program.lead-clinician');
  });

  it("escalates an alert left open past the clinic's time, once, to the program's lead clinician, and closes both Tasks at follow-up", async () => {
    const saved = await as(t, patient).post(`/api/questionnaire-responses?assignment=${await dueForm('Patient/pat-1')}`, phqResponse('Patient/pat-1', phqAnswers(1, 2))).expect(201);
    const [alert] = saved.body.alerts as Alert[];

    expect(await worker.runOnce(after(alert, 59))).toEqual([]);
    expect(await outboxBundles(t, 'safety-alert.escalated', alert.id)).toEqual([]);

    const escalated = await worker.runOnce(after(alert, 61));
    expect(escalated.map((a) => a.id)).toContain(alert.id);
    expect(escalated.find((a) => a.id === alert.id)).toMatchObject({ escalated: true, escalatedTo: 'Practitioner/lead-1', status: 'open' });
    const [bundle, ...more] = await outboxBundles(t, 'safety-alert.escalated', alert.id);
    expect(more).toEqual([]);
    expect(r4SchemaErrors(bundle)).toEqual([]);
    const [task] = resourcesOf<Task>(bundle, 'Task');
    expect(task).toMatchObject({ status: 'requested', priority: 'asap', for: { reference: 'Patient/pat-1' }, owner: { reference: 'Practitioner/lead-1' } });
    expect(task.code!.coding![0].code).toBe('safety-alert-escalation');
    expect(task.basedOn![0]).toMatchObject({ type: 'Task', identifier: { value: alert.id } });
    const [comm] = resourcesOf<Communication>(bundle, 'Communication');
    expect(comm).toMatchObject({ priority: 'asap', recipient: [{ reference: 'Practitioner/lead-1' }], subject: { reference: 'Patient/pat-1' } });
    expect(await auditActions(t, alert.id)).toEqual(['safety-alert.raise', 'safety-alert.escalate']);

    // Once only, however late the job runs again.
    expect((await worker.runOnce(after(alert, 600))).map((a) => a.id)).not.toContain(alert.id);
    expect(await outboxBundles(t, 'safety-alert.escalated', alert.id)).toHaveLength(1);

    // On the coordinator's list of escalated alerts.
    const list = (await apiAs(t, coordinator).get('/api/alerts?escalated=true&status=open').expect(200)).body as Alert[];
    expect(list.find((a) => a.id === alert.id)).toMatchObject({ escalatedTo: 'Practitioner/lead-1', escalatedAt: after(alert, 61).toISOString() });
    expect((await apiAs(t, coordinator).get('/api/alerts?escalated=false').expect(200)).body.map((a: Alert) => a.id)).not.toContain(alert.id);

    await as(t, clinician).post(`/api/alerts/${alert.id}/follow-up`, { action: 'risk-assessed', note: 'Reached her by phone; no intent; plan reviewed.' }).expect(200);
    const [closing] = await outboxBundles(t, 'safety-alert.followed-up', alert.id);
    expect(resourcesOf<Task>(closing, 'Task').map((x) => [x.code!.coding![0].code, x.status])).toEqual([['safety-alert-review', 'completed'], ['safety-alert-escalation', 'completed']]);
    expect((await apiAs(t, coordinator).get('/api/alerts?escalated=true&status=open').expect(200)).body.map((a: Alert) => a.id)).not.toContain(alert.id);
  });

  it("escalates a caregiver's own alert about the caregiver, never the patient", async () => {
    const saved = await as(t, caregiver).post(`/api/questionnaire-responses?assignment=${await dueForm('RelatedPerson/rp-1')}`, phqResponse('RelatedPerson/rp-1', phqAnswers(0, 1))).expect(201);
    const [alert] = saved.body.alerts as Alert[];
    expect((await worker.runOnce(after(alert, 61))).map((a) => a.id)).toContain(alert.id);
    const [bundle] = await outboxBundles(t, 'safety-alert.escalated', alert.id);
    const [task] = resourcesOf<Task>(bundle, 'Task');
    expect(task).toMatchObject({ for: { reference: 'RelatedPerson/rp-1' }, owner: { reference: 'Practitioner/lead-1' } });
    expect(resourcesOf<Communication>(bundle, 'Communication')[0].subject).toBeUndefined();
    expect(JSON.stringify(bundle)).not.toContain('Patient/pat-1');
  });

  it("never escalates a followed-up alert; without a known lead clinician the escalation waits in the EHR's work queue", async () => {
    const open = (await as(t, otherClinician).post('/api/questionnaire-responses', phqResponse('Patient/pat-2', phqAnswers(0, 1))).expect(201)).body.alerts[0] as Alert;
    const closed = (await as(t, otherClinician).post('/api/questionnaire-responses', phqResponse('Patient/pat-2', phqAnswers(0, 3))).expect(201)).body.alerts[0] as Alert;
    await as(t, otherClinician).post(`/api/alerts/${closed.id}/follow-up`, { action: 'emergency-services-called', note: 'Ambulance called; with her until it came.' }).expect(200);

    const ids = (await worker.runOnce(after(closed, 61))).map((a) => a.id);
    expect(ids).toContain(open.id);
    expect(ids).not.toContain(closed.id);
    const [bundle] = await outboxBundles(t, 'safety-alert.escalated', open.id);
    expect(bundle.entry!.map((e) => e.resource!.resourceType)).toEqual(['Task', 'Provenance']);
    expect(resourcesOf<Task>(bundle, 'Task')[0].owner).toBeUndefined();
    const [row] = await ds.query(`SELECT escalated_at, escalated_to FROM safety_alert WHERE id = $1`, [open.id]);
    expect(row.escalated_at).not.toBeNull();
    expect(row.escalated_to).toBeNull();
    expect(await outboxBundles(t, 'safety-alert.escalated', closed.id)).toEqual([]);
  });

  it('escalates each alert exactly once when several instances run the job at the same moment', async () => {
    const raised: Alert[] = [];
    for (const item9 of [1, 2, 3]) raised.push((await as(t, otherClinician).post('/api/questionnaire-responses', phqResponse('Patient/pat-2', phqAnswers(0, item9))).expect(201)).body.alerts[0]);
    const now = after(raised[2], 61);
    const runs = await Promise.all([worker.runOnce(now), worker.runOnce(now), worker.runOnce(now)]);
    const claimed = runs.flat().map((a) => a.id);
    expect(new Set(claimed).size).toBe(claimed.length);
    expect(claimed).toEqual(expect.arrayContaining(raised.map((a) => a.id)));
    for (const a of raised) expect(await outboxBundles(t, 'safety-alert.escalated', a.id)).toHaveLength(1);
  });
});
