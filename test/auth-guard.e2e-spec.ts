import { Controller, Get } from '@nestjs/common';
import request from 'supertest';
import { SessionJanitor } from '../src/smart/session/session-janitor.js';
import { DataSource } from 'typeorm';
import { createTestApp, type TestApp } from './support/test-app.js';
import { signIn, type SignedIn } from './support/sign-in.js';

/** The API's one gate: roles per route, sessions from the cookie only, CSRF on writes, every refusal audited. */
describe('the auth guard', () => {
  let t: TestApp;
  let admin: SignedIn;
  let clinician: SignedIn;
  let quality: SignedIn;
  const server = () => t.app.getHttpServer();
  // The guard writes `access.denied`; a refused read of patient data is written as that read (`patient.read`), denied.
  const denials = async () =>
    (await t.app.get(DataSource).query(`SELECT count(*)::int AS n FROM audit_event WHERE outcome = 'denied'`))[0].n as number;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await signIn(t.app, { role: 'admin' });
    clinician = await signIn(t.app, { role: 'clinician', patientId: 'pat-1' });
    quality = await signIn(t.app, { role: 'quality' });
  });
  afterAll(async () => t?.close());

  it('answers 401 without a session, and audits it', async () => {
    const before = await denials();
    const res = await request(server()).get('/api/admin/registrations').expect(401);
    expect(res.body.issue[0].details.coding[0].code).toBe('AUTH.UNAUTHENTICATED');
    expect(await denials()).toBe(before + 1);
  });

  it('ignores a bearer token or a forged cookie', async () => {
    await request(server()).get('/api/admin/registrations').set('Authorization', 'Bearer anything').expect(401);
    await request(server()).get('/api/admin/registrations').set('Cookie', 'als_session=forged-value').expect(401);
  });

  it.each([
    ['clinician', 'GET', '/api/admin/registrations'],
    ['quality', 'GET', '/api/admin/users'],
    ['clinician', 'GET', '/api/admin/users'],
  ])('refuses a %s calling %s %s with 403, audited', async (who, method, path) => {
    const s = who === 'clinician' ? clinician : quality;
    const before = await denials();
    const res = await request(server())[method.toLowerCase() as 'get'](path).set('Cookie', s.cookie).expect(403);
    expect(res.body.issue[0].details.coding[0].code).toBe('AUTH.FORBIDDEN');
    expect(await denials()).toBe(before + 1);
  });

  it('lets an admin list registrations, never showing a client secret', async () => {
    const res = await request(server()).get('/api/admin/registrations').set('Cookie', admin.cookie).expect(200);
    const test = res.body.find((r: { issuer: string }) => r.issuer === 'https://ehr.test/fhir');
    expect(test.hasClientSecret).toBe(true);
    expect(JSON.stringify(res.body)).not.toContain('test-secret-123');
    expect(JSON.stringify(res.body)).not.toMatch(/client_?secret_?enc/i);
  });

  it('refuses a state-changing call without the CSRF token', async () => {
    const body = { issuer: 'https://other-ehr.test/fhir', name: 'Other', clientId: 'c', clientAuth: 'private_key_jwt' };
    const res = await request(server()).post('/api/admin/registrations').set('Cookie', admin.cookie).send(body).expect(403);
    expect(res.body.issue[0].details.coding[0].code).toBe('AUTH.CSRF');
    await request(server()).post('/api/admin/registrations').set('Cookie', admin.cookie).set('X-CSRF-Token', admin.csrf).send(body).expect(201);
  });

  it('validates a registration and audits every change', async () => {
    const bad = await request(server())
      .post('/api/admin/registrations')
      .set('Cookie', admin.cookie)
      .set('X-CSRF-Token', admin.csrf)
      .send({ issuer: 'not a url', name: '', clientId: 'c', clientAuth: 'client_secret_basic' })
      .expect(400);
    expect(bad.body.issue.map((i: { expression?: string[] }) => i.expression?.[0])).toEqual(expect.arrayContaining(['issuer', 'name']));
    const list = await request(server()).get('/api/admin/registrations').set('Cookie', admin.cookie).expect(200);
    const other = list.body.find((r: { issuer: string }) => r.issuer === 'https://other-ehr.test/fhir');
    await request(server()).post(`/api/admin/registrations/${other.id}/disable`).set('Cookie', admin.cookie).set('X-CSRF-Token', admin.csrf).expect(201);
    const rows = await t.app.get(DataSource).query(`SELECT action FROM audit_event WHERE resource_id = $1 ORDER BY occurred_at`, [other.id]);
    expect(rows.map((r: { action: string }) => r.action)).toEqual(['registry.create', 'registry.disable']);
  });

  it('lets an admin change a role, and refuses a staff role for a patient', async () => {
    const users = (await request(server()).get('/api/admin/users').set('Cookie', admin.cookie).expect(200)).body;
    const q = users.find((u: { role: string }) => u.role === 'quality');
    await request(server()).patch(`/api/admin/users/${q.id}`).set('Cookie', admin.cookie).set('X-CSRF-Token', admin.csrf).send({ role: 'coordinator' }).expect(200);
    const patient = await signIn(t.app, { role: 'patient', patientId: 'pat-7' });
    await request(server()).patch(`/api/admin/users/${patient.userId}`).set('Cookie', admin.cookie).set('X-CSRF-Token', admin.csrf).send({ role: 'admin' }).expect(400);
  });

  it('ends a session whose access token expired and cannot be refreshed: 401 telling the user to relaunch', async () => {
    const stale = await signIn(t.app, { role: 'admin', accessExpiresIn: -60 });
    const res = await request(server()).get('/api/admin/users').set('Cookie', stale.cookie).expect(401);
    expect(res.body.issue[0].details.coding[0].code).toBe('AUTH.SESSION_EXPIRED');
    expect(res.body.issue[0].diagnostics).toMatch(/relaunch/i);
    await request(server()).get('/api/admin/users').set('Cookie', stale.cookie).expect(401);
    const [{ n }] = await t.app.get(DataSource).query(`SELECT count(*)::int AS n FROM audit_event WHERE action = 'smart.token-refresh' AND outcome = 'failure'`);
    expect(n).toBe(1);
  });

  it('logs out: the cookie stops working', async () => {
    const s = await signIn(t.app, { role: 'coordinator' });
    await request(server()).post('/smart/logout').set('Cookie', s.cookie).expect(403);
    await request(server()).post('/smart/logout').set('Cookie', s.cookie).set('X-CSRF-Token', s.csrf).expect(204);
    await request(server()).get('/api/admin/users').set('Cookie', s.cookie).expect(401);
  });

  it('publishes our public signing key, and only the public half', async () => {
    const res = await request(server()).get('/.well-known/jwks.json').expect(200);
    expect(res.body.keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS384', use: 'sig' });
    expect(res.body.keys[0].d).toBeUndefined();
  });

  it('refuses a clinician asking for a patient other than the one in context, audited', async () => {
    const before = await denials();
    const res = await request(server()).get('/api/patients/pat-2').set('Cookie', clinician.cookie).expect(403);
    expect(res.body.issue[0].details.coding[0].code).toBe('AUTH.PATIENT_NOT_IN_CONTEXT');
    expect(await denials()).toBe(before + 1);
    await request(server()).get('/api/patients/pat-1').set('Cookie', admin.cookie).expect(403);
  });
});

@Controller('api/zz-undeclared')
class UndeclaredController {
  @Get()
  open() {
    return { reached: true };
  }
}

describe('the auth guard, failing closed', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ extra: { controllers: [UndeclaredController] } });
  });
  afterAll(async () => t?.close());

  it('refuses an /api route that declares no roles, whatever the case of its path', async () => {
    const admin = await signIn(t.app, { role: 'admin' });
    for (const path of ['/api/zz-undeclared', '/API/zz-undeclared', '/Api/zz-undeclared/']) {
      await request(t.app.getHttpServer()).get(path).expect(401);
      await request(t.app.getHttpServer()).get(path).set('Cookie', admin.cookie).expect(403);
    }
  });

  it('marks API answers as not cacheable', async () => {
    const admin = await signIn(t.app, { role: 'admin' });
    const res = await request(t.app.getHttpServer()).get('/api/admin/users').set('Cookie', admin.cookie).expect(200);
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('sweeps abandoned launches and long-ended sessions', async () => {
    const ds = t.app.get(DataSource);
    const s = await signIn(t.app, { role: 'coordinator' });
    await ds.query(`INSERT INTO smart_launch_state (key_hash, data_enc, expires_at) VALUES ('old', 'x', now() - interval '1 hour'), ('fresh', 'y', now() + interval '5 minutes')`);
    await ds.query(`UPDATE app_session SET expires_at = now() - interval '2 days' WHERE user_id = $1`, [s.userId]);
    await t.app.get(SessionJanitor).sweep();
    expect((await ds.query(`SELECT key_hash FROM smart_launch_state ORDER BY key_hash`)).map((r: { key_hash: string }) => r.key_hash)).toEqual(['fresh']);
    expect((await ds.query(`SELECT count(*)::int AS n FROM app_session WHERE user_id = $1`, [s.userId]))[0].n).toBe(0);
  });
});
