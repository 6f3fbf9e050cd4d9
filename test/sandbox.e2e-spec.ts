import type { Resource, Bundle, Observation, Patient, ServiceRequest, Task } from 'fhir/r4.js';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { sandboxMigrations } from '../src/sandbox/migrations/index.js';
import { SandboxResource } from '../src/sandbox/sandbox-resource.entity.js';
import { SandboxControl } from '../src/sandbox/sandbox-control.js';
import { MRN_SYSTEM } from '../src/sandbox/seed.js';
import { sandboxAccessToken } from './support/sandbox-auth.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const ERROR_SYSTEM = 'urn:als-wellness:error-code';
const FHIR = 'application/fhir+json';

function expectOutcome(res: request.Response, status: number, code: string): void {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/fhir\+json/);
  expect(res.body.resourceType).toBe('OperationOutcome');
  expect(res.body.issue[0].details.coding[0]).toEqual({ system: ERROR_SYSTEM, code });
}

function observation(patient: string, code: string, effective: string, status = 'final'): Observation {
  return {
    resourceType: 'Observation',
    status: status as Observation['status'],
    category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'survey' }] }],
    code: { coding: [{ system: 'urn:test:codes', code }] },
    subject: { reference: `Patient/${patient}` },
    effectiveDateTime: effective,
    valueInteger: 7,
  };
}

describe('the sandbox EHR: FHIR API', () => {
  let t: TestApp;
  let token: string;
  const server = () => t.app.getHttpServer();
  const fhir = () => ({
    get: (path: string) => request(server()).get(`/sandbox/fhir${path}`).set('Authorization', `Bearer ${token}`),
    post: (path: string, body: unknown) =>
      request(server()).post(`/sandbox/fhir${path}`).set('Authorization', `Bearer ${token}`).set('Content-Type', FHIR).send(JSON.stringify(body)),
    put: (path: string, body: unknown) =>
      request(server()).put(`/sandbox/fhir${path}`).set('Authorization', `Bearer ${token}`).set('Content-Type', FHIR).send(JSON.stringify(body)),
  });

  beforeAll(async () => {
    t = await createTestApp();
    token = await sandboxAccessToken(server(), t.url, 'launch openid fhirUser user/*.cruds');
  });
  afterEach(() => t.app.get(SandboxControl).reset());
  afterAll(async () => t?.close());

  it('made its tables itself, with a migration history of its own, and the service\'s history lists none of them', async () => {
    const ds = t.app.get(DataSource);
    const history = await ds.query(`SELECT name FROM "sandbox_migrations"`);
    expect(history.map((r: { name: string }) => r.name)).toEqual(sandboxMigrations.map((M) => new M().name));
    const tables = await ds.query(`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = current_schema() AND table_name LIKE 'sandbox\\_%' AND table_name <> 'sandbox_migrations'`);
    expect(tables[0].n).toBe(8);
    expect(await ds.query(`SELECT name FROM "migrations" WHERE name ILIKE '%sandbox%' AND name <> 'SandboxLeavesProductSchema1795000010000'`)).toEqual([]);
    // Its entities are in the data source (forFeature) and agree with its migrations: see test/migrations.e2e-spec.ts.
    expect(ds.hasMetadata(SandboxResource)).toBe(true);
  });

  it('refuses requests without a valid Bearer token with 401 and a challenge', async () => {
    const none = await request(server()).get('/sandbox/fhir/Patient/sbx-pat-1');
    expectOutcome(none, 401, 'SANDBOX.UNAUTHENTICATED');
    expect(none.headers['www-authenticate']).toMatch(/^Bearer/);
    const bad = await request(server()).get('/sandbox/fhir/Patient/sbx-pat-1').set('Authorization', 'Bearer not-a-real-token');
    expectOutcome(bad, 401, 'SANDBOX.UNAUTHENTICATED');
    expect(bad.headers['www-authenticate']).toContain('invalid_token');
  });

  it('serves the seeded synthetic patients with MRNs', async () => {
    const res = await fhir().get('/Patient/sbx-pat-1').expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/fhir\+json/);
    expect(res.headers.etag).toBe('W/"1"');
    const patient = res.body as Patient;
    expect(patient.identifier?.[0]).toMatchObject({ system: MRN_SYSTEM, value: 'SBX-100001' });
    const search = await fhir().get(`/Patient?identifier=${encodeURIComponent(`${MRN_SYSTEM}|SBX-100004`)}`).expect(200);
    expect(search.body.total).toBe(1);
    expect(search.body.entry[0].resource.id).toBe('sbx-pat-4');
    const carers = await fhir().get('/RelatedPerson?patient=sbx-pat-1').expect(200);
    expect(carers.body.entry[0].resource.relationship[0].text).toBe('Spouse');
  });

  it('creates, reads, updates (new version), vreads and lists history', async () => {
    const created = await fhir().post('/Observation', { ...observation('sbx-pat-2', 'crud', '2025-03-01'), id: 'client-chosen' }).expect(201);
    const id = created.body.id as string;
    expect(id).not.toBe('client-chosen');
    expect(created.headers.location).toBe(`${t.url}/sandbox/fhir/Observation/${id}/_history/1`);
    expect(created.headers.etag).toBe('W/"1"');
    expect(created.body.meta.versionId).toBe('1');

    const updated = await fhir().put(`/Observation/${id}`, { ...created.body, valueInteger: 9 }).expect(200);
    expect(updated.headers.etag).toBe('W/"2"');
    expect((await fhir().get(`/Observation/${id}`).expect(200)).body.valueInteger).toBe(9);
    expect((await fhir().get(`/Observation/${id}/_history/1`).expect(200)).body.valueInteger).toBe(7);
    const history = (await fhir().get(`/Observation/${id}/_history`).expect(200)).body as Bundle;
    expect(history.type).toBe('history');
    expect(history.entry?.map((e) => e.resource?.meta?.versionId)).toEqual(['2', '1']);

    expectOutcome(await fhir().put(`/Observation/${id}`, created.body).set('If-Match', 'W/"1"'), 412, 'SANDBOX.VERSION_CONFLICT');
    expectOutcome(await fhir().get(`/Observation/${id}/_history/7`), 404, 'SANDBOX.NOT_FOUND');
  });

  it('creates on update of an unknown id, and refuses bodies that are not the resource the URL names', async () => {
    const res = await fhir().put('/Observation/obs-put-create', { ...observation('sbx-pat-2', 'put', '2025-03-02'), id: 'obs-put-create' }).expect(201);
    expect(res.headers.location).toContain('/Observation/obs-put-create/_history/1');
    expectOutcome(await fhir().post('/Observation', { hello: 'world' }), 400, 'SANDBOX.INVALID_RESOURCE');
    expectOutcome(await fhir().post('/Observation', { resourceType: 'Patient' }), 400, 'SANDBOX.INVALID_RESOURCE');
    expectOutcome(await fhir().put('/Observation/a', { resourceType: 'Observation', id: 'b' }), 400, 'SANDBOX.INVALID_RESOURCE');
    expectOutcome(await fhir().get('/Observation/does-not-exist'), 404, 'SANDBOX.NOT_FOUND');
    expectOutcome(await fhir().get('/Spaceship/1'), 404, 'SANDBOX.NOT_FOUND');
  });

  it('conditional create: twice with the same identifier gives one resource and no new version', async () => {
    const task: Task = { resourceType: 'Task', status: 'requested', intent: 'order', identifier: [{ system: 'urn:test:task', value: 'cc-1' }], for: { reference: 'Patient/sbx-pat-3' } };
    const criteria = 'identifier=urn:test:task|cc-1';
    const first = await fhir().post('/Task', task).set('If-None-Exist', criteria).expect(201);
    const second = await fhir().post('/Task', { ...task, status: 'accepted' }).set('If-None-Exist', criteria).expect(200);
    expect(second.body.id).toBe(first.body.id);
    expect(second.body.meta.versionId).toBe('1');
    expect(second.body.status).toBe('requested');
    expect((await fhir().get('/Task?identifier=urn:test:task|cc-1').expect(200)).body.total).toBe(1);

    await fhir().post('/Task', { ...task, identifier: [{ system: 'urn:test:task', value: 'dup' }] }).expect(201);
    await fhir().post('/Task', { ...task, identifier: [{ system: 'urn:test:task', value: 'dup' }] }).expect(201);
    expectOutcome(await fhir().post('/Task', task).set('If-None-Exist', 'identifier=urn:test:task|dup'), 412, 'SANDBOX.MULTIPLE_MATCHES');
  });

  it('searches by patient, code, status and date, sorts and pages with an opaque token', async () => {
    for (let i = 1; i <= 5; i++) await fhir().post('/Observation', observation('sbx-pat-4', 'paged', `2025-04-0${i}`, i === 5 ? 'preliminary' : 'final')).expect(201);
    const page1 = (await fhir().get('/Observation?patient=Patient/sbx-pat-4&code=urn:test:codes|paged&_count=2').expect(200)).body as Bundle;
    expect(page1).toMatchObject({ type: 'searchset', total: 5 });
    expect(page1.entry).toHaveLength(2);
    const next = page1.link?.find((l) => l.relation === 'next')?.url;
    expect(next).toMatch(new RegExp(`^${t.url}/sandbox/fhir/Observation\\?.*_page=`));
    const page2 = (await fhir().get(next!.slice(`${t.url}/sandbox/fhir`.length)).expect(200)).body as Bundle;
    expect(page2.entry).toHaveLength(2);
    expect(page2.entry![0].resource!.id).not.toBe(page1.entry![0].resource!.id);

    const newest = (await fhir().get('/Observation?subject=Patient/sbx-pat-4&_sort=-_lastUpdated&_count=1').expect(200)).body as Bundle;
    expect((newest.entry![0].resource as Observation).effectiveDateTime).toBe('2025-04-05');
    expect((await fhir().get('/Observation?patient=sbx-pat-4&status=preliminary').expect(200)).body.total).toBe(1);
    expect((await fhir().get('/Observation?patient=sbx-pat-4&date=ge2025-04-03&date=lt2025-04-05').expect(200)).body.total).toBe(2);
    expect((await fhir().get('/Observation?patient=sbx-pat-4&date=2025-04-02').expect(200)).body.total).toBe(1);
    expectOutcome(await fhir().get('/Observation?name=x'), 400, 'SANDBOX.INVALID_SEARCH');
  });

  it('processes a transaction Bundle: urn:uuid references, ifNoneExist, all or nothing', async () => {
    const bundle = (suffix: string): Bundle => ({
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        {
          fullUrl: 'urn:uuid:9d8c0f5e-0000-4000-8000-000000000001',
          resource: { resourceType: 'ServiceRequest', status: 'active', intent: 'order', subject: { reference: 'Patient/sbx-pat-1' }, identifier: [{ system: 'urn:test:sr', value: `sr-${suffix}` }] } as ServiceRequest,
          request: { method: 'POST', url: 'ServiceRequest', ifNoneExist: `identifier=urn:test:sr|sr-${suffix}` },
        },
        {
          fullUrl: 'urn:uuid:9d8c0f5e-0000-4000-8000-000000000002',
          resource: { resourceType: 'Task', status: 'requested', intent: 'order', for: { reference: 'Patient/sbx-pat-1' }, focus: { reference: 'urn:uuid:9d8c0f5e-0000-4000-8000-000000000001' } } as Task,
          request: { method: 'POST', url: 'Task' },
        },
        {
          resource: { resourceType: 'Observation', id: `tx-obs-${suffix}`, status: 'final', code: { text: 'x' }, subject: { reference: 'Patient/sbx-pat-1' }, derivedFrom: [{ reference: 'urn:uuid:9d8c0f5e-0000-4000-8000-000000000001' }] } as Observation,
          request: { method: 'PUT', url: `Observation/tx-obs-${suffix}` },
        },
      ],
    });
    const res = await fhir().post('', bundle('a')).expect(200);
    const out = res.body as Bundle;
    expect(out.type).toBe('transaction-response');
    expect(out.entry?.map((e) => e.response?.status)).toEqual(['201 Created', '201 Created', '201 Created']);
    const srRef = out.entry![0].response!.location!.replace(`${t.url}/sandbox/fhir/`, '').replace(/\/_history\/\d+$/, '');
    const taskUrl = out.entry![1].response!.location!.replace(`${t.url}/sandbox/fhir`, '').replace(/\/_history\/\d+$/, '');
    expect((await fhir().get(taskUrl).expect(200)).body.focus.reference).toBe(srRef);
    expect((await fhir().get(`/Task?focus=${srRef}`).expect(200)).body.total).toBe(1);
    expect((await fhir().get('/Observation/tx-obs-a').expect(200)).body.derivedFrom[0].reference).toBe(srRef);

    const again = (await fhir().post('', bundle('a')).expect(200)).body as Bundle;
    expect(again.entry?.map((e) => e.response?.status)).toEqual(['200 OK', '201 Created', '200 OK']);
    expect(again.entry![0].response!.location).toBe(out.entry![0].response!.location);

    const broken = bundle('b');
    broken.entry!.push({ resource: { resourceType: 'Patient' }, request: { method: 'PUT', url: 'Observation/oops' } });
    expectOutcome(await fhir().post('', broken), 400, 'SANDBOX.INVALID_RESOURCE');
    expect((await fhir().get('/ServiceRequest?identifier=urn:test:sr|sr-b').expect(200)).body.total).toBe(0);
  });

  it('applies conditional updates (PUT Type?identifier=…) in a transaction and finds resources by _tag', async () => {
    const tx = (status: Task['status']): Bundle => ({
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        {
          fullUrl: 'urn:uuid:9d8c0f5e-0000-4000-8000-0000000000a1',
          resource: { resourceType: 'Task', status, intent: 'order', for: { reference: 'Patient/sbx-pat-2' }, identifier: [{ system: 'urn:test:cu', value: 'cu-1' }] } as Task,
          request: { method: 'PUT', url: 'Task?identifier=urn:test:cu|cu-1' },
        },
        {
          resource: { resourceType: 'Provenance', meta: { tag: [{ system: 'urn:test:prov', code: `p-${status}` }] }, recorded: '2025-01-01T00:00:00Z', target: [{ reference: 'urn:uuid:9d8c0f5e-0000-4000-8000-0000000000a1' }], agent: [{ who: { display: 'test' } }] } as unknown as Resource,
          request: { method: 'POST', url: 'Provenance', ifNoneExist: `_tag=urn:test:prov|p-${status}` },
        },
      ],
    });
    const first = (await fhir().post('', tx('requested')).expect(200)).body as Bundle;
    expect(first.entry?.map((e) => e.response?.status)).toEqual(['201 Created', '201 Created']);
    const second = (await fhir().post('', tx('accepted')).expect(200)).body as Bundle;
    expect(second.entry?.map((e) => e.response?.status)).toEqual(['200 OK', '201 Created']);
    const tasks = (await fhir().get('/Task?identifier=urn:test:cu|cu-1').expect(200)).body as Bundle;
    expect(tasks.total).toBe(1);
    expect(tasks.entry![0].resource).toMatchObject({ status: 'accepted', meta: { versionId: '2' } });
    const provs = (await fhir().get('/Provenance?_tag=urn:test:prov|p-accepted').expect(200)).body as Bundle;
    expect(provs.total).toBe(1);
    expect((provs.entry![0].resource as unknown as { target: { reference: string }[] }).target[0].reference).toBe(`Task/${tasks.entry![0].resource!.id}`);
    expect(((await fhir().post('', tx('accepted')).expect(200)).body as Bundle).entry?.[1].response?.status).toBe('200 OK');
  });

  it('rolls a transaction back when a later entry fails while writing', async () => {
    const patientToken = await sandboxAccessToken(server(), t.url, 'launch patient/*.cruds', { patient: 'sbx-pat-1' });
    const tx: Bundle = {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        { resource: { ...observation('sbx-pat-1', 'rollback', '2025-07-01'), identifier: [{ system: 'urn:test:obs', value: 'rb-1' }] }, request: { method: 'POST', url: 'Observation' } },
        { resource: observation('sbx-pat-2', 'rollback', '2025-07-01'), request: { method: 'POST', url: 'Observation' } },
      ],
    };
    const res = await request(server()).post('/sandbox/fhir').set('Authorization', `Bearer ${patientToken}`).set('Content-Type', FHIR).send(JSON.stringify(tx));
    expectOutcome(res, 403, 'SANDBOX.SCOPE_DENIED');
    expect((await fhir().get('/Observation?identifier=urn:test:obs|rb-1').expect(200)).body.total).toBe(0);
  });

  it('limits patient/ scopes to the launch patient and enforces read versus write', async () => {
    const patientToken = await sandboxAccessToken(server(), t.url, 'launch patient/*.rs patient/Observation.c', { patient: 'sbx-pat-1' });
    const as = (path: string) => request(server()).get(`/sandbox/fhir${path}`).set('Authorization', `Bearer ${patientToken}`);
    await as('/Patient/sbx-pat-1').expect(200);
    expectOutcome(await as('/Patient/sbx-pat-2'), 403, 'SANDBOX.SCOPE_DENIED');
    const all = (await as('/Patient').expect(200)).body as Bundle;
    expect(all.entry?.map((e) => e.resource?.id)).toEqual(['sbx-pat-1']);
    const conditions = (await as('/Condition').expect(200)).body as Bundle;
    expect(conditions.entry?.map((e) => e.resource?.id)).toEqual(['sbx-cond-1']);
    await as('/Practitioner/sbx-prac-1').expect(200);

    const post = (body: unknown) =>
      request(server()).post('/sandbox/fhir/Observation').set('Authorization', `Bearer ${patientToken}`).set('Content-Type', FHIR).send(JSON.stringify(body));
    await post(observation('sbx-pat-1', 'mine', '2025-05-01')).expect(201);
    expectOutcome(await post(observation('sbx-pat-2', 'theirs', '2025-05-01')), 403, 'SANDBOX.SCOPE_DENIED');
    const put = await request(server()).put('/sandbox/fhir/Observation/x1').set('Authorization', `Bearer ${patientToken}`).set('Content-Type', FHIR)
      .send(JSON.stringify(observation('sbx-pat-1', 'u', '2025-05-01')));
    expectOutcome(put, 403, 'SANDBOX.SCOPE_DENIED');
  });

  it('control: reject-writes answers 422, unavailable 503, slow adds a delay', async () => {
    const control = t.app.get(SandboxControl);
    control.set({ mode: 'reject-writes' });
    expectOutcome(await fhir().post('/Observation', observation('sbx-pat-2', 'rw', '2025-06-01')), 422, 'SANDBOX.WRITES_REJECTED');
    expectOutcome(await fhir().put('/Observation/rw', { resourceType: 'Observation', id: 'rw', status: 'final', code: { text: 'x' } }), 422, 'SANDBOX.WRITES_REJECTED');
    expectOutcome(await fhir().post('', { resourceType: 'Bundle', type: 'transaction', entry: [] }), 422, 'SANDBOX.WRITES_REJECTED');
    await fhir().get('/Patient/sbx-pat-1').expect(200);

    await request(server()).post('/sandbox/_control').send({ mode: 'unavailable' }).expect(200, { mode: 'unavailable', delayMs: 0, accessTokenTtlSeconds: 3600 });
    expectOutcome(await fhir().get('/Patient/sbx-pat-1'), 503, 'SANDBOX.UNAVAILABLE');
    expectOutcome(await request(server()).get('/sandbox/fhir/metadata'), 503, 'SANDBOX.UNAVAILABLE');

    await request(server()).post('/sandbox/_control').send({ mode: 'slow', delayMs: 300 }).expect(200);
    const started = Date.now();
    await fhir().get('/Patient/sbx-pat-1').expect(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);

    await request(server()).post('/sandbox/_control').send({ mode: 'ok' }).expect(200, { mode: 'ok', delayMs: 0, accessTokenTtlSeconds: 3600 });
    expectOutcome(await request(server()).post('/sandbox/_control').send({ mode: 'broken' }), 400, 'COMMON.VALIDATION');
  });

  it('launches only apps on its own origin (no open redirect carrying a launch)', async () => {
    const res = await request(server()).get('/sandbox/launch').query({ app: 'https://evil.example/x' });
    expect(res.status).toBe(400);
    expect(res.headers.location).toBeUndefined();
  });

  it('serves an accessible launcher page and starts EHR launches with defaults', async () => {
    const page = await request(server()).get('/sandbox').expect(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.text).toContain('<label for="user">');
    expect(page.text).toContain('<label for="patient">');
    expect(page.text).toContain('Dr Quinn Example — Neurologist');
    expect(page.text).not.toMatch(/<script/i);

    const res = await request(server()).get('/sandbox/launch').expect(302);
    const location = new URL(res.headers.location);
    expect(location.pathname).toBe('/smart/launch');
    expect(location.searchParams.get('iss')).toBe(`${t.url}/sandbox/fhir`);
    expect(location.searchParams.get('launch')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const custom = await request(server()).get('/sandbox/launch').query({ app: `${t.url}/smart/launch?x=1`, user: 'sbx-prac-2', patient: 'Patient/sbx-pat-1', encounter: 'sbx-enc-1' }).expect(302);
    expect(custom.headers.location.startsWith(`${t.url}/smart/launch?x=1&iss=`)).toBe(true);

    expectOutcome(await request(server()).get('/sandbox/launch?app=javascript:alert(1)'), 400, 'SANDBOX.LAUNCH_INVALID');
    expectOutcome(await request(server()).get('/sandbox/launch?patient=nobody'), 400, 'SANDBOX.LAUNCH_INVALID');
    expectOutcome(await request(server()).get('/sandbox/launch?patient=sbx-pat-2&encounter=sbx-enc-1'), 400, 'SANDBOX.LAUNCH_INVALID');
  });
});
