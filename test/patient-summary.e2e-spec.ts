import { DataSource } from 'typeorm';
import { createCohort, referScreenAccept } from './programs-support/course.js';
import { apiAs } from './programs-support/program-api.js';
import { as, phqAnswers, phqResponse } from './questionnaire-support/questionnaire-api.js';
import { signIn, type SignedIn } from './support/sign-in.js';
import { createTestApp, type TestApp } from './support/test-app.js';

/**
 * The clinician's note summary (issue 15): program status and attendance, latest scores with bands and the change
 * since baseline, open safety alerts — as JSON and as plain text to paste into a note; refused for a patient not in
 * context; every read audited. Synthetic patients, built through the API as a clinic would.
 */
describe("a patient's summary for the clinician's note", () => {
  let t: TestApp;
  let ds: DataSource;
  let clinician: SignedIn;
  let otherClinician: SignedIn;
  let coordinator: SignedIn;

  beforeAll(async () => {
    t = await createTestApp({ fhir: { outboxWorker: false } });
    ds = t.app.get(DataSource);
    coordinator = await signIn(t.app, { role: 'coordinator' });
    clinician = await signIn(t.app, { role: 'clinician', patientId: 'pat-s', fhirUser: 'Practitioner/clin-s' });
    otherClinician = await signIn(t.app, { role: 'clinician', patientId: 'pat-other', fhirUser: 'Practitioner/clin-o' });
    const coord = apiAs(t, coordinator);
    const referral = await referScreenAccept(coord, 'pat-s');
    const cohort = await createCohort(coord, 'Summary group', 3);
    await coord.post('/api/enrolments', { referralId: referral, cohortId: cohort.id }).expect(201);
    for (const [week, status] of [[1, 'attended'], [2, 'absent'], [3, 'attended']] as const) {
      await coord.put(`/api/sessions/${cohort.sessions[week - 1].id}/attendance`, { attendance: [{ person: 'Patient/pat-s', status }] }).expect(200);
    }
    // Baseline PHQ-9 (the due form): 2 on every item, item 9 at 1 → 17, moderately severe, and a safety alert.
    const due = await apiAs(t, clinician).get('/api/questionnaire-assignments?patient=pat-s').expect(200);
    const baseline = (due.body as { id: string; questionnaire: string; timepoint: string }[]).find((a) => a.timepoint === 'baseline' && a.questionnaire.includes('phq-9'))!;
    const first = await as(t, clinician).post(`/api/questionnaire-responses?assignment=${baseline.id}`, phqResponse('Patient/pat-s', phqAnswers(2, 1))).expect(201);
    // Three weeks earlier than now, so the change reads against an earlier date whatever the clock.
    await ds.query(`UPDATE questionnaire_score SET authored = authored - interval '21 days' WHERE response_id = $1`, [first.body.resource.id]);
    // Later, on demand: 1 on every item, item 9 at 0 → 8, mild.
    await as(t, clinician).post('/api/questionnaire-responses', phqResponse('Patient/pat-s', phqAnswers(1, 0))).expect(201);
  });
  afterAll(async () => t?.close());

  it('gives the facts as JSON by default: status, attendance, latest PHQ-9 with band and change, the open alert', async () => {
    const res = await apiAs(t, clinician).get('/api/patients/pat-s/summary').expect(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toMatchObject({
      patientId: 'pat-s',
      programs: [{ status: 'active', enrolled: true, attendance: { attended: 2, planned: 8 } }],
      scores: [{ instrument: expect.stringMatching(/PHQ-9/), latest: { value: 8, band: expect.stringMatching(/mild/i) }, baseline: { value: 17, timepoint: 'baseline' }, change: -9 }],
      openAlerts: [{ severity: expect.any(String), escalated: false }],
    });
    expect(res.body.openAlerts).toHaveLength(1);
  });

  it('gives plain text to paste into a note, without the patient named', async () => {
    const res = await apiAs(t, clinician).get('/api/patients/pat-s/summary?format=text').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    const text = res.text;
    expect(text).toMatch(/^ALS wellness program summary \(\d{4}-\d{2}-\d{2}\)\n/);
    expect(text).toMatch(/Program status:\n- .+: active \(referred \d{4}-\d{2}-\d{2}\); attended 2 of 8 planned sessions\.\n/);
    expect(text).toMatch(/- [^\n]*\(PHQ-9\): 8 \(mild[^)]*\) on \d{4}-\d{2}-\d{2}; -9 since baseline \(17, [^)]+\), better\.\n/i);
    expect(text).toMatch(/Open safety alerts: 1\n- .+ \(\w+, raised \d{4}-\d{2}-\d{2}\)\.\n$/);
    expect(text).not.toContain('pat-s');
  });

  it('lets a coordinator without a patient in context read it too', async () => {
    await apiAs(t, coordinator).get('/api/patients/pat-s/summary?format=text').expect(200);
  });

  it('refuses a clinician launched on another patient, and a role without patient work', async () => {
    const refused = await apiAs(t, otherClinician).get('/api/patients/pat-s/summary').expect(403);
    expect(refused.body.issue[0].details.coding[0].code).toBe('AUTH.PATIENT_NOT_IN_CONTEXT');
    const quality = await signIn(t.app, { role: 'quality' });
    await apiAs(t, quality).get('/api/patients/pat-s/summary').expect(403);
    await apiAs(t, clinician).get('/api/patients/pat-s/summary?format=pdf').expect(400);
  });

  it('audits every read with the patient, and every refusal', async () => {
    const res = await apiAs(t, clinician).get('/api/patients/pat-s/summary?format=text').expect(200);
    const rows = await ds.query(`SELECT action, outcome, patient_id, actor_role, resource_type, resource_id, detail FROM audit_event WHERE request_id = $1`, [res.headers['x-request-id']]);
    expect(rows).toEqual([expect.objectContaining({ action: 'patient-summary.read', outcome: 'success', patient_id: 'pat-s', actor_role: 'clinician', resource_type: 'Patient', resource_id: 'pat-s' })]);
    const refused = await apiAs(t, otherClinician).get('/api/patients/pat-s/summary').expect(403);
    const denied = await ds.query(`SELECT action, outcome, patient_id FROM audit_event WHERE request_id = $1`, [refused.headers['x-request-id']]);
    expect(denied).toEqual([{ action: 'patient-summary.read', outcome: 'denied', patient_id: 'pat-s' }]);
  });
});
