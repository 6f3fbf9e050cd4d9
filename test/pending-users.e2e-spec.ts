import { DataSource } from 'typeorm';
import { sandboxIssuer } from '../src/sandbox/sandbox-registration.js';
import { RegistryService } from '../src/smart/registry/registry.service.js';
import { UsersService } from '../src/smart/users/users.service.js';
import { TestBrowser } from './support/browser.js';
import { createTestApp, type TestApp } from './support/test-app.js';

/**
 * Roles before a first sign-in: the admin searches the EHR's Practitioners (a FHIR search with their own token,
 * page by page), gives one a role, and that person's first launch picks it up. Over real HTTP against the sandbox.
 */
describe('roles given before a first sign-in', () => {
  let t: TestApp;
  let admin: TestBrowser;
  let csrf: string;

  /** An EHR launch from the sandbox as `user`, up to the app. */
  async function launch(user: string): Promise<TestBrowser> {
    const b = new TestBrowser();
    await b.navigate(`${t.url}/sandbox/launch?user=${encodeURIComponent(user)}`, (u) => u.startsWith(`${t.url}/app/`));
    expect(b.cookie(t.url, 'als_session')).toBeTruthy();
    return b;
  }
  const get = async (b: TestBrowser, path: string) => {
    const res = await b.request(`${t.url}${path}`);
    return { status: res.status, body: JSON.parse(res.body) };
  };
  const post = async (b: TestBrowser, path: string, body: unknown, token = csrf) => {
    const res = await b.request(`${t.url}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': token }, body: JSON.stringify(body) });
    return { status: res.status, body: JSON.parse(res.body) };
  };
  const sandbox = async () => (await t.app.get(RegistryService).findEnabledByIssuer(sandboxIssuer(t.url)))!;

  beforeAll(async () => {
    t = await createTestApp({ listen: true, fhir: { outboxWorker: false } });
    const users = t.app.get(UsersService);
    const it = await users.signIn(await sandbox(), { type: 'Practitioner', reference: 'Practitioner/sbx-prac-3' }, 'Dr Alex Demo');
    await users.setRole(it.id, 'admin', { actor: 'test', actorRole: 'admin' });
    admin = await launch('Practitioner/sbx-prac-3');
    const ctx = await get(admin, '/api/context');
    expect(ctx.body.user.role).toBe('admin');
    csrf = ctx.body.csrfToken;
  });
  afterAll(async () => t?.close());

  it("searches the EHR's Practitioners by name, with the role each already has here", async () => {
    const res = await get(admin, '/api/admin/practitioners?name=mock');
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([
      { fhirUser: 'Practitioner/sbx-prac-2', name: 'Robin Mockwell', qualification: 'Nurse coordinator', identifier: 'SBX-STAFF-002', active: true, user: null },
    ]);
    expect(res.body.next).toBeNull();
    const alex = (await get(admin, '/api/admin/practitioners?name=alex')).body.items[0];
    expect(alex).toMatchObject({ name: 'Dr Alex Demo', user: { role: 'admin', pending: false } });
  });

  it('pages through the whole list with the cursor the EHR gave, never a URL from the browser', async () => {
    const seen: string[] = [];
    let page = await get(admin, '/api/admin/practitioners?count=2');
    for (let i = 0; i < 10; i++) {
      expect(page.status).toBe(200);
      seen.push(...page.body.items.map((p: { fhirUser: string }) => p.fhirUser));
      if (!page.body.next) break;
      expect(page.body.next).not.toMatch(/https?:|\//);
      page = await get(admin, `/api/admin/practitioners?cursor=${encodeURIComponent(page.body.next)}`);
    }
    expect(seen.sort()).toEqual(['sbx-prac-1', 'sbx-prac-2', 'sbx-prac-3', 'sbx-prac-4', 'sbx-prac-5'].map((id) => `Practitioner/${id}`));
    expect((await get(admin, '/api/admin/practitioners?cursor=aHR0cHM6Ly9ldmlsLmV4YW1wbGU')).status).toBe(400);
  });

  it('gives a practitioner a role before their first sign-in; their first launch picks it up', async () => {
    const created = await post(admin, '/api/admin/users', { fhirUser: 'Practitioner/sbx-prac-2', role: 'coordinator' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ fhirUser: 'Practitioner/sbx-prac-2', role: 'coordinator', displayName: 'Robin Mockwell', pending: true, lastSignInAt: null });
    const [row] = await t.app.get(DataSource).query(`SELECT actor, detail FROM audit_event WHERE action = 'user.create' AND resource_id = $1`, [created.body.id]);
    expect(row).toEqual({ actor: 'Practitioner/sbx-prac-3', detail: { fhirUser: 'Practitioner/sbx-prac-2', role: 'coordinator', pending: true } });
    expect((await get(admin, '/api/admin/practitioners?name=robin')).body.items[0].user).toMatchObject({ role: 'coordinator', pending: true });

    const robin = await launch('Practitioner/sbx-prac-2');
    expect((await get(robin, '/api/context')).body.user).toMatchObject({ role: 'coordinator', fhirUser: 'Practitioner/sbx-prac-2', displayName: 'Robin Mockwell' });
    const listed = (await get(admin, '/api/admin/users')).body.find((u: { id: string }) => u.id === created.body.id);
    expect(listed).toMatchObject({ role: 'coordinator', pending: false });
  });

  it('refuses a second role for the same person (409), a practitioner the EHR does not have (404), a non-staff role (400)', async () => {
    const again = await post(admin, '/api/admin/users', { fhirUser: 'Practitioner/sbx-prac-2', role: 'quality' });
    expect(again.status).toBe(409);
    expect(again.body.issue[0].diagnostics).toMatch(/Robin Mockwell is already a user/);
    expect((await post(admin, '/api/admin/users', { fhirUser: 'Practitioner/nobody-here', role: 'quality' })).status).toBe(404);
    expect((await post(admin, '/api/admin/users', { fhirUser: 'Practitioner/sbx-prac-4', role: 'patient' })).status).toBe(400);
    expect((await post(admin, '/api/admin/users', { fhirUser: 'Patient/sbx-pat-1', role: 'clinician' })).status).toBe(400);
    expect((await post(admin, '/api/admin/users', { fhirUser: 'Practitioner/sbx-prac-4', role: 'quality' }, 'wrong')).status).toBe(403);
  });

  it("searches with the admin's own token: an EHR that did not grant it the directory answers 403, and so do we", async () => {
    const registry = t.app.get(RegistryService);
    const reg = await sandbox();
    await registry.update(reg.id, { scopes: 'patient/Patient.r' }, { actor: 'test', actorRole: 'admin' });
    try {
      const narrow = await launch('Practitioner/sbx-prac-3');
      const res = await get(narrow, '/api/admin/practitioners?name=mock');
      expect(res.status).toBe(403);
      expect(res.body.issue[0]).toMatchObject({ code: 'forbidden', details: { coding: [{ code: 'FHIR.FORBIDDEN' }] } });
    } finally {
      await registry.update(reg.id, { scopes: null }, { actor: 'test', actorRole: 'admin' });
    }
  });
});
