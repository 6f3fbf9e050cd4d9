import type { Task } from 'fhir/r4.js';
import type { Test } from 'supertest';
import { codeOf, CONSENT, createCohort, ELIGIBLE, MSC, refer, referScreenAccept } from './programs-support/course.js';
import { apiAs, footprint, isoDateDaysFromToday, outboxRows } from './programs-support/program-api.js';
import { r4Problems } from './programs-support/r4-rules.js';
import { signIn } from './support/sign-in.js';
import { createTestApp, type TestApp } from './support/test-app.js';

type Api = ReturnType<typeof apiAs>;

/**
 * What the programs API refuses: each answer is a 4xx OperationOutcome with its code, and the tables the
 * module writes, and the outbox, are exactly as before.
 */
describe('the programs API at its edges: refusals, roles, decisions, the catalogue, individual sessions', () => {
  let t: TestApp;
  let coordinator: Api;
  let clinicianElsewhere: Api;
  let quality: Api;
  let admin: Api;
  const id: Record<string, string> = {};
  let full: Awaited<ReturnType<typeof createCohort>>;
  let roomy: Awaited<ReturnType<typeof createCohort>>;

  beforeAll(async () => {
    t = await createTestApp({ fhir: { outboxWorker: false } });
    coordinator = apiAs(t, await signIn(t.app, { role: 'coordinator' }));
    clinicianElsewhere = apiAs(t, await signIn(t.app, { role: 'clinician', patientId: 'pat-9' }));
    quality = apiAs(t, await signIn(t.app, { role: 'quality' }));
    admin = apiAs(t, await signIn(t.app, { role: 'admin' }));
    // A cohort of 2 seats, full with a patient and their caregiver; a second cohort with room.
    full = await createCohort(coordinator, 'Full group', 4, 2);
    roomy = await createCohort(coordinator, 'Roomy group', 4);
    id.a = await referScreenAccept(coordinator, 'pat-a', ['RelatedPerson/cg-a']);
    id.enrolA = (await coordinator.post('/api/enrolments', { referralId: id.a, cohortId: full.id }).expect(201)).body.id;
    id.c = await referScreenAccept(coordinator, 'pat-c'); // accepted, but the cohort is full
    id.d = await refer(coordinator, 'pat-d'); // referred only: not screened, not accepted
    id.individual = await referScreenAccept(coordinator, 'pat-e');
  });
  afterAll(async () => t?.close());

  const refusals: [string, () => Test, number, string][] = [
    ['an unknown program', () => coordinator.post('/api/referrals', { patientId: 'pat-x', program: 'no-such-program', reason: 'x' }), 404, 'PROGRAMS.UNKNOWN_PROGRAM'],
    ['an unknown program version for a cohort', () => coordinator.post('/api/cohorts', { program: MSC, version: '9.9.9', name: 'x', startDate: '2026-05-04', sessionTime: '18:00', timeZone: 'Europe/Paris', facilitator: 'Practitioner/f' }), 404, 'PROGRAMS.UNKNOWN_PROGRAM'],
    ['a full cohort', () => coordinator.post('/api/enrolments', { referralId: id.c, cohortId: full.id }), 409, 'PROGRAMS.COHORT_FULL'],
    ['a second referral of a patient already enrolled in the program', () => coordinator.post('/api/referrals', { patientId: 'pat-a', program: MSC, reason: 'Again' }), 409, 'PROGRAMS.DUPLICATE'],
    ['a caregiver already enrolled with someone else', () => coordinator.post('/api/enrolments', { referralId: id.c, cohortId: roomy.id, caregivers: ['RelatedPerson/cg-a'] }), 409, 'PROGRAMS.ALREADY_ENROLLED'],
    ['enrolling a referral that was never screened (illegal transition)', () => coordinator.post('/api/enrolments', { referralId: id.d, cohortId: roomy.id }), 409, 'PROGRAMS.ILLEGAL_TRANSITION'],
    ['accepting before screening (illegal transition)', () => coordinator.post(`/api/referrals/${id.d}/accept`, {}), 409, 'PROGRAMS.ILLEGAL_TRANSITION'],
    ['completing an enrolment that has not started (illegal transition)', () => coordinator.post(`/api/enrolments/${id.enrolA}/complete`), 409, 'PROGRAMS.ILLEGAL_TRANSITION'],
    ['a cohort for an individual program', () => coordinator.post('/api/cohorts', { program: 'music-rhythm-therapy', name: 'x', startDate: '2026-05-04', sessionTime: '10:00', timeZone: 'Europe/Paris', facilitator: 'Practitioner/f' }), 422, 'PROGRAMS.WRONG_PROGRAM'],
    ['a screening that skips checklist items', () => coordinator.post(`/api/referrals/${id.d}/screen`, { answers: { 'als-diagnosis': true }, consent: CONSENT }), 422, 'PROGRAMS.SCREENING_INCOMPLETE'],
    ['attendance for someone not in the cohort', () => coordinator.put(`/api/sessions/${full.sessions[0].id}/attendance`, { attendance: [{ person: 'Patient/pat-a', status: 'attended' }, { person: 'Patient/stranger', status: 'attended' }] }), 422, 'PROGRAMS.NOT_A_PARTICIPANT'],
    ['attendance for a session that has not happened', () => coordinator.put(`/api/sessions/${full.sessions[7].id}/attendance`, { attendance: [{ person: 'Patient/pat-a', status: 'attended' }] }), 409, 'PROGRAMS.SESSION_NOT_STARTED'],
    ['a date in the wrong format (cohort start)', () => coordinator.post('/api/cohorts', { program: MSC, name: 'x', startDate: '04/05/2026', sessionTime: '18:00', timeZone: 'Europe/Paris', facilitator: 'Practitioner/f' }), 400, 'COMMON.VALIDATION'],
    ['a date in the wrong format (withdrawal)', () => coordinator.post(`/api/enrolments/${id.enrolA}/withdraw`, { reason: 'fatigue', date: '2026-5-4' }), 400, 'COMMON.VALIDATION'],
    ['a date that does not exist (consent)', () => coordinator.post(`/api/referrals/${id.d}/screen`, { answers: ELIGIBLE, consent: { ...CONSENT, date: '2026-02-30' } }), 400, 'COMMON.VALIDATION'],
    ['a session time without an offset', () => coordinator.patch(`/api/sessions/${roomy.sessions[7].id}`, { startsAt: '2026-05-04T18:00:00' }), 400, 'COMMON.VALIDATION'],
    ['an unknown withdrawal reason', () => coordinator.post(`/api/enrolments/${id.enrolA}/withdraw`, { reason: 'bored', date: isoDateDaysFromToday(-1) }), 400, 'COMMON.VALIDATION'],
    ['a withdrawal dated in the future', () => coordinator.post(`/api/enrolments/${id.enrolA}/withdraw`, { reason: 'fatigue', date: isoDateDaysFromToday(3) }), 400, 'COMMON.VALIDATION'],
    ['an unknown field', () => coordinator.post('/api/referrals', { patientId: 'pat-x', program: MSC, reason: 'x', role: 'admin' }), 400, 'COMMON.VALIDATION'],
    ['an unknown referral id', () => coordinator.post('/api/referrals/not-a-uuid/screen', { answers: ELIGIBLE, consent: CONSENT }), 404, 'PROGRAMS.NOT_FOUND'],
    ['a clinician referring a patient not in context', () => clinicianElsewhere.post('/api/referrals', { patientId: 'pat-a', program: MSC, reason: 'x' }), 403, 'AUTH.PATIENT_NOT_IN_CONTEXT'],
    ['a clinician enrolling a patient not in context', () => clinicianElsewhere.post('/api/enrolments', { referralId: id.c, cohortId: roomy.id }), 403, 'AUTH.PATIENT_NOT_IN_CONTEXT'],
    // Answered exactly like an unknown person, so a clinician cannot probe who is in a cohort.
    ['a clinician recording attendance for a patient not in context', () => clinicianElsewhere.put(`/api/sessions/${full.sessions[0].id}/attendance`, { attendance: [{ person: 'Patient/pat-a', status: 'attended' }] }), 422, 'PROGRAMS.NOT_A_PARTICIPANT'],
    ['a clinician screening (a coordinator’s task)', () => clinicianElsewhere.post(`/api/referrals/${id.d}/screen`, { answers: ELIGIBLE, consent: CONSENT }), 403, 'AUTH.FORBIDDEN'],
    ['a coordinator changing the catalogue', () => coordinator.post(`/api/programs/${MSC}/versions`, {}), 403, 'AUTH.FORBIDDEN'],
    ['an admin publishing a version that is not newer', () => admin.post(`/api/programs/${MSC}/versions`, { version: '1.0.0', title: 't', description: 'd', sessionCount: 8, cadenceDays: 7, sessionMinutes: 90, capacity: 12, audience: ['patient'], eligibility: [], completionRule: { minAttended: 6, requirePostQuestionnaires: true }, timepoints: [] }), 409, 'PROGRAMS.DUPLICATE'],
  ];

  it.each(refusals)('refuses %s', async (_what, send, status, code) => {
    const before = await footprint(t);
    const res = await send();
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toMatch(/application\/fhir\+json/);
    expect(codeOf(res.body)).toBe(code);
    expect(await footprint(t)).toEqual(before);
  });

  it('answers one issue per invalid field', async () => {
    const res = await coordinator.post('/api/cohorts', { program: MSC, name: '', startDate: '2026-13-01', sessionTime: '6pm', timeZone: 'Mars/Olympus', facilitator: 'Dr Who' }).expect(400);
    expect(res.body.issue.map((i: { expression?: string[] }) => i.expression?.[0]).sort()).toEqual(['facilitator', 'name', 'sessionTime', 'startDate', 'timeZone']);
  });

  it('keeps a clinician to the patient in context, and quality away from patient-level data', async () => {
    expect(codeOf((await clinicianElsewhere.get(`/api/referrals/${id.a}`).expect(403)).body)).toBe('AUTH.PATIENT_NOT_IN_CONTEXT');
    expect(codeOf((await clinicianElsewhere.get(`/api/enrolments/${id.enrolA}`).expect(403)).body)).toBe('AUTH.PATIENT_NOT_IN_CONTEXT');
    expect(codeOf((await clinicianElsewhere.get('/api/referrals?patientId=pat-a').expect(403)).body)).toBe('AUTH.PATIENT_NOT_IN_CONTEXT');
    expect((await clinicianElsewhere.get('/api/referrals').expect(200)).body).toEqual([]); // only pat-9, who has none
    for (const path of ['/api/referrals', '/api/enrolments', `/api/cohorts/${full.id}/sessions`, `/api/sessions/${full.sessions[0].id}/attendance`]) {
      expect(codeOf((await quality.get(path).expect(403)).body)).toBe('AUTH.FORBIDDEN');
    }
    // The cohort list (to filter reports) carries no participant.
    const cohorts = (await quality.get('/api/cohorts').expect(200)).body;
    expect(cohorts.length).toBeGreaterThan(0);
    expect(JSON.stringify(cohorts)).not.toMatch(/Patient\/|RelatedPerson\//);
    await quality.get('/api/programs').expect(200); // the catalogue is not patient data
  });

  it('enrols into an individual program and books its sessions one by one', async () => {
    const e = await coordinator.post('/api/enrolments', { referralId: await referIndividual(), facilitator: 'Practitioner/music-1' }).expect(201);
    expect(e.body).toMatchObject({ status: 'enrolled', cohortId: null, facilitator: 'Practitioner/music-1', program: { slug: 'music-rhythm-therapy' } });
    const s = await coordinator.post(`/api/enrolments/${e.body.id}/sessions`, { startsAt: '2026-06-01T10:00:00+02:00', timeZone: 'Europe/Paris' }).expect(201);
    expect(s.body).toMatchObject({ sequence: 1, startsAt: '2026-06-01T10:00:00+02:00', endsAt: '2026-06-01T10:45:00+02:00', status: 'booked' });
    const moved = await coordinator.patch(`/api/sessions/${s.body.id}`, { startsAt: '2026-06-02T11:00:00+02:00' }).expect(200);
    expect(moved.body.startsAt).toBe('2026-06-02T11:00:00+02:00');
    await coordinator.patch(`/api/sessions/${s.body.id}`, { status: 'cancelled', cancelReason: 'Therapist ill' }).expect(200);
    expect(codeOf((await coordinator.patch(`/api/sessions/${s.body.id}`, { startsAt: '2026-06-03T11:00:00+02:00' }).expect(409)).body)).toBe('PROGRAMS.SESSION_CLOSED');
  });

  it('declines a referral, and lets a patient withdraw before enrolment (Task rejected / cancelled)', async () => {
    const declined = await refer(coordinator, 'pat-g');
    expect((await coordinator.post(`/api/referrals/${declined}/decline`, { reason: 'Prefers individual support' }).expect(200)).body.status).toBe('declined');
    const left = await referScreenAccept(coordinator, 'pat-h');
    expect((await coordinator.post(`/api/referrals/${left}/withdraw`, { reason: 'lost-interest' }).expect(200)).body.status).toBe('withdrawn');
    const tasks = (await outboxRows(t)).filter((r) => ['Patient/pat-g', 'Patient/pat-h'].includes(r.patient_key)).map((r) => r.bundle.entry![1].resource as Task);
    expect(tasks.map((x) => `${x.for!.reference}:${x.status}`)).toEqual(['Patient/pat-g:requested', 'Patient/pat-g:rejected', 'Patient/pat-h:requested', 'Patient/pat-h:received', 'Patient/pat-h:accepted', 'Patient/pat-h:cancelled']);
    expect(tasks[5].statusReason!.coding![0]).toMatchObject({ code: 'lost-interest' });
    // Once enrolled, leaving goes through the enrolment (which also revokes the CarePlan).
    expect(codeOf((await coordinator.post(`/api/referrals/${id.a}/withdraw`, { reason: 'fatigue' }).expect(409)).body)).toBe('PROGRAMS.ILLEGAL_TRANSITION');
  });

  it('lets an admin add a program, shown as a PlanDefinition, and refuses a second one with the same slug', async () => {
    const body = { slug: 'breathing-group', kind: 'group-course', version: '1.0.0', title: 'Breathing and relaxation group', description: 'Four weekly online sessions.', sessionCount: 4, cadenceDays: 7, sessionMinutes: 30, capacity: 8, audience: ['patient', 'caregiver'], eligibility: [{ id: 'als-diagnosis', text: 'Lives with ALS' }], completionRule: { minAttended: 3, requirePostQuestionnaires: false }, timepoints: [{ code: 'baseline', instruments: ['https://als-wellness.example.org/fhir/Questionnaire/who-5'], dueFromDays: -7, dueToDays: 0 }] };
    const created = await admin.post('/api/programs', body).expect(201);
    expect(created.body).toMatchObject({ slug: 'breathing-group', kind: 'group-course', current: { version: '1.0.0', canonical: 'https://als-wellness.example.org/fhir/PlanDefinition/breathing-group|1.0.0' } });
    expect(r4Problems((await quality.get('/api/programs/breathing-group/fhir').expect(200)).body)).toEqual([]);
    expect(codeOf((await admin.post('/api/programs', body).expect(409)).body)).toBe('PROGRAMS.DUPLICATE');
    expect(codeOf((await admin.post('/api/programs', { ...body, slug: 'x', completionRule: { minAttended: 5, requirePostQuestionnaires: false } }).expect(400)).body)).toBe('COMMON.VALIDATION');
  });

  async function referIndividual(): Promise<string> {
    const r = await coordinator.post('/api/referrals', { patientId: 'pat-f', program: 'music-rhythm-therapy', reason: 'Rhythm work for dysarthria', priority: 'routine' }).expect(201);
    await coordinator.post(`/api/referrals/${r.body.id}/screen`, { answers: { 'als-diagnosis': true, 'therapist-assessment': true, hearing: true }, consent: CONSENT }).expect(200);
    await coordinator.post(`/api/referrals/${r.body.id}/accept`, {}).expect(200);
    return r.body.id;
  }

  // PGlite runs one transaction at a time: racing requests need real PostgreSQL.
  (process.env.DATABASE_URL ? it : it.skip)('holds capacity and one-enrolment-per-person under concurrent requests (real PostgreSQL)', async () => {
    const small = await createCohort(coordinator, 'Race group', 2, 3);
    // Two patients bring the same caregiver (2 seats each); three come alone. All race for 3 seats.
    const pairs = await Promise.all(['r1', 'r2'].map((p) => referScreenAccept(coordinator, `pat-${p}`, ['RelatedPerson/cg-race'])));
    const singles = await Promise.all(['r3', 'r4', 'r5'].map((p) => referScreenAccept(coordinator, `pat-${p}`)));
    const results = await Promise.all([...pairs, ...singles].map((referralId) => coordinator.post('/api/enrolments', { referralId, cohortId: small.id })));
    expect(results.every((r) => [201, 409].includes(r.status))).toBe(true);
    const won: number[] = results.map((r, i) => (r.status === 201 ? (i < 2 ? 2 : 1) : 0));
    expect(won[0] && won[1]).toBe(0); // the shared caregiver holds one enrolment at most
    const seats = won.reduce((a, b) => a + b, 0);
    expect(seats).toBeLessThanOrEqual(3);
    expect(seats).toBeGreaterThanOrEqual(2);
    expect((await coordinator.get(`/api/cohorts/${small.id}`).expect(200)).body.seatsTaken).toBe(seats);
  });
});
