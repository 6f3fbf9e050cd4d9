import { DataSource } from 'typeorm';
import { RegistryService } from '../src/smart/registry/registry.service.js';
import { SessionService } from '../src/smart/session/session.service.js';
import { SandboxRegistration } from '../src/sandbox/sandbox-registration.js';
import { SandboxControl } from '../src/sandbox/sandbox-control.js';
import { TestBrowser, type Hop } from './support/browser.js';
import { createTestApp, type TestApp } from './support/test-app.js';

/**
 * SMART App Launch end to end over real HTTP: the sandbox EHR on one side, our service (fhirclient inside,
 * exactly as in production) on the other, a cookie-keeping browser in between.
 */
describe('SMART launch against the sandbox EHR', () => {
  let t: TestApp;
  let ds: DataSource;
  const audit = async (action: string, outcome?: string) =>
    (await ds.query(`SELECT count(*)::int AS n FROM audit_event WHERE action = $1 ${outcome ? 'AND outcome = $2' : ''}`, outcome ? [action, outcome] : [action]))[0].n as number;
  const issuer = () => `${t.url}/sandbox/fhir`;
  const isCallback = (u: string) => u.startsWith(`${t.url}/smart/callback`);

  /** Sandbox launcher → our /smart/launch → sandbox authorize (auto-approved) → stops before our callback. */
  async function launchUntilCallback(b: TestBrowser, query = ''): Promise<{ hops: Hop[]; callback: string }> {
    const hops = await b.navigate(`${t.url}/sandbox/launch${query}`, isCallback);
    const callback = hops.at(-1)!.location!;
    expect(isCallback(callback)).toBe(true);
    return { hops, callback };
  }

  /**
   * Ages every session's access token in the database, as another instance's clock would see it. The session cache
   * would see it within its lifetime (SESSION_CACHE_TTL_MS); the test makes this instance forget its copies now.
   */
  async function expireAccessTokens(): Promise<void> {
    await ds.query(`UPDATE app_session SET access_expires_at = now() - interval '1 minute'`);
    t.app.get(SessionService).forgetAll();
  }

  async function context(b: TestBrowser) {
    const res = await b.request(`${t.url}/api/context`);
    return { status: res.status, body: JSON.parse(res.body) };
  }

  beforeAll(async () => {
    t = await createTestApp({ listen: true });
    ds = t.app.get(DataSource);
  });
  afterAll(async () => t?.close());
  afterEach(() => t.app.get(SandboxControl).reset());

  it('runs an EHR launch: PKCE, state, nonce, verified id_token, a session cookie only, the patient read through the gateway', async () => {
    const b = new TestBrowser();
    const { hops, callback } = await launchUntilCallback(b, '?patient=sbx-pat-2');
    const authorize = new URL(hops.find((h) => h.url.startsWith(`${t.url}/smart/launch`))!.location!);
    expect(authorize.pathname).toBe('/sandbox/auth/authorize');
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('aud')).toBe(issuer());
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${t.url}/smart/callback`);
    expect(authorize.searchParams.get('nonce')).toBeTruthy();
    expect(authorize.searchParams.get('scope')).toContain('launch');
    expect(authorize.searchParams.get('scope')).not.toContain('launch/patient');

    const done = await b.request(callback);
    expect(done.status).toBe(303);
    expect(done.location).toBe(`${t.url}/app/`);
    expect(done.body).not.toMatch(/access_token|refresh_token|id_token/);
    expect(b.cookie(t.url, 'als_session')).toBeTruthy();

    const ctx = await context(b);
    expect(ctx.status).toBe(200);
    expect(ctx.body.user).toMatchObject({ role: 'clinician', fhirUser: 'Practitioner/sbx-prac-1' });
    expect(ctx.body.patient).toMatchObject({ id: 'sbx-pat-2' });
    expect(ctx.body.patient.name).toBeTruthy();
    expect(ctx.body.needPatientBanner).toBe(true);
    expect(ctx.body.ehr.issuer).toBe(issuer());
    expect(JSON.stringify(ctx.body)).not.toMatch(/access_token|refresh_token|Bearer/);
    expect(await audit('smart.signin', 'success')).toBeGreaterThan(0);

    // Tokens are sealed at rest: nothing in our tables looks like the sandbox's token.
    const rows = await ds.query(`SELECT tokens_enc FROM app_session`);
    for (const r of rows) expect(r.tokens_enc).toMatch(/^v1\./);
  });

  it('refuses to replay the callback (state is single-use)', async () => {
    const b = new TestBrowser();
    const { callback } = await launchUntilCallback(b);
    await b.request(callback);
    const replay = await b.request(callback);
    expect(replay.status).toBe(400);
    expect(JSON.parse(replay.body).issue[0].details.coding[0].code).toBe('SMART.STATE_INVALID');
  });

  it('refuses a callback that arrives without its launch cookie (another browser), audited', async () => {
    const b = new TestBrowser();
    const { callback } = await launchUntilCallback(b);
    const before = await audit('smart.signin', 'failure');
    const other = new TestBrowser();
    const res = await other.request(callback);
    expect(res.status).toBe(400);
    expect(res.location).toBeUndefined();
    expect(await audit('smart.signin', 'failure')).toBe(before + 1);
  });

  it('refuses a callback with a missing or unknown state', async () => {
    const b = new TestBrowser();
    const { callback } = await launchUntilCallback(b);
    const u = new URL(callback);
    u.searchParams.delete('state');
    expect((await b.request(u.href)).status).toBe(400);
    u.searchParams.set('state', 'not-a-state-we-made');
    expect((await b.request(u.href)).status).toBe(400);
  });

  it('fails the sign-in when the PKCE verifier does not match (the sandbox refuses the code)', async () => {
    const b = new TestBrowser();
    const launched = await b.navigate(`${t.url}/sandbox/launch`, (u) => u.includes('/sandbox/auth/authorize'));
    const authorize = new URL(launched.at(-1)!.location!);
    authorize.searchParams.set('code_challenge', 'A'.repeat(43)); // a challenge whose verifier we do not hold
    const hops = await b.navigate(authorize.href, isCallback);
    const res = await b.request(hops.at(-1)!.location!);
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body).issue[0].details.coding[0].code).toBe('SMART.TOKEN_EXCHANGE_FAILED');
    expect(b.cookie(t.url, 'als_session')).toBeUndefined();
  });

  it('refuses an unregistered iss with a 400 and no redirect anywhere, audited', async () => {
    const before = await audit('smart.launch', 'denied');
    const b = new TestBrowser();
    const res = await b.request(`${t.url}/smart/launch?iss=${encodeURIComponent('https://evil.example/fhir')}&launch=x`);
    expect(res.status).toBe(400);
    expect(res.location).toBeUndefined();
    expect(JSON.parse(res.body).issue[0].details.coding[0].code).toBe('SMART.UNKNOWN_ISSUER');
    expect(await audit('smart.launch', 'denied')).toBe(before + 1);
  });

  it('never honours fhirServiceUrl, clientId or patientId from the query', async () => {
    const b = new TestBrowser();
    const alone = await b.request(`${t.url}/smart/launch?fhirServiceUrl=${encodeURIComponent('https://evil.example/fhir')}`);
    expect(alone.status).toBe(400);
    expect(alone.location).toBeUndefined();

    const q = new URLSearchParams({ iss: issuer(), fhirServiceUrl: 'https://evil.example/fhir', clientId: 'evil-client', patientId: 'sbx-pat-4' });
    const res = await b.request(`${t.url}/smart/launch?${q}`);
    expect(res.status).toBe(302);
    const target = new URL(res.location!);
    expect(target.origin + target.pathname).toBe(`${t.url}/sandbox/auth/authorize`);
    expect(target.searchParams.get('client_id')).toBe('als-wellness');
    expect(target.searchParams.get('aud')).toBe(issuer());
    expect(res.location).not.toContain('evil');
    expect(res.location).not.toContain('sbx-pat-4');
  });

  it('runs a standalone launch for a coordinator (no patient asked for) and a patient (launch/patient)', async () => {
    const b = new TestBrowser();
    const staff = await b.request(`${t.url}/smart/launch?iss=${encodeURIComponent(issuer())}&workflow=coordinator`);
    const authorize = new URL(staff.location!);
    expect(authorize.searchParams.get('scope')).not.toContain('launch');
    const pageRes = await b.request(authorize.href);
    expect(pageRes.status).toBe(200);
    const requestId = /name="request_id" value="([^"]+)"/.exec(pageRes.body)![1];
    const form = new URLSearchParams({ request_id: requestId, user: 'Practitioner/sbx-prac-2', decision: 'approve' });
    const approved = await b.request(`${t.url}/sandbox/auth/approve`, { method: 'POST', body: form, headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
    expect(isCallback(approved.location!)).toBe(true);
    expect((await b.request(approved.location!)).status).toBe(303);
    const ctx = await context(b);
    expect(ctx.body.user.fhirUser).toBe('Practitioner/sbx-prac-2');
    expect(ctx.body.user.displayName).not.toMatch(/^Practitioner\//); // the id_token's name claim
    expect(ctx.body.patient).toBeNull();

    const p = new TestBrowser();
    const pl = await p.request(`${t.url}/smart/launch?iss=${encodeURIComponent(issuer())}&workflow=patient`);
    expect(new URL(pl.location!).searchParams.get('scope')).toContain('launch/patient');
    const pp = await p.request(pl.location!);
    const rid = /name="request_id" value="([^"]+)"/.exec(pp.body)![1];
    const pf = new URLSearchParams({ request_id: rid, user: 'Patient/sbx-pat-3', patient: 'Patient/sbx-pat-3', decision: 'approve' });
    const pa = await p.request(`${t.url}/sandbox/auth/approve`, { method: 'POST', body: pf, headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
    await p.request(pa.location!);
    const pctx = await context(p);
    expect(pctx.body.user.role).toBe('patient');
    expect(pctx.body.patient.id).toBe('sbx-pat-3');
    expect((await p.request(`${t.url}/api/patients/sbx-pat-1`)).status).toBe(403);
  });

  /** A caregiver's standalone launch on `patient` (RelatedPerson/sbx-rp-1 cares for sbx-pat-1), up to our callback's answer. */
  async function caregiverSignIn(patient: string, callbackHeaders: Record<string, string> = {}) {
    const b = new TestBrowser();
    const launch = await b.request(`${t.url}/smart/launch?iss=${encodeURIComponent(issuer())}&workflow=caregiver`);
    const page = await b.request(launch.location!);
    const rid = /name="request_id" value="([^"]+)"/.exec(page.body)![1];
    const form = new URLSearchParams({ request_id: rid, user: 'RelatedPerson/sbx-rp-1', patient, decision: 'approve' });
    const approved = await b.request(`${t.url}/sandbox/auth/approve`, { method: 'POST', body: form, headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
    return { b, done: await b.request(approved.location!, { headers: callbackHeaders }) };
  }
  const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

  it('signs a caregiver in on the patient their RelatedPerson names, and refuses another patient (403 PATIENT_NOT_ALLOWED)', async () => {
    const own = await caregiverSignIn('Patient/sbx-pat-1');
    expect(own.done.status).toBe(303);
    const ctx = await context(own.b);
    expect(ctx.body.user.role).toBe('caregiver');
    expect(ctx.body.patient.id).toBe('sbx-pat-1');
    const other = await caregiverSignIn('Patient/sbx-pat-3');
    expect(other.done.status).toBe(403);
    expect(JSON.parse(other.done.body).issue[0].details.coding[0].code).toBe('SMART.PATIENT_NOT_ALLOWED');
    expect(other.b.cookie(t.url, 'als_session')).toBeUndefined();
  });

  it("shows a person's browser a page in plain words (in Spanish when the browser prefers it) for a refused sign-in", async () => {
    const before = await audit('smart.signin', 'failure');
    const en = await caregiverSignIn('Patient/sbx-pat-3', { Accept: BROWSER_ACCEPT, 'Accept-Language': 'en-US,en;q=0.9' });
    expect(en.done.status).toBe(403);
    expect(en.done.body).toMatch(/^<!doctype html>/);
    expect(en.done.body).toContain('<html lang="en">');
    expect(en.done.body).toContain('<h1>You can open only the record of the person you care for</h1>');
    expect(en.done.body).toMatch(/open the app again from your portal, choosing the person you care for/);
    expect(en.done.body).toContain('SMART.PATIENT_NOT_ALLOWED');
    expect(en.done.body).not.toMatch(/OperationOutcome|resourceType|sbx-pat/);
    expect(en.b.cookie(t.url, 'als_session')).toBeUndefined();

    const es = await caregiverSignIn('Patient/sbx-pat-3', { Accept: BROWSER_ACCEPT, 'Accept-Language': 'es-MX,es;q=0.9,en;q=0.5' });
    expect(es.done.status).toBe(403);
    expect(es.done.body).toContain('<html lang="es">');
    expect(es.done.body).toContain('<h1>Solo puede abrir el expediente de la persona que cuida</h1>');
    expect(await audit('smart.signin', 'failure')).toBe(before + 2);

    // A replayed callback in a browser: the sign-in expired, open the app again (the status stays).
    const b = new TestBrowser();
    const { callback } = await launchUntilCallback(b);
    await b.request(callback);
    const replay = await b.request(callback, { headers: { Accept: BROWSER_ACCEPT } });
    expect(replay.status).toBe(400);
    expect(replay.body).toContain('<h1>This sign-in has expired</h1>');
    // And an EHR the app does not know, at launch.
    const unknown = await b.request(`${t.url}/smart/launch?iss=${encodeURIComponent('https://evil.example/fhir')}&launch=x`, { headers: { Accept: BROWSER_ACCEPT } });
    expect(unknown.status).toBe(400);
    expect(unknown.location).toBeUndefined();
    expect(unknown.body).toContain('<h1>The app is not set up for this EHR</h1>');
  });

  it("tells a browser whose EHR answered access_denied that access was not given (not the IT team's page), in English or Spanish", async () => {
    const b = new TestBrowser();
    const denied = `${t.url}/smart/callback?error=access_denied&state=any`;
    const en = await b.request(denied, { headers: { Accept: BROWSER_ACCEPT, 'Accept-Language': 'en' } });
    expect(en.status).toBe(400);
    expect(en.body).toContain('<h1>Access to the app was not given</h1>');
    expect(en.body).toMatch(/open the app again from the EHR or your portal and allow access/);
    expect(en.body).not.toMatch(/IT team \(with the code below\)/);
    const es = await b.request(denied, { headers: { Accept: BROWSER_ACCEPT, 'Accept-Language': 'es' } });
    expect(es.body).toContain('<h1>No se dio acceso a la aplicación</h1>');
    // Another error of the EHR's keeps the page that sends the person to IT.
    const other = await b.request(`${t.url}/smart/callback?error=server_error&state=any`, { headers: { Accept: BROWSER_ACCEPT, 'Accept-Language': 'en' } });
    expect(other.body).toContain('<h1>The EHR did not complete the sign-in</h1>');
  });

  it('refreshes an expired access token with the refresh token, and ends a session that cannot be refreshed', async () => {
    const b = new TestBrowser();
    const { callback } = await launchUntilCallback(b);
    await b.request(callback);
    const control = t.app.get(SandboxControl);
    await expireAccessTokens();
    await control.expireTokens();
    const before = await audit('smart.token-refresh', 'success');
    expect((await context(b)).status).toBe(200);
    expect(await audit('smart.token-refresh', 'success')).toBe(before + 1);

    await expireAccessTokens();
    await control.revokeRefreshTokens();
    const ended = await context(b);
    expect(ended.status).toBe(401);
    expect(ended.body.issue[0].diagnostics).toMatch(/relaunch/i);
  });

  it('answers 503 when the EHR is down at launch, and logs no secret in any audit row', async () => {
    t.app.get(SandboxControl).set({ mode: 'unavailable' });
    const b = new TestBrowser();
    const res = await b.request(`${t.url}/smart/launch?iss=${encodeURIComponent(issuer())}&workflow=coordinator`);
    expect(res.status).toBe(503);
    expect(res.location).toBeUndefined();
    const rows = await ds.query(`SELECT detail::text AS d FROM audit_event`);
    for (const r of rows) expect(r.d ?? '').not.toMatch(/access_token|refresh_token|code_verifier|client_secret|Bearer /);
  });

  it('launches through a wildcard registration (…/*) and keeps the launch\'s own FHIR base', async () => {
    const registry = t.app.get(RegistryService);
    const exact = (await registry.findEnabledByIssuer(issuer()))!;
    await registry.update(exact.id, { enabled: false }, { actor: 'test', actorRole: 'admin' });
    try {
      await registry.create(
        { issuer: `${t.url}/sandbox/*`, name: 'Launcher family', clientId: 'als-wellness', clientAuth: 'private_key_jwt', frameAncestors: [], enabled: true },
        { actor: 'test', actorRole: 'admin' },
      );
      expect((await registry.findEnabledByIssuer(`${t.url}/sandboxevil/fhir`))).toBeNull();
      const b = new TestBrowser();
      const { callback } = await launchUntilCallback(b);
      expect((await b.request(callback)).status).toBe(303);
      const ctx = await context(b);
      expect(ctx.status).toBe(200);
      expect(ctx.body.ehr).toMatchObject({ name: 'Launcher family', issuer: issuer() });
      expect(ctx.body.patient.id).toBe('sbx-pat-1');
    } finally {
      await registry.update(exact.id, { enabled: true }, { actor: 'test', actorRole: 'admin' });
    }
  });

  it('refuses an iss that only matches after path tricks (../, encoded dots), before any request leaves', async () => {
    const b = new TestBrowser();
    for (const iss of [`${t.url}/sandbox/fhir/x/..`, `${t.url}/sandbox/x/../fhir`, `${t.url}/sandbox/%2e%2e/sandbox/fhir`, `${issuer()}?x=1`]) {
      const res = await b.request(`${t.url}/smart/launch?iss=${encodeURIComponent(iss)}&launch=abc`);
      expect(res.status).toBe(400);
      expect(res.location).toBeUndefined();
    }
  });

  it('keeps a session whose refresh meets an unavailable EHR (503), and refreshes once it is back', async () => {
    const b = new TestBrowser();
    const { callback } = await launchUntilCallback(b);
    await b.request(callback);
    await expireAccessTokens();
    t.app.get(SandboxControl).set({ mode: 'unavailable' });
    expect((await context(b)).status).toBe(503);
    t.app.get(SandboxControl).reset();
    expect((await context(b)).status).toBe(200);
  });
});

describe('the sandbox EHR beside a real EHR', () => {
  it('stops trusting sandbox launches once a real EHR is registered (at the next start)', async () => {
    const t = await createTestApp({ listen: true });
    try {
      const registry = t.app.get(RegistryService);
      await registry.create({ issuer: 'https://ehr.hospital.example/fhir', name: 'Hospital EHR', clientId: 'als', clientAuth: 'private_key_jwt', frameAncestors: [], enabled: true }, { actor: 'test', actorRole: 'admin' });
      await t.app.get(SandboxRegistration).onApplicationBootstrap();
      const b = new TestBrowser();
      const hops = await b.navigate(`${t.url}/sandbox/launch`);
      expect(hops.at(-1)!.status).toBe(400);
      expect(JSON.parse(hops.at(-1)!.body).issue[0].details.coding[0].code).toBe('SMART.UNKNOWN_ISSUER');
    } finally {
      await t.close();
    }
  });
});
