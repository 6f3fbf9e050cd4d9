import { jest } from '@jest/globals';
import type { ServiceRequest } from 'fhir/r4.js';
import { DataSource } from 'typeorm';
import { OutboxService } from '../src/fhir/outbox.service.js';
import { OutboxWorker } from '../src/fhir/outbox.worker.js';
import { RegistryService } from '../src/smart/registry/registry.service.js';
import { SessionService } from '../src/smart/session/session.service.js';
import { refer } from './programs-support/course.js';
import { apiAs } from './programs-support/program-api.js';
import { referralBundle } from './support/outbox-fixtures.js';
import { EHR_PROFILES, ReferenceEhr } from './support/reference-ehr/reference-ehr.js';
import { signIn, type SignedIn } from './support/sign-in.js';
import { createTestApp, type TestApp } from './support/test-app.js';

/**
 * An EHR without backend services: the registration delivers with the launching user's own token
 * (`writeBackAuth: "user"`). While the author has no live session the write waits (never lost, never sent as
 * somebody else); their next launch lets it through.
 */
// A busy 2-core machine builds the embedded database and runs a whole journey slowly: generous, not timed.
jest.setTimeout(300_000);

describe('write-back with the launching user’s token', () => {
  let t: TestApp;
  let ehr: ReferenceEhr;
  let registrationId: string;
  const ds = () => t.app.get(DataSource);
  const entries = async () => (await ds().query(`SELECT status, actor, last_error FROM outbox_entry ORDER BY seq`)) as { status: string; actor: string | null; last_error: { reason: string } | null }[];

  /** A signed-in coordinator whose session holds a token the reference EHR issued (as its launch would). */
  async function launch(fhirUser: string): Promise<SignedIn> {
    const who = await signIn(t.app, { role: 'coordinator', issuer: ehr.baseUrl, fhirUser });
    const sessions = t.app.get(SessionService);
    const loaded = (await sessions.load(who.cookie.split('=')[1]))!;
    const state = sessions.state(loaded.row);
    // What the registration's scopes would grant a staff launch that may write (user-level write scopes).
    state.tokenResponse = { ...state.tokenResponse, access_token: ehr.issueUserToken(), scope: 'openid fhirUser offline_access user/*.cruds' };
    await sessions.saveState(loaded.row, state);
    return who;
  }

  beforeAll(async () => {
    t = await createTestApp({ listen: true, fhir: { outboxWorker: false } });
    ehr = await ReferenceEhr.start({ profile: EHR_PROFILES.transaction });
    // The EHR is the launch issuer too: a user's token is only ever sent back to the server that issued it.
    registrationId = (await signIn(t.app, { role: 'admin', issuer: ehr.baseUrl })).registrationId;
    await t.app.get(RegistryService).update(registrationId, { writeBackAuth: 'user' }, { actor: 'test', actorRole: 'admin' });
  });
  afterAll(async () => {
    await t?.close();
    await ehr?.close();
  });

  it('delivers as the author while they are signed in, and waits for their next launch when they are not', async () => {
    const first = await launch('Practitioner/sbx-prac-2');
    await refer(apiAs(t, first), 'sbx-pat-1');
    expect((await entries())[0].actor).toBe('Practitioner/sbx-prac-2');
    await t.app.get(OutboxWorker).drain();
    expect((await entries()).map((e) => e.status)).toEqual(['delivered']);
    expect(await ehr.all<ServiceRequest>('ServiceRequest')).toHaveLength(1);
    expect(ehr.requests.some((r) => r.path.startsWith('/auth/token'))).toBe(false); // no backend-services token asked for

    // The author signs out; another user's session is never used for their write.
    const second = await launch('Practitioner/sbx-prac-3');
    await refer(apiAs(t, first), 'sbx-pat-2');
    await apiAs(t, first).post('/smart/logout').expect((r) => expect(r.status).toBeLessThan(400));
    await t.app.get(OutboxWorker).drain();
    const waiting = (await entries())[1];
    expect(waiting).toMatchObject({ status: 'pending', actor: 'Practitioner/sbx-prac-2', last_error: { reason: 'authorization:AUTH.SESSION_EXPIRED' } });
    expect(await ehr.all('ServiceRequest')).toHaveLength(1);
    expect(second.registrationId).toBe(registrationId);

    // The author launches again: the waiting write goes out with their new token.
    await launch('Practitioner/sbx-prac-2');
    await ds().query(`UPDATE outbox_entry SET next_attempt_at = now() WHERE status = 'pending'`);
    await t.app.get(OutboxWorker).drain();
    expect((await entries()).map((e) => e.status)).toEqual(['delivered', 'delivered']);
    expect(await ehr.all('ServiceRequest')).toHaveLength(2);
  });

  it('uses a patient-scoped launch only for that patient’s writes', async () => {
    const who = await signIn(t.app, { role: 'clinician', issuer: ehr.baseUrl, fhirUser: 'Practitioner/sbx-prac-4', patientId: 'sbx-pat-3' });
    const sessions = t.app.get(SessionService);
    const loaded = (await sessions.load(who.cookie.split('=')[1]))!;
    const state = sessions.state(loaded.row);
    state.tokenResponse = { ...state.tokenResponse, access_token: ehr.issueUserToken(), scope: 'openid fhirUser launch patient/*.cruds' };
    await sessions.saveState(loaded.row, state);
    const outbox = t.app.get(OutboxService);
    for (const patient of ['sbx-pat-3', 'sbx-pat-4']) {
      await ds().transaction((m) =>
        outbox.enqueue(m, { registrationId, patientKey: `Patient/${patient}`, kind: 'referral.created', businessKey: `scoped:${patient}`, bundle: referralBundle(`Patient/${patient}`, `scoped-${patient}`), actor: 'Practitioner/sbx-prac-4' }),
      );
    }
    await t.app.get(OutboxWorker).drain();
    const rows = (await ds().query(`SELECT patient_key, status FROM outbox_entry WHERE business_key LIKE 'scoped:%' ORDER BY patient_key`)) as { patient_key: string; status: string }[];
    expect(rows).toEqual([
      { patient_key: 'Patient/sbx-pat-3', status: 'delivered' },
      { patient_key: 'Patient/sbx-pat-4', status: 'pending' },
    ]);
  });

  it('finds the launch for the write’s patient among many newer launches for other patients', async () => {
    const sessions = t.app.get(SessionService);
    const launchFor = async (patientId: string) => {
      const who = await signIn(t.app, { role: 'clinician', issuer: ehr.baseUrl, fhirUser: 'Practitioner/sbx-prac-5', patientId });
      const loaded = (await sessions.load(who.cookie.split('=')[1]))!;
      const state = sessions.state(loaded.row);
      state.tokenResponse = { ...state.tokenResponse, access_token: ehr.issueUserToken(), scope: 'openid fhirUser launch patient/*.cruds' };
      await sessions.saveState(loaded.row, state);
    };
    await launchFor('sbx-pat-1');
    // Twelve later launches for other patients: more than the sessions a delivery looks at.
    for (let i = 0; i < 12; i++) await launchFor(`other-${i}`);
    await ds().query(`UPDATE app_session SET created_at = created_at + make_interval(secs => 1) WHERE patient_id LIKE 'other-%'`);
    await ds().transaction((m) =>
      t.app.get(OutboxService).enqueue(m, { registrationId, patientKey: 'Patient/sbx-pat-1', kind: 'referral.created', businessKey: 'many:sbx-pat-1', bundle: referralBundle('Patient/sbx-pat-1', 'many-sbx-pat-1'), actor: 'Practitioner/sbx-prac-5' }),
    );
    await t.app.get(OutboxWorker).drain();
    expect(await ds().query(`SELECT status FROM outbox_entry WHERE business_key = 'many:sbx-pat-1'`)).toEqual([{ status: 'delivered' }]);
  });
});
