import type { Task } from 'fhir/r4.js';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { questionnaireUrl } from '../src/questionnaires/engine/codes.js';
import { codeOf, CONSENT, createCohort, ELIGIBLE, refer, referScreenAccept } from './programs-support/course.js';
import { apiAs, isoDateDaysFromToday } from './programs-support/program-api.js';
import { as, outboxBundles, phqAnswers, phqResponse, resourcesOf } from './questionnaire-support/questionnaire-api.js';
import { signIn, type SignedIn } from './support/sign-in.js';
import { RowLockRace } from './support/row-lock-race.js';
import { createTestApp, type TestApp } from './support/test-app.js';

type Api = ReturnType<typeof apiAs>;

/**
 * Two people acting on one patient at the same moment, and the same request sent twice (a double click, a retry).
 * Races need real PostgreSQL (PGlite runs one transaction at a time, so nothing races there); each is made
 * deterministic without sleeps (test/support/row-lock-race.ts).
 */
const onPostgres = process.env.DATABASE_URL ? it : it.skip;

describe('programs under concurrent and repeated requests', () => {
  let t: TestApp;
  let ds: DataSource;
  let coordinator: Api;
  let raw: pg.Client;

  beforeAll(async () => {
    t = await createTestApp({ fhir: { outboxWorker: false } });
    ds = t.app.get(DataSource);
    coordinator = apiAs(t, await signIn(t.app, { role: 'coordinator' }));
    if (!process.env.DATABASE_URL) return;
    raw = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await raw.connect();
    await raw.query(`SET search_path TO ${t.db.schema}`);
  });
  afterAll(async () => {
    await raw?.end();
    await t?.close();
  });

  const oneAfterTheOther = <A, B>(lock: [string, unknown[]], waiting: RegExp, first: () => PromiseLike<A>, second: () => PromiseLike<B>) =>
    new RowLockRace(ds, raw).oneAfterTheOther(lock, waiting, first, second);

  onPostgres('a withdrawal that races the patient submitting a due form leaves that form completed (its Task is not cancelled after)', async () => {
    const patientId = 'pat-race-1';
    const cohort = await createCohort(coordinator, 'Race: withdraw vs submit', 3);
    const referralId = await referScreenAccept(coordinator, patientId);
    const enrolment = (await coordinator.post('/api/enrolments', { referralId, cohortId: cohort.id }).expect(201)).body as { id: string };
    const [{ id: form }] = await ds.query(
      `SELECT id FROM questionnaire_assignment WHERE enrolment_id = $1 AND subject_type = 'Patient' AND timepoint = 'baseline' AND questionnaire_url = $2`,
      [enrolment.id, questionnaireUrl('phq-9')],
    );
    const patient: SignedIn = await signIn(t.app, { role: 'patient', patientId });
    // The submission queues on the form's row first; the withdrawal (which has by then read the open forms) behind it.
    const [s, w] = await oneAfterTheOther(
      [`SELECT id FROM questionnaire_assignment WHERE id = $1 FOR UPDATE`, [form]],
      /questionnaire_?assignment/i,
      () => as(t, patient).post(`/api/questionnaire-responses?assignment=${form}`, phqResponse(`Patient/${patientId}`, phqAnswers(1, 0))),
      () => coordinator.post(`/api/enrolments/${enrolment.id}/withdraw`, { reason: 'fatigue', date: isoDateDaysFromToday(0) }),
    );

    expect([s.status, w.status]).toEqual([201, 200]);
    const [row] = await ds.query(`SELECT status FROM questionnaire_assignment WHERE id = $1`, [form]);
    expect(row.status).toBe('completed');
    // The EHR's Task for that form: completed in the response's Bundle, and no cancellation of it afterwards.
    const cancelled = (await outboxBundles(t, 'questionnaire-task.cancelled', enrolment.id)).flatMap((b) => resourcesOf<Task>(b, 'Task'));
    expect(cancelled.length).toBeGreaterThan(0); // the patient's other open forms are cancelled
    const formTask = (task: Task) => task.identifier?.some((i) => i.value === form) ?? false;
    expect(cancelled.filter(formTask)).toEqual([]);
    // Every other open form of the enrolment was cancelled.
    const open = await ds.query(`SELECT count(*)::int AS n FROM questionnaire_assignment WHERE enrolment_id = $1 AND status IN ('due', 'in-progress')`, [enrolment.id]);
    expect(open[0].n).toBe(0);
  });
  it('books an individual session once when the booking is sent twice at the same moment (double click)', async () => {
    const r = await coordinator.post('/api/referrals', { patientId: 'pat-race-2', program: 'music-rhythm-therapy', reason: 'Rhythm work for dysarthria', priority: 'routine' }).expect(201);
    await coordinator.post(`/api/referrals/${r.body.id}/screen`, { answers: { 'als-diagnosis': true, 'therapist-assessment': true, hearing: true }, consent: CONSENT }).expect(200);
    await coordinator.post(`/api/referrals/${r.body.id}/accept`, {}).expect(200);
    const e = (await coordinator.post('/api/enrolments', { referralId: r.body.id, facilitator: 'Practitioner/music-1' }).expect(201)).body as { id: string };
    const booking = { startsAt: '2026-06-01T10:00:00+02:00', timeZone: 'Europe/Paris' };

    const twice = await Promise.all([1, 2].map(() => coordinator.post(`/api/enrolments/${e.id}/sessions`, booking)));

    expect(twice.map((x) => x.status).sort()).toEqual([201, 409]);
    const refused = twice.find((x) => x.status === 409)!;
    expect(codeOf(refused.body)).toBe('PROGRAMS.DUPLICATE');
    expect(refused.body.issue[0].diagnostics).toContain(twice.find((x) => x.status === 201)!.body.id);
    const sessions = await ds.query(`SELECT id FROM program_session WHERE enrolment_id = $1`, [e.id]);
    expect(sessions).toHaveLength(1);
    expect(await ds.query(`SELECT id FROM outbox_entry WHERE kind = 'session.booked' AND bundle::text LIKE '%' || $1 || '%'`, [sessions[0].id])).toHaveLength(1);
    // Another hour, or the same one once that session is cancelled, is booked as before.
    await coordinator.post(`/api/enrolments/${e.id}/sessions`, { ...booking, startsAt: '2026-06-01T10:45:00+02:00' }).expect(201);
    await coordinator.patch(`/api/sessions/${sessions[0].id}`, { status: 'cancelled', cancelReason: 'Booked by mistake' }).expect(200);
    const again = (await coordinator.post(`/api/enrolments/${e.id}/sessions`, booking).expect(201)).body as { id: string };
    // Moving a session onto another of the enrolment's is refused like booking it there; onto a free hour, or itself a little later, it moves.
    const later = (await ds.query(`SELECT id FROM program_session WHERE enrolment_id = $1 AND status = 'booked' AND id <> $2`, [e.id, again.id]))[0].id as string;
    const onto = await coordinator.patch(`/api/sessions/${later}`, { startsAt: '2026-06-01T10:15:00+02:00' }).expect(409);
    expect(onto.body.issue[0].diagnostics).toContain(again.id);
    await coordinator.patch(`/api/sessions/${later}`, { startsAt: '2026-06-01T12:00:00+02:00' }).expect(200);
    await coordinator.patch(`/api/sessions/${later}`, { startsAt: '2026-06-01T12:15:00+02:00' }).expect(200);
  });
  it('creates a cohort once when the same cohort is sent twice at the same moment (double click)', async () => {
    const body = { program: 'mindful-self-compassion-als', name: 'Race: created twice', startDate: isoDateDaysFromToday(21), sessionTime: '18:00', timeZone: 'Europe/Paris', facilitator: 'Practitioner/facilitator-1' };

    const twice = await Promise.all([1, 2].map(() => coordinator.post('/api/cohorts', body)));

    expect(twice.map((x) => x.status).sort()).toEqual([201, 409]);
    const refused = twice.find((x) => x.status === 409)!;
    expect(codeOf(refused.body)).toBe('PROGRAMS.DUPLICATE');
    const created = twice.find((x) => x.status === 201)!.body as { id: string };
    expect(refused.body.issue[0].diagnostics).toContain(created.id);
    expect(await ds.query(`SELECT id FROM cohort WHERE name = $1`, [body.name])).toEqual([{ id: created.id }]);
    expect(await ds.query(`SELECT count(*)::int AS n FROM program_session WHERE cohort_id IN (SELECT id FROM cohort WHERE name = $1)`, [body.name])).toEqual([{ n: 8 }]);
    expect(await ds.query(`SELECT count(*)::int AS n FROM outbox_entry WHERE kind = 'cohort.scheduled' AND business_key LIKE '%' || $1 || '%'`, [created.id])).toEqual([{ n: 1 }]);
    // Another name, another first date, or another time that day is another cohort.
    await coordinator.post('/api/cohorts', { ...body, name: 'Race: created twice (B)' }).expect(201);
    await coordinator.post('/api/cohorts', { ...body, startDate: isoDateDaysFromToday(28) }).expect(201);
    await coordinator.post('/api/cohorts', { ...body, sessionTime: '10:00' }).expect(201);
  });
  onPostgres('creates a cohort once when the second create waits for the first (both queued on their turn, then let go)', async () => {
    const body = { program: 'mindful-self-compassion-als', name: 'Race: queued twice', startDate: isoDateDaysFromToday(35), sessionTime: '18:00', timeZone: 'Europe/Paris', facilitator: 'Practitioner/facilitator-1' };
    const probe = (await coordinator.post('/api/cohorts', { ...body, name: 'Race: queued twice (probe)' }).expect(201)).body as { id: string };
    const [{ registration_id: registrationId, program_version_id: versionId }] = await ds.query(`SELECT registration_id, program_version_id FROM cohort WHERE id = $1`, [probe.id]);
    // The turn both creates take (cohorts.service.ts assertNewCohort): held here until both wait for it.
    const turn = `cohort:${registrationId}:${versionId}:${body.startDate}:${body.name}`;
    const [first, second] = await oneAfterTheOther(['SELECT pg_advisory_xact_lock(hashtext($1))', [turn]], /pg_advisory_xact_lock/, () => coordinator.post('/api/cohorts', body), () => coordinator.post('/api/cohorts', body));
    expect([first.status, second.status]).toEqual([201, 409]);
    expect(await ds.query(`SELECT count(*)::int AS n FROM cohort WHERE name = $1`, [body.name])).toEqual([{ n: 1 }]);
  });
  // Guards of what already holds (each request locks the row it changes first: lockReferral, the cohort row).
  onPostgres('a screened referral accepted and declined at the same moment: the first wins, the second is 409 and changes nothing', async () => {
    const id = await refer(coordinator, 'pat-race-3');
    await coordinator.post(`/api/referrals/${id}/screen`, { answers: ELIGIBLE, consent: CONSENT }).expect(200);
    const [accepted, declined] = await oneAfterTheOther(
      [`SELECT id FROM referral WHERE id = $1 FOR UPDATE`, [id]],
      /referral/i,
      () => coordinator.post(`/api/referrals/${id}/accept`, {}),
      () => coordinator.post(`/api/referrals/${id}/decline`, { reason: 'Prefers individual support' }),
    );
    expect([accepted.status, declined.status]).toEqual([200, 409]);
    expect(codeOf(declined.body)).toBe('PROGRAMS.ILLEGAL_TRANSITION');
    expect(await ds.query(`SELECT status, revision FROM referral WHERE id = $1`, [id])).toEqual([{ status: 'accepted', revision: 3 }]);
    const kinds = await ds.query(`SELECT kind FROM outbox_entry WHERE business_key LIKE '%' || $1 || '%' ORDER BY seq`, [id]);
    expect(kinds.map((k: { kind: string }) => k.kind)).toEqual(['referral.created', 'referral.screened', 'referral.accepted']);
  });

  onPostgres('a withdrawal and an attendance mark at the same moment: once withdrawn, the mark is refused and nothing is recorded', async () => {
    const cohort = await createCohort(coordinator, 'Race: withdraw vs attendance', 3);
    const referralId = await referScreenAccept(coordinator, 'pat-race-4');
    const enrolment = (await coordinator.post('/api/enrolments', { referralId, cohortId: cohort.id }).expect(201)).body as { id: string };
    const session = cohort.sessions[0].id;
    const [withdrawn, marked] = await oneAfterTheOther(
      [`SELECT id FROM cohort WHERE id = $1 FOR UPDATE`, [cohort.id]],
      /cohort/i,
      () => coordinator.post(`/api/enrolments/${enrolment.id}/withdraw`, { reason: 'fatigue', date: isoDateDaysFromToday(0) }),
      () => coordinator.put(`/api/sessions/${session}/attendance`, { attendance: [{ person: 'Patient/pat-race-4', status: 'attended' }] }),
    );
    expect([withdrawn.status, marked.status]).toEqual([200, 422]);
    expect(codeOf(marked.body)).toBe('PROGRAMS.NOT_A_PARTICIPANT');
    expect(await ds.query(`SELECT id FROM attendance WHERE session_id = $1`, [session])).toEqual([]);
    expect(await ds.query(`SELECT status FROM referral WHERE id = $1`, [referralId])).toEqual([{ status: 'withdrawn' }]);
  });
});
