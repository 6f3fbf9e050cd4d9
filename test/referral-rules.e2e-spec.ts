import { DataSource } from 'typeorm';
import { codeOf, CONSENT, ELIGIBLE, MSC, refer } from './programs-support/course.js';
import { apiAs, footprint } from './programs-support/program-api.js';
import { signIn } from './support/sign-in.js';
import { createTestApp, type TestApp } from './support/test-app.js';

type Api = ReturnType<typeof apiAs>;

/**
 * One open referral per patient and program: a second is refused with a 409 that names the open one (its id and
 * status), whoever sends it and however the requests race; a declined, withdrawn or completed referral does not
 * count, and another program is another matter. The database holds the rule too (a partial unique index).
 */
describe('one open referral per patient and program', () => {
  let t: TestApp;
  let ds: DataSource;
  let coordinator: Api;

  beforeAll(async () => {
    t = await createTestApp({ fhir: { outboxWorker: false } });
    ds = t.app.get(DataSource);
    coordinator = apiAs(t, await signIn(t.app, { role: 'coordinator' }));
  });
  afterAll(async () => t?.close());

  const referAgain = (api: Api, patientId: string, program = MSC) => api.post('/api/referrals', { patientId, program, reason: 'Referred again', priority: 'routine' });

  it('refuses a second referral while the first is open, naming it, and stores nothing', async () => {
    const first = await refer(coordinator, 'pat-1');
    for (const step of ['referred', 'screened', 'accepted']) {
      if (step === 'screened') await coordinator.post(`/api/referrals/${first}/screen`, { answers: ELIGIBLE, consent: CONSENT }).expect(200);
      if (step === 'accepted') await coordinator.post(`/api/referrals/${first}/accept`, {}).expect(200);
      const before = await footprint(t);
      const res = await referAgain(coordinator, 'pat-1').expect(409);
      expect(res.headers['content-type']).toMatch(/application\/fhir\+json/);
      expect(codeOf(res.body)).toBe('PROGRAMS.DUPLICATE');
      expect(res.body.issue[0].diagnostics).toMatch(/^Already referred/);
      expect(res.body.issue[0].diagnostics).toContain(first);
      expect(res.body.issue[0].diagnostics).toContain(`status ${step}`);
      expect(await footprint(t)).toEqual(before);
    }
  });

  it('refuses it to the clinician of the patient too, and lets the patient be referred to another program', async () => {
    const clinician = apiAs(t, await signIn(t.app, { role: 'clinician', patientId: 'pat-1' }));
    const res = await referAgain(clinician, 'pat-1').expect(409);
    expect(codeOf(res.body)).toBe('PROGRAMS.DUPLICATE');
    await referAgain(clinician, 'pat-1', 'music-rhythm-therapy').expect(201);
  });

  it('refers again once the open referral is declined or withdrawn', async () => {
    const declined = await refer(coordinator, 'pat-2');
    await coordinator.post(`/api/referrals/${declined}/decline`, { reason: 'Prefers to wait until spring' }).expect(200);
    const again = (await referAgain(coordinator, 'pat-2').expect(201)).body.id as string;
    await coordinator.post(`/api/referrals/${again}/withdraw`, { reason: 'lost-interest' }).expect(200);
    await referAgain(coordinator, 'pat-2').expect(201);
    const rows: { status: string }[] = await ds.query(`SELECT status FROM referral WHERE patient_id = 'pat-2' ORDER BY created_at`);
    expect(rows.map((r) => r.status)).toEqual(['declined', 'withdrawn', 'referred']);
  });

  it('is held by the database itself: a second open row for the same patient and program cannot be stored', async () => {
    const [open] = await ds.query(`SELECT * FROM referral WHERE patient_id = 'pat-2' AND status = 'referred'`);
    const copy = (status: string) =>
      ds.query(
        `INSERT INTO referral (registration_id, patient_id, program_id, program_version_id, reason, priority, status, requester)
         VALUES ($1, $2, $3, $4, 'copy', 'routine', $5, 'Practitioner/x')`,
        [open.registration_id, open.patient_id, open.program_id, open.program_version_id, status],
      );
    await expect(copy('screened')).rejects.toMatchObject({ driverError: expect.objectContaining({ code: '23505', constraint: 'uq_referral_open' }) });
    await expect(copy('completed')).resolves.toBeDefined();
  });

  it('lets exactly one of several simultaneous referrals through; the others name it', async () => {
    const results = await Promise.all([1, 2, 3, 4].map(() => referAgain(coordinator, 'pat-3')));
    const created = results.filter((r) => r.status === 201);
    expect(created).toHaveLength(1);
    const refused = results.filter((r) => r.status === 409);
    expect(refused).toHaveLength(3);
    for (const r of refused) expect(r.body.issue[0].diagnostics).toContain(created[0].body.id);
  });

  // A request that passed the check while another referral was being stored: only the index stops it, and the
  // answer still names the referral that won. PGlite runs one transaction at a time, so this needs PostgreSQL.
  (process.env.DATABASE_URL ? it : it.skip)('maps the index refusal of a racing request to the same 409 (real PostgreSQL)', async () => {
    const [program] = await ds.query(`SELECT p.id, v.id AS version_id FROM program p JOIN program_version v ON v.program_id = p.id WHERE p.slug = $1 LIMIT 1`, [MSC]);
    const registrationId = (await ds.query(`SELECT registration_id FROM referral LIMIT 1`))[0].registration_id;
    const winner = ds.createQueryRunner();
    await winner.connect();
    await winner.startTransaction();
    try {
      const [row] = await winner.query(
        `INSERT INTO referral (registration_id, patient_id, program_id, program_version_id, reason, priority, status, requester)
         VALUES ($1, 'pat-4', $2, $3, 'first', 'routine', 'referred', 'Practitioner/x') RETURNING id`,
        [registrationId, program.id, program.version_id],
      );
      const [{ pid }] = await winner.query(`SELECT pg_backend_pid() AS pid`);
      let settled = false;
      const loser = referAgain(coordinator, 'pat-4').then((r) => ((settled = true), r));
      // Wait until the request is blocked behind the open transaction (on the index entry), then let the winner commit.
      for (;;) {
        const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))`, [pid]);
        if (n > 0 || settled) break;
      }
      expect(settled).toBe(false);
      await winner.commitTransaction();
      const res = await loser;
      expect(res.status).toBe(409);
      expect(codeOf(res.body)).toBe('PROGRAMS.DUPLICATE');
      expect(res.body.issue[0].diagnostics).toContain(row.id);
    } finally {
      if (winner.isTransactionActive) await winner.rollbackTransaction();
      await winner.release();
    }
  });
});
