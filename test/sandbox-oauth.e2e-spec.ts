import { Controller, Get } from '@nestjs/common';
import { createRemoteJWKSet, exportJWK, generateKeyPair, jwtVerify, SignJWT, type CryptoKey, type JWK } from 'jose';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { SandboxClients } from '../src/sandbox/sandbox-clients.service.js';
import { SandboxControl } from '../src/sandbox/sandbox-control.js';
import { BASIC_CLIENT, basicAuth, ehrLaunchCode, pkcePair, redeemWithBasic } from './support/sandbox-auth.js';
import { createTestApp, type TestApp } from './support/test-app.js';

/** A backend client's published keys, served by the app under test so the sandbox fetches them over HTTP. */
const clientKeys: { keys: JWK[] } = { keys: [] };

@Controller('test-only')
class ClientJwksController {
  @Get('client-jwks.json')
  jwks() {
    return clientKeys;
  }
}

describe('the sandbox EHR: SMART discovery and OAuth', () => {
  let t: TestApp;
  let issuer: string;
  let tokenUrl: string;
  const server = () => t.app.getHttpServer();

  beforeAll(async () => {
    t = await createTestApp({ listen: true, extra: { controllers: [ClientJwksController] } });
    issuer = `${t.url}/sandbox/fhir`;
    tokenUrl = `${t.url}/sandbox/auth/token`;
  });
  afterEach(() => t.app.get(SandboxControl).reset());
  afterAll(async () => t?.close());

  it('publishes SMART configuration and a CapabilityStatement with absolute URLs', async () => {
    const res = await fetch(`${issuer}/.well-known/smart-configuration`);
    expect(res.status).toBe(200);
    const config = await res.json();
    expect(config).toMatchObject({
      issuer,
      authorization_endpoint: `${t.url}/sandbox/auth/authorize`,
      token_endpoint: tokenUrl,
      jwks_uri: `${t.url}/sandbox/auth/jwks`,
      grant_types_supported: ['authorization_code', 'refresh_token', 'client_credentials'],
      code_challenge_methods_supported: ['S256'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'private_key_jwt'],
      token_endpoint_auth_signing_alg_values_supported: ['RS384', 'ES384'],
      response_types_supported: ['code'],
    });
    expect(config.capabilities).toEqual(expect.arrayContaining(['launch-ehr', 'launch-standalone', 'context-ehr-encounter', 'permission-v2', 'sso-openid-connect']));
    const meta = await (await fetch(`${issuer}/metadata`)).json();
    expect(meta).toMatchObject({ resourceType: 'CapabilityStatement', fhirVersion: '4.0.1' });
    const oauth = meta.rest[0].security.extension[0];
    expect(oauth.url).toBe('http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris');
    expect(oauth.extension).toEqual([
      { url: 'authorize', valueUri: `${t.url}/sandbox/auth/authorize` },
      { url: 'token', valueUri: tokenUrl },
    ]);
  });

  it('runs an EHR launch end to end: launch → code → token (Basic + PKCE) → verified id_token → FHIR read', async () => {
    const code = await ehrLaunchCode(server(), t.url, {
      scope: 'launch openid fhirUser patient/*.rs offline_access',
      user: 'Practitioner/sbx-prac-1',
      patient: 'sbx-pat-1',
      encounter: 'Encounter/sbx-enc-1',
      nonce: 'n-0S6_WzA2Mj',
    });
    const res = await redeemWithBasic(server(), code).expect(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toMatchObject({
      token_type: 'Bearer',
      expires_in: 3600,
      scope: 'launch openid fhirUser patient/*.rs offline_access',
      patient: 'sbx-pat-1',
      encounter: 'sbx-enc-1',
      fhirContext: [{ reference: 'Encounter/sbx-enc-1' }],
      need_patient_banner: true,
      smart_style_url: `${t.url}/sandbox/smart-style.json`,
    });
    expect(res.body.refresh_token).toEqual(expect.any(String));

    const { payload } = await jwtVerify(res.body.id_token, createRemoteJWKSet(new URL(`${t.url}/sandbox/auth/jwks`)), { issuer, audience: BASIC_CLIENT.id });
    expect(payload).toMatchObject({ sub: 'Practitioner/sbx-prac-1', fhirUser: `${issuer}/Practitioner/sbx-prac-1`, nonce: 'n-0S6_WzA2Mj' });

    const patient = await fetch(`${issuer}/Patient/sbx-pat-1`, { headers: { Authorization: `Bearer ${res.body.access_token}` } });
    expect(patient.status).toBe(200);
    expect((await patient.json()).id).toBe('sbx-pat-1');
    const style = await (await fetch(res.body.smart_style_url)).json();
    expect(style.color_background).toMatch(/^#/);
  });

  it('refuses a wrong PKCE verifier and a reused code with invalid_grant (and revokes the first tokens)', async () => {
    const wrong = await ehrLaunchCode(server(), t.url, { scope: 'launch patient/*.rs' });
    const bad = await redeemWithBasic(server(), wrong, pkcePair().verifier).expect(400);
    expect(bad.body).toMatchObject({ error: 'invalid_grant' });

    const code = await ehrLaunchCode(server(), t.url, { scope: 'launch patient/*.rs' });
    const first = await redeemWithBasic(server(), code).expect(200);
    expect((await redeemWithBasic(server(), code).expect(400)).body.error).toBe('invalid_grant');
    await request(server()).get('/sandbox/fhir/Patient/sbx-pat-1').set('Authorization', `Bearer ${first.body.access_token}`).expect(401);
  });

  it('never redirects to an unregistered redirect_uri; redirects other errors with state', async () => {
    const { challenge } = pkcePair();
    const base = { response_type: 'code', client_id: BASIC_CLIENT.id, redirect_uri: `${t.url}/smart/callback`, scope: 'launch/patient patient/*.rs', state: 's-123', aud: issuer, code_challenge: challenge, code_challenge_method: 'S256' };
    const evil = await request(server()).get('/sandbox/auth/authorize').query({ ...base, redirect_uri: 'https://evil.example/cb' }).expect(400);
    expect(evil.headers.location).toBeUndefined();
    expect(evil.body.issue[0].details.coding[0].code).toBe('SANDBOX.REDIRECT_URI_MISMATCH');
    await request(server()).get('/sandbox/auth/authorize').query({ ...base, client_id: 'nobody' }).expect(400);

    for (const [change, error] of [
      [{ aud: 'https://other.example/fhir' }, 'invalid_request'],
      [{ code_challenge_method: 'plain', code_challenge: 'short' }, 'invalid_request'],
      [{ response_type: 'token' }, 'unsupported_response_type'],
      [{ launch: 'unknown-launch' }, 'invalid_request'],
    ] as const) {
      const res = await request(server()).get('/sandbox/auth/authorize').query({ ...base, ...change }).expect(302);
      const back = new URL(res.headers.location);
      expect(`${back.origin}${back.pathname}`).toBe(`${t.url}/smart/callback`);
      expect(back.searchParams.get('error')).toBe(error);
      expect(back.searchParams.get('state')).toBe('s-123');
      expect(back.searchParams.get('code')).toBeNull();
    }
  });

  it('runs a standalone launch through the sign-in page, and honours Deny', async () => {
    const { verifier, challenge } = pkcePair();
    const query = { response_type: 'code', client_id: BASIC_CLIENT.id, redirect_uri: `${t.url}/smart/callback`, scope: 'openid fhirUser launch/patient patient/*.rs', state: 'st-1', aud: issuer, code_challenge: challenge, code_challenge_method: 'S256' };
    const page = await request(server()).get('/sandbox/auth/authorize').query(query).expect(200);
    expect(page.text).toContain('<label for="user">Sign in as</label>');
    expect(page.text).toContain('<label for="patient">');
    expect(page.text).not.toMatch(/<script/i);
    expect(page.headers['content-security-policy']).toContain("form-action 'self'");
    const requestId = /name="request_id" value="([^"]+)"/.exec(page.text)![1];

    const approved = await request(server()).post('/sandbox/auth/approve').type('form')
      .send({ request_id: requestId, user: 'Practitioner/sbx-prac-2', patient: 'Patient/sbx-pat-3', decision: 'approve' }).expect(303);
    const back = new URL(approved.headers.location);
    expect(back.searchParams.get('state')).toBe('st-1');
    const token = await redeemWithBasic(server(), { code: back.searchParams.get('code')!, state: 'st-1', verifier, redirectUri: query.redirect_uri }).expect(200);
    expect(token.body).toMatchObject({ patient: 'sbx-pat-3', need_patient_banner: true });
    expect(token.body.encounter).toBeUndefined();
    await request(server()).post('/sandbox/auth/approve').type('form').send({ request_id: requestId, user: 'Practitioner/sbx-prac-2', patient: 'Patient/sbx-pat-3' }).expect(400);
    // A request id that is not a UUID (36 characters PostgreSQL refuses as one) is unknown, not a database error.
    for (const unknown of ['0123456789abcdef0123456789abcdef----', 'nope']) {
      const refused = await request(server()).post('/sandbox/auth/approve').type('form').send({ request_id: unknown, user: 'Practitioner/sbx-prac-2', patient: 'Patient/sbx-pat-3' }).expect(400);
      expect(refused.body.issue[0].details.coding[0].code).toBe('SANDBOX.AUTHORIZE_REQUEST_INVALID');
    }

    const again = await request(server()).get('/sandbox/auth/authorize').query({ ...query, state: 'st-2' }).expect(200);
    const id2 = /name="request_id" value="([^"]+)"/.exec(again.text)![1];
    const denied = await request(server()).post('/sandbox/auth/approve').type('form').send({ request_id: id2, decision: 'deny' }).expect(303);
    expect(new URL(denied.headers.location).searchParams.get('error')).toBe('access_denied');
  });

  it('rotates refresh tokens, and refuses them once revoked through the control API', async () => {
    const code = await ehrLaunchCode(server(), t.url, { scope: 'launch openid fhirUser patient/*.rs offline_access' });
    const first = (await redeemWithBasic(server(), code).expect(200)).body;
    const refresh = (token: string, auth = basicAuth(BASIC_CLIENT.id, BASIC_CLIENT.secret)) =>
      request(server()).post('/sandbox/auth/token').set('Authorization', auth).type('form').send({ grant_type: 'refresh_token', refresh_token: token });
    const second = (await refresh(first.refresh_token).expect(200)).body;
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect(second).toMatchObject({ patient: 'sbx-pat-1', scope: first.scope });
    expect(second.id_token).toBeUndefined();
    expect((await refresh(first.refresh_token).expect(400)).body.error).toBe('invalid_grant');
    expect((await refresh(second.refresh_token, basicAuth(BASIC_CLIENT.id, 'wrong')).expect(401)).body.error).toBe('invalid_client');

    const revoked = await request(server()).post('/sandbox/_control').send({ action: 'revokeRefreshTokens' }).expect(200);
    expect(revoked.body.affected).toBeGreaterThanOrEqual(1);
    expect((await refresh(second.refresh_token).expect(400)).body.error).toBe('invalid_grant');
  });

  it('expires access tokens on demand and issues them with the configured lifetime', async () => {
    t.app.get(SandboxControl).set({ accessTokenTtlSeconds: 120 });
    const code = await ehrLaunchCode(server(), t.url, { scope: 'launch user/*.rs' });
    const token = (await redeemWithBasic(server(), code).expect(200)).body;
    expect(token.expires_in).toBe(120);
    await request(server()).get('/sandbox/fhir/Patient/sbx-pat-2').set('Authorization', `Bearer ${token.access_token}`).expect(200);
    await t.app.get(SandboxControl).expireTokens();
    await request(server()).get('/sandbox/fhir/Patient/sbx-pat-2').set('Authorization', `Bearer ${token.access_token}`).expect(401);
  });

  it('answers the token endpoint with 503 temporarily_unavailable in unavailable mode', async () => {
    t.app.get(SandboxControl).set({ mode: 'unavailable' });
    const res = await request(server()).post('/sandbox/auth/token').type('form').send({ grant_type: 'client_credentials' }).expect(503);
    expect(res.body.error).toBe('temporarily_unavailable');
  });

  describe('private_key_jwt (keys fetched from the client over HTTP)', () => {
    let key: CryptoKey;
    const clientId = 'backend-test';

    beforeAll(async () => {
      const pair = await generateKeyPair('ES384');
      key = pair.privateKey;
      clientKeys.keys = [{ ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES384', use: 'sig' }];
      await t.app.get(SandboxClients).register({
        clientId,
        authMethod: 'private_key_jwt',
        redirectUris: [`${t.url}/smart/callback`],
        jwksUri: `${t.url}/test-only/client-jwks.json`,
      });
    });

    const assertion = (jti: string = randomUUID(), aud = tokenUrl) =>
      new SignJWT({}).setProtectedHeader({ alg: 'ES384', kid: 'k1', typ: 'JWT' }).setIssuer(clientId).setSubject(clientId).setAudience(aud).setJti(jti).setExpirationTime('2m').sign(key);
    const token = (form: Record<string, string>) => request(server()).post('/sandbox/auth/token').type('form').send(form);
    const jwtAuth = async (jti?: string, aud?: string) => ({
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: await assertion(jti, aud),
    });

    it('exchanges an authorization code', async () => {
      const code = await ehrLaunchCode(server(), t.url, { scope: 'launch openid fhirUser user/*.rs', clientId });
      const res = await token({ grant_type: 'authorization_code', code: code.code, redirect_uri: code.redirectUri, code_verifier: code.verifier, ...(await jwtAuth()) }).expect(200);
      expect(res.body).toMatchObject({ token_type: 'Bearer', patient: 'sbx-pat-1' });
    });

    it('issues backend-services tokens with system scopes, and refuses replayed or mis-addressed assertions', async () => {
      const auth = await jwtAuth('fixed-jti');
      const res = await token({ grant_type: 'client_credentials', scope: 'system/*.rs', ...auth }).expect(200);
      expect(res.body).toMatchObject({ token_type: 'Bearer', scope: 'system/*.rs' });
      expect(res.body.refresh_token).toBeUndefined();
      expect(res.body.patient).toBeUndefined();
      const bundle = await request(server()).get('/sandbox/fhir/Patient').set('Authorization', `Bearer ${res.body.access_token}`).expect(200);
      expect(bundle.body.total).toBe(4);

      expect((await token({ grant_type: 'client_credentials', scope: 'system/*.rs', ...auth }).expect(401)).body.error).toBe('invalid_client');
      expect((await token({ grant_type: 'client_credentials', scope: 'system/*.rs', ...(await jwtAuth(undefined, issuer)) }).expect(401)).body.error).toBe('invalid_client');
      expect((await token({ grant_type: 'client_credentials', scope: 'patient/*.rs', ...(await jwtAuth()) }).expect(400)).body.error).toBe('invalid_scope');
    });

    it('refuses client_credentials for a client_secret_basic client', async () => {
      const res = await request(server()).post('/sandbox/auth/token').set('Authorization', basicAuth(BASIC_CLIENT.id, BASIC_CLIENT.secret)).type('form')
        .send({ grant_type: 'client_credentials', scope: 'system/*.rs' }).expect(400);
      expect(res.body.error).toBe('unauthorized_client');
    });
  });
});
