import { jest } from '@jest/globals';
import type { OperationOutcome } from 'fhir/r4.js';
import type { Response } from 'supertest';
import { DataSource } from 'typeorm';
import { SystemTokenService } from '../src/smart/backend/system-token.service.js';
import { sandboxIssuer } from '../src/sandbox/sandbox-registration.js';
import { apiAs } from './programs-support/program-api.js';
import { freePort } from './support/service-process.js';
import { signIn, type SignedIn } from './support/sign-in.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const SYSTEM_SCOPES = 'system/ServiceRequest.cru system/Task.cru system/Provenance.cr';
const SECRET = 'basic-secret-never-shown';

/**
 * An admin's "check connection" before the clinic relies on write-back: against the sandbox EHR it passes
 * step by step; a wrong client, a token endpoint that is down, and registrations that cannot do backend
 * services at all are each told apart, as an OperationOutcome naming what to fix. Nothing secret leaks.
 */
describe('check connection of an EHR registration', () => {
  let t: TestApp;
  let adminWho: SignedIn;
  let admin: ReturnType<typeof apiAs>;
  let sandboxId: string;
  /** Every answer the API gave in this suite, and every system token issued, to prove none carries the other. */
  const answers: string[] = [];
  const issued: string[] = [];

  const check = async (id: string, as = admin): Promise<Response> => {
    const res = await as.post(`/api/admin/registrations/${id}/check`);
    answers.push(res.text);
    return res;
  };
  const register = async (body: Record<string, unknown>): Promise<string> => {
    const res = await admin.post('/api/admin/registrations', { frameAncestors: [], ...body });
    answers.push(res.text);
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  const outcome = (res: Response) => {
    expect(res.headers['content-type']).toMatch(/application\/fhir\+json/);
    expect(res.body.resourceType).toBe('OperationOutcome');
    return res.body as OperationOutcome;
  };
  /** The issue of one step, as the admin page reads it ("token: failed — …"). */
  const stepIssue = (o: OperationOutcome, step: string) => o.issue.find((i) => i.expression?.[0] === step);
  const checkAudits = async (id: string): Promise<string[]> =>
    (await t.app.get(DataSource).query(`SELECT outcome FROM audit_event WHERE action = 'registry.check' AND resource_id = $1 ORDER BY occurred_at`, [id])).map((r: { outcome: string }) => r.outcome);

  beforeAll(async () => {
    t = await createTestApp({ listen: true, fhir: { outboxWorker: false } });
    const issuer = sandboxIssuer(t.url);
    adminWho = await signIn(t.app, { role: 'admin', issuer });
    admin = apiAs(t, adminWho);
    const list = await admin.get('/api/admin/registrations').expect(200);
    sandboxId = list.body.find((r: { issuer: string }) => r.issuer === issuer).id;
    // Remember the tokens the check obtains, to prove none of them is ever shown.
    const tokens = t.app.get(SystemTokenService);
    const request = tokens.requestToken.bind(tokens);
    jest.spyOn(tokens, 'requestToken').mockImplementation(async (r) => {
      const got = await request(r);
      issued.push(got.token);
      return got;
    });
  }, 120_000); // the embedded database's migrations on a busy machine
  afterAll(async () => t?.close());

  it('passes every step against the sandbox EHR and tells which delivery mode write-backs will use', async () => {
    const res = await check(sandboxId);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ registrationId: sandboxId, fhirBaseUrl: sandboxIssuer(t.url), tokenEndpoint: `${t.url}/sandbox/auth/token`, writeBackAuth: 'system' });
    const results = Object.fromEntries(res.body.steps.map((s: { step: string; result: string }) => [s.step, s.result]));
    expect(results).toMatchObject({ discovery: 'ok', token: 'ok', capabilities: 'ok' });
    // The sandbox serves no Bundle/$validate: reported as skipped, not as a failure.
    expect(results['dry-run']).toBe('skipped');
    // In order; a step telling the delivery mode, where the service reports one, must pass too.
    expect(res.body.steps.map((s: { step: string }) => s.step).filter((s: string) => s !== 'delivery')).toEqual(['discovery', 'token', 'capabilities', 'dry-run']);
    expect(results.delivery ?? 'ok').toBe('ok');
    expect(res.body.steps.every((s: { detail: unknown }) => typeof s.detail === 'string' && s.detail.length > 0)).toBe(true);
    expect(res.body.delivery).toMatchObject({ mode: 'transaction', maxEntries: null, conditionalCreate: true, source: 'capability-statement' });
    expect(issued.length).toBeGreaterThan(0);
    expect(await checkAudits(sandboxId)).toEqual(['success']);
  });

  it.each([
    ['a Bundle size limit', 'limited', { maxEntries: 8 }, { mode: 'transaction', maxEntries: 8, conditionalCreate: true }],
    ['REST only', 'rest', { mode: 'individual' }, { mode: 'individual', maxEntries: null }],
  ])("applies the registration's delivery override (%s) to the mode it reports", async (_what, host, delivery, expected) => {
    const id = await register({
      issuer: `https://ehr-${host}.clinic.test/fhir`, name: `Override ${host}`, clientId: 'als-wellness', clientAuth: 'private_key_jwt', systemScopes: SYSTEM_SCOPES,
      fhirBaseUrl: sandboxIssuer(t.url), delivery,
    });
    const res = await check(id);
    expect(res.status).toBe(200);
    expect(res.body.delivery).toMatchObject(expected);
  });

  it('names the token step when the EHR refuses our client (wrong client id)', async () => {
    const id = await register({
      issuer: 'https://ehr-wrong-client.clinic.test/fhir', name: 'Wrong client', clientId: 'als-wellness', clientAuth: 'private_key_jwt', systemScopes: SYSTEM_SCOPES,
      fhirBaseUrl: sandboxIssuer(t.url), systemClientId: 'not-a-client-of-this-ehr',
    });
    const res = await check(id);
    expect(res.status).toBe(422);
    const o = outcome(res);
    const token = stepIssue(o, 'token');
    expect(token).toMatchObject({ severity: 'error', code: 'business-rule' });
    expect(token!.diagnostics).toMatch(/^token: failed — The token endpoint refused our client \(HTTP 401/);
    expect(token!.details?.text).toBe(token!.diagnostics);
    expect(stepIssue(o, 'discovery')).toMatchObject({ code: 'informational', diagnostics: expect.stringMatching(/^discovery: ok/) });
    // Nothing after the failed step was tried.
    expect(o.issue.map((i) => i.expression?.[0])).toEqual(['discovery', 'token']);
    expect(await checkAudits(id)).toEqual(['failure']);
  });

  it('answers 422 at the token step when the token endpoint does not answer (EHR down)', async () => {
    const closed = await freePort();
    const id = await register({
      issuer: 'https://ehr-down.clinic.test/fhir', name: 'EHR down', clientId: 'als-wellness', clientAuth: 'private_key_jwt', systemScopes: SYSTEM_SCOPES,
      fhirBaseUrl: sandboxIssuer(t.url), tokenEndpoint: `http://127.0.0.1:${closed}/token`,
    });
    const res = await check(id);
    expect(res.status).toBe(422);
    const token = stepIssue(outcome(res), 'token');
    expect(token).toMatchObject({ code: 'business-rule', diagnostics: 'token: failed — The token endpoint did not answer.' });
    expect(await checkAudits(id)).toEqual(['failure']);
  });

  it('answers 400 for a registration without backend services (client_secret_basic), naming what is missing', async () => {
    const id = await register({
      issuer: 'https://ehr-basic.clinic.test/fhir', name: 'Basic auth only', clientId: 'als-wellness-basic', clientAuth: 'client_secret_basic', clientSecret: SECRET,
      systemScopes: SYSTEM_SCOPES, fhirBaseUrl: sandboxIssuer(t.url),
    });
    const res = await check(id);
    expect(res.status).toBe(400);
    const [issue] = outcome(res).issue;
    expect(issue).toMatchObject({ severity: 'error', code: 'invalid' });
    expect(issue.diagnostics).toMatch(/backend-services access \(private_key_jwt and system scopes\)/);
    expect(issue.details?.coding?.[0].code).toBe('REGISTRY.WRITE_BACK_UNCONFIGURED');
  });

  it('answers 400 for a private_key_jwt registration that asks for no system scopes', async () => {
    const id = await register({ issuer: 'https://ehr-noscope.clinic.test/fhir', name: 'No system scopes', clientId: 'als-wellness', clientAuth: 'private_key_jwt', fhirBaseUrl: sandboxIssuer(t.url) });
    const res = await check(id);
    expect(res.status).toBe(400);
    expect(outcome(res).issue[0].diagnostics).toMatch(/system scopes/);
  });

  it('answers 400 for a wildcard issuer that names no write-back FHIR base', async () => {
    const id = await register({ issuer: 'https://launcher.clinic.test/v/r4/*', name: 'Launcher', clientId: 'als-wellness', clientAuth: 'private_key_jwt', systemScopes: SYSTEM_SCOPES });
    const res = await check(id);
    expect(res.status).toBe(400);
    const [issue] = outcome(res).issue;
    expect(issue.diagnostics).toMatch(/name the FHIR base write-backs go to \(fhirBaseUrl\)/);
  });

  it('refuses a registration without backend services before any network call (its EHR down or not), and audits the refusal', async () => {
    const id = await register({
      issuer: 'https://ehr-basic-down.clinic.test/fhir', name: 'Basic, unreachable', clientId: 'als-basic-2', clientAuth: 'client_secret_basic', clientSecret: SECRET,
      fhirBaseUrl: 'http://127.0.0.1:9/fhir',
    });
    const res = await check(id);
    expect(res.status).toBe(400);
    expect(outcome(res).issue[0].diagnostics).toMatch(/no backend-services access/);
    expect(await checkAudits(id)).toEqual(['failure']);
  });

  it('marks the steps that passed as information, not as errors, in a 422', async () => {
    const id = await register({ issuer: 'https://ehr-closed2.clinic.test/fhir', name: 'Closed port 2', clientId: 'als-wellness', clientAuth: 'private_key_jwt', systemScopes: SYSTEM_SCOPES, tokenEndpoint: 'http://127.0.0.1:9/token' });
    const res = await check(id);
    expect(res.status).toBe(422);
    const issues = outcome(res).issue;
    expect(issues.filter((i) => i.severity === 'error').map((i) => i.expression?.[0])).toEqual(['token']);
    expect(stepIssue(outcome(res), 'discovery')?.severity).toBe('information');
  });

  it('answers 404 for an unknown registration, and 403 to anyone but an admin', async () => {
    const unknown = await check('00000000-0000-4000-8000-000000000000');
    expect(unknown.status).toBe(404);
    expect(outcome(unknown).issue[0].code).toBe('not-found');
    expect((await check('not-a-uuid')).status).toBe(404);

    const coordinator = apiAs(t, await signIn(t.app, { role: 'coordinator', issuer: sandboxIssuer(t.url) }));
    const refused = await check(sandboxId, coordinator);
    expect(refused.status).toBe(403);
    expect(outcome(refused).issue[0].code).toBe('forbidden');
    // A forged request (no CSRF token) is refused before any step runs.
    const forged = await t.app.get(DataSource).query(`SELECT count(*)::int AS n FROM audit_event WHERE action = 'registry.check'`);
    const res = await apiAs(t, { ...adminWho, csrf: 'wrong' }).post(`/api/admin/registrations/${sandboxId}/check`);
    answers.push(res.text);
    expect(res.status).toBe(403);
    expect(outcome(res).issue[0].code).toBe('security');
    expect(await t.app.get(DataSource).query(`SELECT count(*)::int AS n FROM audit_event WHERE action = 'registry.check'`)).toEqual(forged);
  });

  it('never shows a secret, a token or the session in any answer', () => {
    expect(answers.length).toBeGreaterThan(10);
    const all = answers.join('\n');
    for (const token of issued) expect(all).not.toContain(token);
    expect(all).not.toContain(SECRET);
    expect(all).not.toContain(adminWho.csrf);
    expect(all).not.toContain(adminWho.cookie.split('=')[1]);
    expect(all).not.toMatch(/Bearer|access_token|client_assertion|eyJ[A-Za-z0-9_-]{10,}/);
  });
});
