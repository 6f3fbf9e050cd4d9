import { codeOf, createCohort, referScreenAccept } from './programs-support/course.js';
import { apiAs, footprint, isoDateDaysFromToday, outboxRows } from './programs-support/program-api.js';
import { signIn } from './support/sign-in.js';
import { createTestApp, type TestApp } from './support/test-app.js';

type Api = ReturnType<typeof apiAs>;

/**
 * Two people changing one session: each change names the session's revision it was decided on (If-Match, the
 * ETag read), and one decided on a session someone else has changed since is refused (412 PROGRAMS.CHANGED),
 * nothing written, instead of the last one silently winning.
 */
describe('the programs API with If-Match: sessions and attendance changed by two people', () => {
  let t: TestApp;
  let coordinator: Api;
  let colleague: Api;
  let clinician: Api;
  let cohort: Awaited<ReturnType<typeof createCohort>>;

  beforeAll(async () => {
    t = await createTestApp({ fhir: { outboxWorker: false } });
    coordinator = apiAs(t, await signIn(t.app, { role: 'coordinator' }));
    colleague = apiAs(t, await signIn(t.app, { role: 'coordinator' }));
    cohort = await createCohort(coordinator, 'Tuesday group', 2);
    for (const [patient, caregivers] of [['pat-a', ['RelatedPerson/cg-a']], ['pat-b', []]] as const) {
      const referral = await referScreenAccept(coordinator, patient, [...caregivers]);
      await coordinator.post('/api/enrolments', { referralId: referral, cohortId: cohort.id }).expect(201);
    }
    clinician = apiAs(t, await signIn(t.app, { role: 'clinician', patientId: 'pat-a' }));
  });
  afterAll(async () => t?.close());

  const sessionOf = async (sequence: number) => {
    const sessions = (await coordinator.get(`/api/cohorts/${cohort.id}/sessions`).expect(200)).body as { id: string; sequence: number; revision: number; startsAt: string }[];
    return sessions.find((s) => s.sequence === sequence)!;
  };

  it('moves a session only from the revision it was read at', async () => {
    const read = await sessionOf(6);
    const etag = `W/"${read.revision}"`;
    const moved = await coordinator.patch(`/api/sessions/${read.id}`, { facilitator: 'Practitioner/facilitator-2' }).set('If-Match', etag).expect(200);
    expect(moved.headers.etag).toBe(`W/"${read.revision + 1}"`);
    expect(moved.body.revision).toBe(read.revision + 1);

    // The colleague read the session before that change: her cancellation is refused and changes nothing.
    const before = await footprint(t);
    const stale = await colleague.patch(`/api/sessions/${read.id}`, { status: 'cancelled', cancelReason: 'Room unavailable' }).set('If-Match', etag).expect(412);
    expect(stale.headers['content-type']).toMatch(/application\/fhir\+json/);
    expect(codeOf(stale.body)).toBe('PROGRAMS.CHANGED');
    expect(await footprint(t)).toEqual(before);
    expect((await sessionOf(6)).revision).toBe(read.revision + 1);

    // Read again, decided again: accepted.
    await colleague.patch(`/api/sessions/${read.id}`, { status: 'cancelled', cancelReason: 'Room unavailable' }).set('If-Match', moved.headers.etag).expect(200);
  });

  it('refuses a malformed If-Match (400), accepts * and no If-Match (API clients that never read an ETag)', async () => {
    const s = await sessionOf(7);
    const before = await footprint(t);
    const bad = await coordinator.patch(`/api/sessions/${s.id}`, { facilitator: 'Practitioner/facilitator-3' }).set('If-Match', 'yesterday').expect(400);
    expect(codeOf(bad.body)).toBe('COMMON.VALIDATION');
    expect(await footprint(t)).toEqual(before);
    await coordinator.patch(`/api/sessions/${s.id}`, { facilitator: 'Practitioner/facilitator-3' }).set('If-Match', '*').expect(200);
    await coordinator.patch(`/api/sessions/${s.id}`, { facilitator: 'Practitioner/facilitator-1' }).expect(200);
    expect((await sessionOf(7)).revision).toBe(s.revision + 2);
  });

  it('records attendance only on the roster it was read with: a colleague’s correction is not put back', async () => {
    const { id } = await sessionOf(1);
    // Both open the session's attendance at once.
    const mine = await coordinator.get(`/api/sessions/${id}/attendance`).expect(200);
    const hers = await colleague.get(`/api/sessions/${id}/attendance`).expect(200);
    expect(hers.headers.etag).toBe(mine.headers.etag);
    expect(mine.headers.etag).toMatch(/^W\/"\d+"$/);

    const saved = await coordinator.put(`/api/sessions/${id}/attendance`, { attendance: [{ person: 'Patient/pat-a', status: 'attended' }, { person: 'RelatedPerson/cg-a', status: 'attended' }] }).set('If-Match', mine.headers.etag).expect(200);
    expect(saved.headers.etag).not.toBe(mine.headers.etag);

    // She marks the patient absent on what she read before: refused, the recorded attendance stands.
    const before = await footprint(t);
    const stale = await colleague.put(`/api/sessions/${id}/attendance`, { attendance: [{ person: 'Patient/pat-a', status: 'absent' }] }).set('If-Match', hers.headers.etag).expect(412);
    expect(codeOf(stale.body)).toBe('PROGRAMS.CHANGED');
    expect(await footprint(t)).toEqual(before);
    const now = await colleague.get(`/api/sessions/${id}/attendance`).expect(200);
    expect(now.headers.etag).toBe(saved.headers.etag);
    expect(Object.fromEntries((now.body as { person: string; status: string }[]).map((r) => [r.person, r.status]))).toEqual({ 'Patient/pat-a': 'attended', 'RelatedPerson/cg-a': 'attended' });

    // With the ETag she has now read, her change is made.
    const corrected = await colleague.put(`/api/sessions/${id}/attendance`, { attendance: [{ person: 'RelatedPerson/cg-a', status: 'excused' }] }).set('If-Match', now.headers.etag).expect(200);
    expect((corrected.body as { person: string; status: string }[]).find((r) => r.person === 'RelatedPerson/cg-a')!.status).toBe('excused');
  });

  it('gives a clinician a tag over the household she sees: others’ attendance neither refuses her nor shows in it', async () => {
    const { id } = await sessionOf(2);
    const mine = await clinician.get(`/api/sessions/${id}/attendance`).expect(200);
    // Another patient's attendance is recorded: the session's revision moves, her tag does not.
    const other = await coordinator.put(`/api/sessions/${id}/attendance`, { attendance: [{ person: 'Patient/pat-b', status: 'attended' }] }).set('If-Match', (await coordinator.get(`/api/sessions/${id}/attendance`)).headers.etag).expect(200);
    expect((await clinician.get(`/api/sessions/${id}/attendance`).expect(200)).headers.etag).toBe(mine.headers.etag);
    const saved = await clinician.put(`/api/sessions/${id}/attendance`, { attendance: [{ person: 'Patient/pat-a', status: 'attended' }] }).set('If-Match', mine.headers.etag).expect(200);
    expect(saved.headers.etag).not.toBe(mine.headers.etag);
    // A change within her patient's household after she read it refuses her.
    await coordinator.put(`/api/sessions/${id}/attendance`, { attendance: [{ person: 'RelatedPerson/cg-a', status: 'excused' }] }).set('If-Match', other.headers.etag).expect(412);
    await coordinator.put(`/api/sessions/${id}/attendance`, { attendance: [{ person: 'RelatedPerson/cg-a', status: 'excused' }] }).expect(200);
    const stale = await clinician.put(`/api/sessions/${id}/attendance`, { attendance: [{ person: 'RelatedPerson/cg-a', status: 'attended' }] }).set('If-Match', saved.headers.etag).expect(412);
    expect(codeOf(stale.body)).toBe('PROGRAMS.CHANGED');
    // The session's revision, which counts everyone's changes, is not in what she reads.
    const sessions = (await clinician.get(`/api/cohorts/${cohort.id}/sessions`).expect(200)).body as Record<string, unknown>[];
    expect(sessions.every((s) => !('revision' in s))).toBe(true);
    expect('revision' in ((await clinician.get(`/api/cohorts/${cohort.id}`).expect(200)).body.sessions[0] as object)).toBe(false);
  });

  it('writes nothing, and keeps the revision, for a change to what the session already is', async () => {
    const s = await sessionOf(5);
    const before = await footprint(t);
    const same = await coordinator.patch(`/api/sessions/${s.id}`, { facilitator: 'Practitioner/facilitator-1', startsAt: s.startsAt }).set('If-Match', `W/"${s.revision}"`).expect(200);
    expect(same.headers.etag).toBe(`W/"${s.revision}"`);
    expect(await footprint(t)).toEqual(before);
  });

  it('moves a held session’s revision when its roster changes: a grid listing someone who left is refused 412, not 422', async () => {
    const group = await createCohort(coordinator, 'Thursday group', 2);
    const enrol = async (patient: string) => {
      const referralId = await referScreenAccept(coordinator, patient);
      return (await coordinator.post('/api/enrolments', { referralId, cohortId: group.id }).expect(201)).body.id as string;
    };
    const leaving = await enrol('pat-l');
    await enrol('pat-s');
    const held = group.sessions.find((s) => s.sequence === 1)!.id;
    const started = group.sessions.find((s) => s.sequence === 2)!.id; // started, nothing recorded yet: still booked
    await coordinator.put(`/api/sessions/${held}/attendance`, { attendance: [{ person: 'Patient/pat-s', status: 'attended' }] }).expect(200);
    const grids = { held: await colleague.get(`/api/sessions/${held}/attendance`).expect(200), started: await colleague.get(`/api/sessions/${started}/attendance`).expect(200) };
    const appointmentsBefore = (await outboxRows(t)).length;

    // pat-l leaves; the colleague's grids, read before, still list her.
    await coordinator.post(`/api/enrolments/${leaving}/withdraw`, { reason: 'fatigue', date: isoDateDaysFromToday(0) }).expect(200);
    for (const [session, grid] of [[held, grids.held], [started, grids.started]] as const) {
      const before = await footprint(t);
      const stale = await colleague.put(`/api/sessions/${session}/attendance`, { attendance: [{ person: 'Patient/pat-l', status: 'absent' }] }).set('If-Match', grid.headers.etag).expect(412);
      expect(codeOf(stale.body)).toBe('PROGRAMS.CHANGED');
      expect(await footprint(t)).toEqual(before);
    }
    // The held session's Appointment lists only whom attendance was recorded for: not written again for the change.
    const written = (await outboxRows(t)).slice(appointmentsBefore).flatMap((r) => r.bundle.entry!.map((e) => e.resource!));
    const appointments = written.filter((r) => r.resourceType === 'Appointment').map((r) => JSON.stringify(r));
    expect(appointments.some((a) => a.includes(held))).toBe(false);
    expect(appointments.some((a) => a.includes(started))).toBe(true);

    // Read again (the grid's reload): she is gone from the roster, and the remaining marks save.
    const again = await colleague.get(`/api/sessions/${held}/attendance`).expect(200);
    expect(again.headers.etag).not.toBe(grids.held.headers.etag);
    await colleague.put(`/api/sessions/${held}/attendance`, { attendance: [{ person: 'Patient/pat-s', status: 'absent' }] }).set('If-Match', again.headers.etag).expect(200);

    // Someone joining moves it too: a grid read before does not know them.
    const read = await colleague.get(`/api/sessions/${held}/attendance`).expect(200);
    await enrol('pat-n');
    const stale = await colleague.put(`/api/sessions/${held}/attendance`, { attendance: [{ person: 'Patient/pat-s', status: 'attended' }] }).set('If-Match', read.headers.etag).expect(412);
    expect(codeOf(stale.body)).toBe('PROGRAMS.CHANGED');
  });

  it('keeps the ETag when a save changes nothing', async () => {
    const { id } = await sessionOf(1);
    const read = await coordinator.get(`/api/sessions/${id}/attendance`).expect(200);
    const same = await coordinator.put(`/api/sessions/${id}/attendance`, { attendance: [{ person: 'Patient/pat-a', status: 'attended' }] }).set('If-Match', read.headers.etag).expect(200);
    expect(same.headers.etag).toBe(read.headers.etag);
  });
});
