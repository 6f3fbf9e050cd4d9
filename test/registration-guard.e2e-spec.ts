import { DataSource } from 'typeorm';
import { RegistryService } from '../src/smart/registry/registry.service.js';
import { apiAs } from './programs-support/program-api.js';
import { signIn, type SignedIn } from './support/sign-in.js';
import { createTestApp, type TestApp } from './support/test-app.js';

/** No admin can lock the clinic out: not by disabling their own EHR, nor the last enabled one; a disabled one comes back. */
describe('disabling and enabling an EHR registration', () => {
  let t: TestApp;
  let own: SignedIn;
  let admin: ReturnType<typeof apiAs>;
  let otherId: string;
  const actions = async (id: string) =>
    (await t.app.get(DataSource).query(`SELECT action FROM audit_event WHERE resource_id = $1 AND action LIKE 'registry.%' ORDER BY occurred_at`, [id])).map((r: { action: string }) => r.action);

  beforeAll(async () => {
    t = await createTestApp({ fhir: { outboxWorker: false } });
    own = await signIn(t.app, { role: 'admin' });
    admin = apiAs(t, own);
    otherId = (await admin.post('/api/admin/registrations', { issuer: 'https://other-ehr.test/fhir', name: 'Other EHR', clientId: 'c', clientAuth: 'private_key_jwt' }).expect(201)).body.id;
  }, 120_000); // a fresh embedded database starts slowly on a busy machine
  afterAll(async () => t?.close());

  it('refuses to disable the registration the admin is signed in through (409), however it is asked', async () => {
    for (const res of [
      await admin.post(`/api/admin/registrations/${own.registrationId}/disable`).expect(409),
      await admin.patch(`/api/admin/registrations/${own.registrationId}`, { enabled: false }).expect(409),
    ]) {
      expect(res.body.issue[0].details.coding[0].code).toBe('REGISTRY.OWN_REGISTRATION');
      expect(res.body.issue[0].diagnostics).toMatch(/signed in through Test EHR/);
    }
    expect((await admin.get(`/api/admin/registrations/${own.registrationId}`).expect(200)).body.enabled).toBe(true);
    await admin.get('/api/context').expect(200);
  });

  it('refuses to disable the last enabled registration (two admins disabling each other\'s at once)', async () => {
    const registry = t.app.get(RegistryService);
    await admin.post(`/api/admin/registrations/${otherId}/disable`).expect(201);
    // The sandbox EHR of the test service is the only other one: out of the way (the CLI's way, unguarded).
    for (const r of await registry.list()) if (r.enabled && r.id !== own.registrationId) await registry.update(r.id, { enabled: false }, { actor: 'cli:test', actorRole: 'admin' });
    // An admin of the other EHR passed the gate before their own EHR was disabled, then asks to disable ours.
    await expect(registry.disable(own.registrationId, { actor: 'Practitioner/other-admin', actorRole: 'admin' }, otherId)).rejects.toMatchObject({ code: 'REGISTRY.LAST_ENABLED' });
    expect((await registry.get(own.registrationId)).enabled).toBe(true);
  });

  it('enables a disabled registration again through the API, audited; its users can sign in again', async () => {
    const res = await admin.post(`/api/admin/registrations/${otherId}/enable`).expect(200);
    expect(res.body).toMatchObject({ id: otherId, enabled: true });
    expect(await actions(otherId)).toEqual(['registry.create', 'registry.disable', 'registry.enable']);
    const there = await signIn(t.app, { role: 'coordinator', issuer: 'https://other-ehr.test/fhir' });
    await apiAs(t, there).get('/api/context').expect(200);
    // With another EHR enabled, the admin's own could be disabled — by an admin of that other EHR.
    const otherAdmin = apiAs(t, await signIn(t.app, { role: 'admin', issuer: 'https://other-ehr.test/fhir' }));
    await otherAdmin.post(`/api/admin/registrations/${own.registrationId}/disable`).expect(201);
    await admin.get('/api/context').expect(401);
    await otherAdmin.post(`/api/admin/registrations/${own.registrationId}/enable`).expect(200);
  });

  it('answers 404 for an unknown registration', async () => {
    await admin.post('/api/admin/registrations/00000000-0000-4000-8000-000000000000/enable').expect(404);
    await admin.post('/api/admin/registrations/00000000-0000-4000-8000-000000000000/disable').expect(404);
  });
});
