import { DataSource } from 'typeorm';
import { RolesByRecordKind1795000066000 } from '../migrations/1795000066000-roles-by-record-kind.js';
import { signIn, type SignedIn } from './support/sign-in.js';
import { createTestApp, type TestApp } from './support/test-app.js';

/**
 * Roles given before a person's role had to follow their EHR record (USERS.ROLE_NOT_ALLOWED): migration 1795000066000
 * repairs them once, ends the sessions their old role opened, and audits each change.
 */
describe('migration 1795000066000: roles that their EHR record does not allow', () => {
  let t: TestApp;
  let ds: DataSource;
  const people: Record<string, SignedIn> = {};
  const roleOf = async (s: SignedIn) => ((await ds.query(`SELECT role FROM app_user WHERE id = $1`, [s.userId])) as { role: string }[])[0].role;
  const openSessions = async (s: SignedIn) =>
    ((await ds.query(`SELECT count(*)::int AS n FROM app_session WHERE user_id = $1 AND revoked_at IS NULL`, [s.userId])) as { n: number }[])[0].n;
  const changes = async (s: SignedIn) =>
    ds.query(`SELECT actor, detail FROM audit_event WHERE action = 'user.role.change' AND resource_id = $1 AND actor = 'system' ORDER BY occurred_at`, [s.userId]);
  const up = async () => {
    const qr = ds.createQueryRunner();
    try {
      await new RolesByRecordKind1795000066000().up(qr);
    } finally {
      await qr.release();
    }
  };

  beforeAll(async () => {
    t = await createTestApp({ fhir: { outboxWorker: false } });
    ds = t.app.get(DataSource);
    people.patientAsCaregiver = await signIn(t.app, { role: 'patient', patientId: 'rr-1', fhirUser: 'Patient/rr-1' });
    people.caregiverAsPatient = await signIn(t.app, { role: 'caregiver', patientId: 'rr-1', fhirUser: 'RelatedPerson/rr-c1' });
    people.practitionerAsPatient = await signIn(t.app, { role: 'clinician', patientId: 'rr-1', fhirUser: 'Practitioner/rr-p1' });
    people.practitionerAsCaregiver = await signIn(t.app, { role: 'clinician', patientId: 'rr-1', fhirUser: 'Practitioner/rr-p2' });
    people.clinician = await signIn(t.app, { role: 'clinician', patientId: 'rr-1', fhirUser: 'Practitioner/rr-p3' });
    people.patient = await signIn(t.app, { role: 'patient', patientId: 'rr-2', fhirUser: 'Patient/rr-2' });
    // As an admin could set them before the rule: straight into the table (the API refuses them now).
    const set = (s: SignedIn, role: string) => ds.query(`UPDATE app_user SET role = $2 WHERE id = $1`, [s.userId, role]);
    await set(people.patientAsCaregiver, 'caregiver');
    await set(people.caregiverAsPatient, 'patient');
    await set(people.practitionerAsPatient, 'patient');
    await set(people.practitionerAsCaregiver, 'caregiver');
  }, 120_000);
  afterAll(async () => t?.close());

  it('gives each the role their record allows, a practitioner the one that reads no patient, and ends their sessions, audited', async () => {
    await up();
    expect(await roleOf(people.patientAsCaregiver)).toBe('patient');
    expect(await roleOf(people.caregiverAsPatient)).toBe('caregiver');
    expect(await roleOf(people.practitionerAsPatient)).toBe('quality');
    expect(await roleOf(people.practitionerAsCaregiver)).toBe('quality');
    for (const key of ['patientAsCaregiver', 'caregiverAsPatient', 'practitionerAsPatient', 'practitionerAsCaregiver']) {
      expect(await openSessions(people[key])).toBe(0);
    }
    expect(await changes(people.patientAsCaregiver)).toEqual([
      { actor: 'system', detail: { from: 'caregiver', to: 'patient', reason: 'role-not-allowed-for-record', sessionsEnded: 1 } },
    ]);
    expect(await ds.query(`SELECT detail FROM audit_event WHERE action = 'session.revoke' AND resource_id = $1 AND actor = 'system'`, [people.caregiverAsPatient.userId])).toEqual([
      { detail: { reason: 'role-change', sessions: 1 } },
    ]);
    expect(await changes(people.practitionerAsCaregiver)).toEqual([
      { actor: 'system', detail: { from: 'caregiver', to: 'quality', reason: 'role-not-allowed-for-record', sessionsEnded: 1 } },
    ]);
    expect(await changes(people.practitionerAsPatient)).toEqual([
      { actor: 'system', detail: { from: 'patient', to: 'quality', reason: 'role-not-allowed-for-record', sessionsEnded: 1 } },
    ]);
  });

  it('leaves everyone whose role fits their record, and their sessions, as they were; a second run changes nothing', async () => {
    expect(await roleOf(people.clinician)).toBe('clinician');
    expect(await roleOf(people.patient)).toBe('patient');
    expect(await openSessions(people.clinician)).toBe(1);
    expect(await openSessions(people.patient)).toBe(1);
    expect(await changes(people.clinician)).toEqual([]);
    await up();
    expect(await changes(people.patientAsCaregiver)).toHaveLength(1);
    expect(await roleOf(people.practitionerAsCaregiver)).toBe('quality');
  });
});
