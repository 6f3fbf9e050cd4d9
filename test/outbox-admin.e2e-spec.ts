import request from 'supertest';
import { EhrSystemAuthorizer } from '../src/fhir/fhir-connection.js';
import { FakeEhr } from './support/fake-ehr.js';
import { FakeAuthorizer, outboxHelpers } from './support/outbox-fixtures.js';
import { signIn, type SignedIn } from './support/sign-in.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const ERROR_SYSTEM = 'urn:als-wellness:error-code';
const UNKNOWN = '00000000-0000-4000-8000-00000000dead';
const REFUSAL = { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'processing', diagnostics: 'Task.status: unknown code' }] };

describe('dead letters and the admin outbox API', () => {
  let t: TestApp;
  let ehr: FakeEhr;
  let h: ReturnType<typeof outboxHelpers>;
  let admin: SignedIn;
  let dead: { id: string; key: string };
  const authorizer = new FakeAuthorizer();
  const api = () => request(t.app.getHttpServer());
  const code = (res: request.Response) => res.body.issue?.[0]?.details?.coding?.[0];

  beforeAll(async () => {
    ehr = await FakeEhr.start();
    authorizer.baseUrl = ehr.baseUrl;
    t = await createTestApp({
      fhir: { outboxWorker: false, outboxBackoffBaseMs: 20, outboxBackoffCapMs: 80 },
      overrides: [{ provide: EhrSystemAuthorizer, useValue: authorizer }],
    });
    admin = await signIn(t.app, { role: 'admin' });
    h = outboxHelpers(t, () => admin.registrationId);
    dead = await h.enqueue('Patient/pD');
    ehr.intercept = (_b, k) => (k === dead.key ? { status: 422, body: REFUSAL } : undefined);
    await h.worker.drain();
  });
  afterAll(async () => {
    await t?.close();
    await ehr?.close();
  });

  it('sends a refused write (422) to the dead letters at once, with the EHR’s OperationOutcome', async () => {
    expect(await h.row(dead.id)).toMatchObject({ status: 'dead', attempts: 1, last_error: { status: 422, retryable: false, outcome: REFUSAL } });
  });

  it('does not let a dead letter block its patient’s later writes', async () => {
    const later = await h.enqueue('Patient/pD');
    await h.settle(async () => (await h.row(later.id)).status === 'delivered');
  });

  it('lists entries without clinical content, filtered and paged', async () => {
    const res = await api().get('/api/admin/outbox?status=dead').set('Cookie', admin.cookie).expect(200);
    expect(res.body.items).toEqual([expect.objectContaining({ id: dead.id, status: 'dead', kind: 'referral.created', lastError: expect.objectContaining({ outcome: REFUSAL }) })]);
    expect(res.body.items[0].bundle).toBeUndefined();
    expect(res.body.items[0].patientKey).toBeUndefined();
    const other = await api().get(`/api/admin/outbox?status=dead&registrationId=${UNKNOWN}`).set('Cookie', admin.cookie).expect(200);
    expect(other.body).toEqual({ items: [], nextCursor: null });

    for (let i = 0; i < 3; i++) await h.enqueue(`Patient/page-${i}`);
    const p1 = await api().get('/api/admin/outbox?limit=2').set('Cookie', admin.cookie).expect(200);
    expect(p1.body.items).toHaveLength(2);
    const p2 = await api().get(`/api/admin/outbox?limit=2&cursor=${p1.body.nextCursor}`).set('Cookie', admin.cookie).expect(200);
    expect(p2.body.items.map((i: { id: string }) => i.id)).not.toContain(p1.body.items[1].id);
    expect(Number(p2.body.items[0].seq)).toBeLessThan(Number(p1.body.items[1].seq));
  });

  it('shows one entry with its Bundle, and audits the read', async () => {
    const res = await api().get(`/api/admin/outbox/${dead.id}`).set('Cookie', admin.cookie).expect(200);
    expect(res.body).toMatchObject({ id: dead.id, patientKey: 'Patient/pD', status: 'dead', bundle: { resourceType: 'Bundle', type: 'transaction' } });
    const rows = await h.ds.query(`SELECT actor, actor_role, patient_id FROM audit_event WHERE action = 'outbox.read' AND resource_id = $1`, [dead.id]);
    expect(rows).toEqual([{ actor: expect.stringMatching(/^Practitioner\//), actor_role: 'admin', patient_id: 'pD' }]); // the bare id
  });

  it('retries a dead entry (audited), refuses to retry one that is not dead, and then delivers it', async () => {
    const res = await api().post(`/api/admin/outbox/${dead.id}/retry`).set('Cookie', admin.cookie).set('X-CSRF-Token', admin.csrf).expect(200);
    expect(res.body).toMatchObject({ id: dead.id, status: 'pending', attempts: 0 });
    expect(await h.ds.query(`SELECT 1 FROM audit_event WHERE action = 'outbox.retry' AND resource_id = $1`, [dead.id])).toHaveLength(1);
    const again = await api().post(`/api/admin/outbox/${dead.id}/retry`).set('Cookie', admin.cookie).set('X-CSRF-Token', admin.csrf);
    expect(again.status).toBe(409);
    expect(code(again)).toEqual({ system: ERROR_SYSTEM, code: 'COMMON.CONFLICT' });
    ehr.intercept = undefined; // the EHR's configuration was fixed
    await h.settle(async () => (await h.row(dead.id)).status === 'delivered');
    expect(ehr.delivered(dead.key)).toBe(1);
  });

  it.each([
    ['get', '/api/admin/outbox/not-a-uuid', 400, 'COMMON.VALIDATION'],
    ['get', `/api/admin/outbox/${UNKNOWN}`, 404, 'COMMON.NOT_FOUND'],
    ['post', `/api/admin/outbox/${UNKNOWN}/retry`, 404, 'COMMON.NOT_FOUND'],
    ['post', '/api/admin/outbox/1%20OR%201=1/retry', 400, 'COMMON.VALIDATION'],
    ['get', '/api/admin/outbox?status=lost', 400, 'COMMON.VALIDATION'],
    ['get', '/api/admin/outbox?limit=0', 400, 'COMMON.VALIDATION'],
    ['get', '/api/admin/outbox?limit=101', 400, 'COMMON.VALIDATION'],
    ['get', '/api/admin/outbox?cursor=abc', 400, 'COMMON.VALIDATION'],
    ['get', '/api/admin/outbox?registrationId=x', 400, 'COMMON.VALIDATION'],
    ['get', '/api/admin/outbox?sort=kind', 400, 'COMMON.VALIDATION'],
  ])('answers %s %s with %i %s', async (method, url, status, errorCode) => {
    const req = method === 'get' ? api().get(url) : api().post(url).set('X-CSRF-Token', admin.csrf);
    const res = await req.set('Cookie', admin.cookie);
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/fhir\+json/);
    expect(code(res)).toEqual({ system: ERROR_SYSTEM, code: errorCode });
  });

  it('is closed to anyone but an admin', async () => {
    expect((await api().get('/api/admin/outbox')).status).toBe(401);
    const clinician = await signIn(t.app, { role: 'clinician' });
    expect((await api().get(`/api/admin/outbox/${dead.id}`).set('Cookie', clinician.cookie)).status).toBe(403);
  });

  it('reports the queue in readiness without failing it, and as Prometheus metrics', async () => {
    const stuck = await h.enqueue('Patient/p-metrics');
    ehr.intercept = (_b, k) => (k === stuck.key ? { status: 400 } : undefined);
    await h.worker.drain();
    await h.enqueue('Patient/p-waiting');
    const ready = await api().get('/health/ready').expect(200);
    expect(ready.body.status).toBe('ok');
    expect(ready.body.details.outbox).toMatchObject({ status: 'up', dead: 1, depth: expect.any(Number), oldestPendingAgeSeconds: expect.any(Number) });
    expect(ready.body.details.outbox.depth).toBeGreaterThanOrEqual(1);
    const metrics = await api().get('/metrics').expect(200);
    expect(metrics.headers['content-type']).toMatch(/^text\/plain/);
    expect(metrics.text).toMatch(/^als_outbox_dead 1$/m);
    expect(metrics.text).toMatch(/^als_outbox_pending [1-9]\d*$/m);
    expect(metrics.text).toMatch(/^als_outbox_oldest_pending_seconds \d+$/m);
    expect(metrics.text).toContain('process_cpu_seconds_total');
  });

  it('documents the routes in OpenAPI', async () => {
    const doc = await api().get('/api/docs-json').set('Cookie', admin.cookie).expect(200);
    expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining(['/api/admin/outbox', '/api/admin/outbox/{id}', '/api/admin/outbox/{id}/retry', '/metrics']));
  });
});
