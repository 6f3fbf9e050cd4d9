import { DataSource } from 'typeorm';
import { RegistryService } from '../src/smart/registry/registry.service.js';
import { UsersService } from '../src/smart/users/users.service.js';
import { apiAs } from './programs-support/program-api.js';
import { RowLockRace } from './support/row-lock-race.js';
import { signIn } from './support/sign-in.js';
import { createTestApp, type TestApp } from './support/test-app.js';

/** A role change ends the person's open sessions: the context their launch gave may not fit the new role. */
describe('changing a role', () => {
  let t: TestApp;
  let admin: ReturnType<typeof apiAs>;
  let adminUserId: string;
  const audit = async (action: string, resourceId: string) =>
    t.app.get(DataSource).query(`SELECT detail FROM audit_event WHERE action = $1 AND resource_id = $2 ORDER BY occurred_at`, [action, resourceId]);

  beforeAll(async () => {
    t = await createTestApp({ fhir: { outboxWorker: false } });
    const s = await signIn(t.app, { role: 'admin' });
    admin = apiAs(t, s);
    adminUserId = s.userId;
  }, 120_000); // a fresh embedded database starts slowly on a busy machine
  afterAll(async () => t?.close());

  it('ends every open session of the person (GET /api/context answers 401), audited', async () => {
    const first = await signIn(t.app, { role: 'coordinator', fhirUser: 'Practitioner/robin' });
    const second = await signIn(t.app, { role: 'coordinator', fhirUser: 'Practitioner/robin' });
    const bystander = await signIn(t.app, { role: 'coordinator' });
    for (const s of [first, second, bystander]) await apiAs(t, s).get('/api/context').expect(200);

    await admin.patch(`/api/admin/users/${first.userId}`, { role: 'quality' }).expect(200);

    for (const s of [first, second]) {
      const res = await apiAs(t, s).get('/api/context').expect(401);
      expect(res.body.resourceType).toBe('OperationOutcome');
    }
    await apiAs(t, bystander).get('/api/context').expect(200);
    expect((await audit('user.role.change', first.userId)).at(-1)).toEqual({ detail: { from: 'coordinator', to: 'quality', sessionsEnded: 2 } });
    expect(await audit('session.revoke', first.userId)).toEqual([{ detail: { reason: 'role-change', sessions: 2 } }]);
  });

  it('never lets a quality user or an admin hold a patient, whatever their session was opened with', async () => {
    for (const role of ['quality', 'admin'] as const) {
      const s = apiAs(t, await signIn(t.app, { role, patientId: 'pat-1' }));
      expect((await s.get('/api/context').expect(200)).body.patient).toBeNull();
      await s.get('/api/patients/pat-1').expect(403);
    }
  });

  // Real PostgreSQL only: PGlite runs one transaction at a time.
  (process.env.DATABASE_URL ? it : it.skip)('never lets two admins demoting each other at once leave the clinic with none', async () => {
    const a = await signIn(t.app, { role: 'admin', fhirUser: 'Practitioner/admin-race-a' });
    const b = await signIn(t.app, { role: 'admin', fhirUser: 'Practitioner/admin-race-b' });
    const ds = t.app.get(DataSource);
    const race = await RowLockRace.open(ds, t.db.schema);
    try {
      const [first, second] = await race.oneAfterTheOther(
        ['SELECT id FROM app_user WHERE id = ANY($1) FOR UPDATE', [[a.userId, b.userId]]],
        /app_user/,
        () => apiAs(t, a).patch(`/api/admin/users/${b.userId}`, { role: 'clinician' }),
        () => apiAs(t, b).patch(`/api/admin/users/${a.userId}`, { role: 'clinician' }),
      );
      expect([first.status, second.status]).toEqual([200, 403]);
      expect(second.body.issue[0].details.coding[0].code).toBe('AUTH.FORBIDDEN');
      const roles = await ds.query(`SELECT fhir_user, role FROM app_user WHERE id = ANY($1) ORDER BY fhir_user`, [[a.userId, b.userId]]);
      expect(roles).toEqual([{ fhir_user: 'Practitioner/admin-race-a', role: 'admin' }, { fhir_user: 'Practitioner/admin-race-b', role: 'clinician' }]);
      // The refused change is not recorded as made (the rows there are the sign-in helper's making of the admin).
      expect((await audit('user.role.change', a.userId)).map((r: { detail: { to: string } }) => r.detail.to)).not.toContain('clinician');
    } finally {
      await race.close();
    }
  });

  (process.env.DATABASE_URL ? it : it.skip)('keeps a sign-in committed while the role change waited for the person', async () => {
    const person = await signIn(t.app, { role: 'coordinator', fhirUser: 'Practitioner/renamed-meanwhile' });
    const ds = t.app.get(DataSource);
    const race = await RowLockRace.open(ds, t.db.schema);
    try {
      const rawPid = await race.hold(['SELECT id FROM app_user WHERE id = $1 FOR UPDATE', [person.userId]]);
      const change = admin.patch(`/api/admin/users/${person.userId}`, { role: 'quality' }).then((r) => r);
      await race.blockedBehind([rawPid], 1, /app_user/);
      // The person signs in (a new name from the EHR) while the change waits.
      await race.query(`UPDATE app_user SET display_name = 'Renamed Meanwhile', last_sign_in_at = '2026-12-04T01:00:00Z' WHERE id = $1`, [person.userId]);
      await race.release();
      expect((await change).status).toBe(200);
      const [row] = await ds.query(`SELECT role, display_name, last_sign_in_at FROM app_user WHERE id = $1`, [person.userId]);
      expect(row).toEqual({ role: 'quality', display_name: 'Renamed Meanwhile', last_sign_in_at: new Date('2026-12-04T01:00:00Z') });
    } finally {
      await race.close();
    }
  });

  it("keeps a patient a patient and a caregiver a caregiver: their EHR record decides, not the request (400, coded)", async () => {
    const patient = await signIn(t.app, { role: 'patient', patientId: 'pat-role-1' });
    const caregiver = await signIn(t.app, { role: 'caregiver', fhirUser: 'RelatedPerson/rp-role-1', patientId: 'pat-role-1' });
    const practitioner = await signIn(t.app, { role: 'clinician', fhirUser: 'Practitioner/role-1' });
    for (const [who, role] of [[patient, 'caregiver'], [patient, 'coordinator'], [caregiver, 'patient'], [practitioner, 'caregiver']] as const) {
      const res = await admin.patch(`/api/admin/users/${who.userId}`, { role }).expect(400);
      expect(res.body.resourceType).toBe('OperationOutcome');
      expect(res.body.issue[0].details.coding[0].code).toBe('USERS.ROLE_NOT_ALLOWED');
      // The message names the kind of record, never the person (an admin's screen and the logs show it).
      expect(JSON.stringify(res.body)).not.toMatch(/pat-role-1|rp-role-1|role-1|Patient\/|RelatedPerson\/|Practitioner\//);
    }
    // Nothing changed and nobody was signed out; the role they hold is accepted (nothing to do).
    const listed = (await admin.get('/api/admin/users?limit=500').expect(200)).body as { id: string; role: string }[];
    for (const [who, role] of [[patient, 'patient'], [caregiver, 'caregiver'], [practitioner, 'clinician']] as const) {
      expect(listed.find((u) => u.id === who.userId)?.role).toBe(role);
      expect(await audit('user.role.change', who.userId)).toEqual([]);
      expect(await audit('session.revoke', who.userId)).toEqual([]);
    }
    expect((await admin.patch(`/api/admin/users/${patient.userId}`, { role: 'patient' }).expect(200)).body.role).toBe('patient');
    expect((await admin.patch(`/api/admin/users/${caregiver.userId}`, { role: 'caregiver' }).expect(200)).body.role).toBe('caregiver');
  });

  it('does not let an admin change their own role', async () => {
    const res = await admin.patch(`/api/admin/users/${adminUserId}`, { role: 'clinician' }).expect(409);
    expect(res.body.issue[0].details.coding[0].code).toBe('USERS.OWN_ROLE');
    await admin.get('/api/context').expect(200);
  });

  it('never makes an admin through a launcher (wildcard) registration, where anyone can pick any practitioner', async () => {
    const launcher = await t.app.get(RegistryService).create(
      { issuer: 'https://launcher.example/v/r4/sim/*', name: 'Launcher', clientId: 'x', clientAuth: 'private_key_jwt', frameAncestors: [], enabled: true, fhirBaseUrl: 'https://launcher.example/v/r4/fhir' },
      { actor: 'test', actorRole: null },
    );
    const user = await t.app.get(UsersService).signIn(launcher, { type: 'Practitioner', reference: 'Practitioner/anyone' }, 'Anyone');
    const res = await admin.patch(`/api/admin/users/${user.id}`, { role: 'admin' }).expect(400);
    expect(res.body.issue[0].diagnostics).toMatch(/never yield an admin/);
    await admin.patch(`/api/admin/users/${user.id}`, { role: 'coordinator' }).expect(200);
  });
});
