import { validateResource } from '@medplum/core';
import type { Resource as MedplumResource } from '@medplum/fhirtypes';
import type { Bundle, CapabilityStatement, CarePlan, OperationOutcome, ServiceRequest } from 'fhir/r4.js';
import { exportJWK, generateKeyPair } from 'jose';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { clientAssertion, tokenRequest, type ClientAuth } from '../src/smart/backend/token-client.js';
import { DiscoveryService, type SmartConfiguration } from '../src/smart/launch/discovery.service.js';
import { EHR_PROFILES, ReferenceEhr, type ReferenceEhrProfile } from './support/reference-ehr/reference-ehr.js';

const CLIENT_ID = 'als-wellness-backend';
const SCOPE = 'system/ServiceRequest.cru system/CarePlan.cru system/Observation.cru system/Patient.rs';
const REFERRAL = 'https://als-wellness.example/referral';
const TAG = 'https://als-wellness.example/write-back|als-wellness';

async function rsaKey(kid: string) {
  const { privateKey, publicKey } = await generateKeyPair('RS384', { extractable: true });
  return { privateJwk: { ...(await exportJWK(privateKey)), kid, alg: 'RS384' }, publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS384', use: 'sig' } };
}

const referral = (value: string): ServiceRequest => ({
  resourceType: 'ServiceRequest',
  identifier: [{ system: REFERRAL, value }],
  status: 'active',
  intent: 'order',
  code: { text: 'Mindful Self-Compassion course' },
  subject: { reference: 'Patient/sbx-pat-1' },
  meta: { tag: [{ system: TAG.split('|')[0], code: TAG.split('|')[1] }] },
});

const conditionalCreate = (value: string) => ({ resource: referral(value), request: { method: 'POST' as const, url: 'ServiceRequest', ifNoneExist: `identifier=${REFERRAL}|${value}` } });

/**
 * The reference EHR on its own: Medplum's FHIR engine behind SMART backend services, saying in /metadata
 * what each EHR profile supports and refusing the rest, validating every write, failing on demand.
 */
describe('the reference EHR', () => {
  let jwks: Server;
  let jwksUrl: string;
  let auth: Extract<ClientAuth, { method: 'private_key_jwt' }>;
  let ehr: ReferenceEhr;
  let token: string;

  const systemToken = async (e: ReferenceEhr) => (await tokenRequest(e.tokenEndpoint, { grant_type: 'client_credentials', scope: SCOPE }, auth, 10_000)).access_token;
  const postForm = async (e: ReferenceEhr, form: Record<string, string>) => {
    const res = await fetch(e.tokenEndpoint, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form) });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const assertionForm = (assertion: string) => ({ grant_type: 'client_credentials', scope: SCOPE, client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: assertion });
  const call = async <T = unknown>(e: ReferenceEhr, bearer: string | undefined, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${e.baseUrl}${path}`, {
      method,
      headers: { Accept: 'application/fhir+json', ...(bearer ? { Authorization: `Bearer ${bearer}` } : {}), ...(body ? { 'Content-Type': 'application/fhir+json' } : {}), ...headers },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, headers: res.headers, body: (await res.json()) as T };
  };
  const startTrusted = async (profile: ReferenceEhrProfile) => ReferenceEhr.start({ profile, client: { clientId: CLIENT_ID, jwksUrl } });
  const issueText = (o: unknown) => (o as OperationOutcome).issue.map((i) => i.details?.text ?? '').join(' ');

  beforeAll(async () => {
    const key = await rsaKey('backend-1');
    auth = { method: 'private_key_jwt', clientId: CLIENT_ID, privateJwk: key.privateJwk };
    jwks = createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ keys: [key.publicJwk] })));
    jwks.listen(0, '127.0.0.1');
    await once(jwks, 'listening');
    jwksUrl = `http://127.0.0.1:${(jwks.address() as { port: number }).port}/.well-known/jwks.json`;
    ehr = await ReferenceEhr.start({ profile: EHR_PROFILES.transaction });
    ehr.trustClient(CLIENT_ID, jwksUrl);
    token = await systemToken(ehr);
  });
  afterAll(async () => {
    await ehr?.close();
    jwks?.closeAllConnections();
    jwks?.close();
  });
  afterEach(() => ehr.reset());

  it('tells the truth about each profile in /metadata, without a token', async () => {
    for (const profile of Object.values(EHR_PROFILES)) {
      const e = await ReferenceEhr.start({ profile });
      try {
        const { status, body: cs } = await call<CapabilityStatement>(e, undefined, 'GET', '/metadata');
        expect(status).toBe(200);
        // Medplum's validator, not the JSON schema: that schema's fhirVersion enum stops at 4.0.0.
        expect(validateResource(cs as MedplumResource)).toEqual([]);
        expect(cs).toMatchObject({ fhirVersion: '4.0.1', kind: 'instance', format: expect.arrayContaining(['json']) });
        const rest = cs.rest![0];
        expect((rest.interaction ?? []).map((i) => i.code).sort()).toEqual([...(profile.batch ? ['batch'] : []), ...(profile.transactions ? ['transaction'] : [])]);
        const sr = rest.resource!.find((r) => r.type === 'ServiceRequest')!;
        expect(sr).toMatchObject({ conditionalCreate: profile.conditionalCreate, conditionalUpdate: profile.conditionalUpdate });
        expect(sr.interaction!.map((i) => i.code)).toEqual(expect.arrayContaining(['read', 'search-type', 'create', 'update']));
        expect(sr.searchParam!.map((p) => p.name)).toEqual(expect.arrayContaining(['identifier', '_tag']));
        const oauth = rest.security!.extension![0].extension!.find((x) => x.url === 'token');
        expect(oauth?.valueUri).toBe(e.tokenEndpoint);
      } finally {
        await e.close();
      }
    }
  });

  it('publishes a SMART configuration our discovery accepts', async () => {
    const { status, body } = await call<SmartConfiguration & Record<string, unknown>>(ehr, undefined, 'GET', '/.well-known/smart-configuration');
    expect(status).toBe(200);
    expect(body).toMatchObject({ token_endpoint: ehr.tokenEndpoint, token_endpoint_auth_methods_supported: ['private_key_jwt'], grant_types_supported: ['client_credentials'] });
    expect(body.authorization_endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/auth\/authorize$/);
    expect(DiscoveryService.speaksV2(body)).toBe(true);
  });

  it('grants a token for our signed assertion, and refuses a wrong key, a wrong audience and a replay', async () => {
    const good = await tokenRequest(ehr.tokenEndpoint, { grant_type: 'client_credentials', scope: SCOPE }, auth, 10_000);
    expect(good).toMatchObject({ token_type: 'bearer', expires_in: 300, scope: SCOPE });
    const refused = (why: string) => ({ status: 401, body: { error: 'invalid_client', error_description: expect.stringContaining(why) } });
    const impostor = await rsaKey('backend-1'); // same kid, another key
    const wrongKey = await postForm(ehr, assertionForm(await clientAssertion({ ...auth, privateJwk: impostor.privateJwk }, ehr.tokenEndpoint)));
    expect(wrongKey).toMatchObject(refused('JWSSignatureVerificationFailed'));
    const wrongAud = await postForm(ehr, assertionForm(await clientAssertion(auth, ehr.baseUrl)));
    expect(wrongAud).toMatchObject(refused('JWTClaimValidationFailed'));
    const single = await clientAssertion(auth, ehr.tokenEndpoint);
    expect((await postForm(ehr, assertionForm(single))).status).toBe(200);
    expect(await postForm(ehr, assertionForm(single))).toMatchObject(refused('replayed'));
    const stranger = await postForm(ehr, assertionForm(await clientAssertion({ ...auth, clientId: 'someone-else' }, ehr.tokenEndpoint)));
    expect(stranger).toMatchObject(refused('Unknown client'));
    const badGrant = await postForm(ehr, { ...assertionForm(await clientAssertion(auth, ehr.tokenEndpoint)), grant_type: 'password' });
    expect(badGrant).toMatchObject({ status: 400, body: { error: 'unsupported_grant_type' } });
  });

  it('answers FHIR calls only with a token it issued', async () => {
    expect((await call(ehr, undefined, 'GET', '/ServiceRequest')).status).toBe(401);
    expect((await call(ehr, 'made-up', 'GET', '/ServiceRequest')).status).toBe(401);
    expect((await call<Bundle>(ehr, token, 'GET', '/ServiceRequest')).body).toMatchObject({ resourceType: 'Bundle', type: 'searchset' });
    expect((await call(ehr, ehr.issueUserToken(), 'GET', '/Patient')).status).toBe(200);
  });

  it('honours a conditional create: asked twice, it keeps one resource', async () => {
    await ehr.seed([{ resourceType: 'Patient', id: 'sbx-pat-1', name: [{ family: 'Tester' }] }]);
    const criteria = { 'If-None-Exist': `identifier=${REFERRAL}|ref-1` };
    const first = await call<ServiceRequest>(ehr, token, 'POST', '/ServiceRequest', { ...referral('ref-1'), id: 'chosen-by-client' }, criteria);
    expect(first.status).toBe(201);
    expect(first.body.id).not.toBe('chosen-by-client');
    expect(first.headers.get('location')).toBe(`${ehr.baseUrl}/ServiceRequest/${first.body.id}/_history/${first.body.meta!.versionId}`);
    expect(first.headers.get('etag')).toBe(`W/"${first.body.meta!.versionId}"`);
    const again = await call<ServiceRequest>(ehr, token, 'POST', '/ServiceRequest', referral('ref-1'), criteria);
    expect(again).toMatchObject({ status: 200, body: { id: first.body.id } });
    expect(await ehr.all('ServiceRequest')).toHaveLength(1);
    const byIdentifier = await call<Bundle>(ehr, token, 'GET', `/ServiceRequest?identifier=${encodeURIComponent(`${REFERRAL}|ref-1`)}`);
    expect(byIdentifier.body.total).toBe(1);
    expect((await call<Bundle>(ehr, token, 'GET', `/ServiceRequest?_tag=${encodeURIComponent(TAG)}`)).body.total).toBe(1);
  });

  it('makes one resource of simultaneous conditional creates', async () => {
    const tx: Bundle = { resourceType: 'Bundle', type: 'transaction', entry: [conditionalCreate('race-1')] };
    const answers = await Promise.all(Array.from({ length: 5 }, () => call(ehr, token, 'POST', '', tx)));
    expect(answers.map((a) => a.status)).toEqual(Array(5).fill(200));
    expect(await ehr.all('ServiceRequest')).toHaveLength(1);
  });

  it('resolves urn:uuid references and conditional updates in a transaction, and keeps versions', async () => {
    const srUrl = 'urn:uuid:0e7d6c5b-4a39-4281-9f0e-1d2c3b4a5968';
    const plan: CarePlan = { resourceType: 'CarePlan', identifier: [{ system: REFERRAL, value: 'plan-1' }], status: 'active', intent: 'plan', subject: { reference: 'Patient/sbx-pat-1' }, activity: [{ reference: { reference: srUrl } }] };
    const tx = (status: CarePlan['status']): Bundle<CarePlan | ServiceRequest> => ({
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        { fullUrl: srUrl, ...conditionalCreate('plan-1') },
        { resource: { ...plan, status }, request: { method: 'PUT', url: `CarePlan?identifier=${REFERRAL}|plan-1` } },
      ],
    });
    expect((await call<Bundle>(ehr, token, 'POST', '', tx('active'))).body.entry!.map((e) => e.response?.status)).toEqual(['201', '201']);
    expect((await call<Bundle>(ehr, token, 'POST', '', tx('completed'))).body.entry!.map((e) => e.response?.status)).toEqual(['200', '200']);
    const [sr] = await ehr.all<ServiceRequest>('ServiceRequest');
    const [stored] = await ehr.all<CarePlan>('CarePlan');
    expect(stored).toMatchObject({ status: 'completed', activity: [{ reference: { reference: `ServiceRequest/${sr.id}` } }] });
    for (let read = 0; read < 2; read++) {
      const history = await call<Bundle<CarePlan>>(ehr, token, 'GET', `/CarePlan/${stored.id}/_history`);
      expect(history.body.entry!.map((e) => e.resource!.status)).toEqual(['completed', 'active']);
    }
  });

  it('refuses a body it cannot read', async () => {
    const raw = (type: string, text: string) => fetch(`${ehr.baseUrl}/ServiceRequest`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': type }, body: text });
    expect((await call(ehr, token, 'POST', '/ServiceRequest')).status).toBe(400);
    const garbled = await raw('application/fhir+json', '{"resourceType":');
    expect([garbled.status, garbled.headers.get('content-type')]).toEqual([400, 'application/fhir+json; charset=utf-8']);
    expect((await raw('application/fhir+xml', '<ServiceRequest/>')).status).toBe(415);
  });

  it('keeps the engine’s limit of 8 conditional entries in a transaction', async () => {
    const tx = (n: number): Bundle => ({ resourceType: 'Bundle', type: 'transaction', entry: Array.from({ length: n }, (_, i) => conditionalCreate(`tx-${i}`)) });
    const nine = await call(ehr, token, 'POST', '', tx(9));
    expect(nine.status).toBe(400);
    expect(issueText(nine.body)).toContain('Transaction requires strict isolation but has too many entries');
    expect(await ehr.all('ServiceRequest')).toHaveLength(0);
    const eight = await call<Bundle>(ehr, token, 'POST', '', tx(8));
    expect(eight.status).toBe(200);
    expect(eight.body.type).toBe('transaction-response');
    expect(eight.body.entry!.map((e) => e.response?.status)).toEqual(Array(8).fill('201'));
    expect(await ehr.all('ServiceRequest')).toHaveLength(8);
    expect(ehr.requests.filter((r) => r.bundleType === 'transaction')).toEqual([
      { method: 'POST', path: '/fhir', status: 400, bundleType: 'transaction', entries: 9 },
      { method: 'POST', path: '/fhir', status: 200, bundleType: 'transaction', entries: 8 },
    ]);
  });

  it('refuses a CarePlan based on a ServiceRequest, and the whole transaction with it', async () => {
    const srUrl = 'urn:uuid:6f1c2a8e-3b4d-4e5f-8a9b-0c1d2e3f4a5b';
    const carePlan: CarePlan = { resourceType: 'CarePlan', status: 'active', intent: 'plan', subject: { reference: 'Patient/sbx-pat-1' }, basedOn: [{ reference: srUrl }] };
    const tx: Bundle = {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        { fullUrl: srUrl, resource: referral('cp-1'), request: { method: 'POST', url: 'ServiceRequest' } },
        { resource: carePlan, request: { method: 'POST', url: 'CarePlan' } },
      ],
    };
    const res = await call(ehr, token, 'POST', '', tx);
    expect(res.status).toBe(400);
    expect(issueText(res.body)).toMatch(/Invalid reference/);
    expect(ehr.validationProblems).toEqual([expect.objectContaining({ resourceType: 'CarePlan', issues: [expect.objectContaining({ details: { text: expect.stringMatching(/^Invalid reference/) } })] })]);
    expect(await ehr.all('ServiceRequest')).toHaveLength(0);
    expect(await ehr.all('CarePlan')).toHaveLength(0);
  });

  it('refuses what the R4 schema refuses, though the engine alone would store it', async () => {
    const res = await call(ehr, token, 'POST', '/Observation', { resourceType: 'Observation', status: 'done', code: { text: 'HADS anxiety' } });
    expect(res.status).toBe(400);
    expect(ehr.validationProblems[0]).toMatchObject({ resourceType: 'Observation' });
    expect(issueText(res.body)).toContain('Observation.status');
    expect(await ehr.all('Observation')).toHaveLength(0);
  });

  it('offers plain REST only in the rest-only profile', async () => {
    const e = await startTrusted(EHR_PROFILES.restOnly);
    try {
      const bearer = await systemToken(e);
      const tx = await call(e, bearer, 'POST', '', { resourceType: 'Bundle', type: 'transaction', entry: [conditionalCreate('r-1')] });
      expect(tx.status).toBe(400);
      expect((tx.body as OperationOutcome).issue[0].code).toBe('not-supported');
      expect((await call(e, bearer, 'POST', '', { resourceType: 'Bundle', type: 'batch', entry: [conditionalCreate('r-1')] })).status).toBe(400);
      expect(await e.all('ServiceRequest')).toHaveLength(0);
      const criteria = { 'If-None-Exist': `identifier=${REFERRAL}|r-1` };
      expect((await call(e, bearer, 'POST', '/ServiceRequest', referral('r-1'), criteria)).status).toBe(201);
      expect((await call(e, bearer, 'POST', '/ServiceRequest', referral('r-1'), criteria)).status).toBe(200);
      const updated = await call<ServiceRequest>(e, bearer, 'PUT', `/ServiceRequest?identifier=${encodeURIComponent(`${REFERRAL}|r-1`)}`, { ...referral('r-1'), status: 'completed' });
      expect(updated.status).toBe(200);
      expect((await e.all<ServiceRequest>('ServiceRequest')).map((s) => s.status)).toEqual(['completed']);
    } finally {
      await e.close();
    }
  });

  it('refuses conditional writes in the no-conditional-create profile instead of duplicating', async () => {
    const e = await startTrusted(EHR_PROFILES.noConditionalCreate);
    try {
      const bearer = await systemToken(e);
      const header = await call(e, bearer, 'POST', '/ServiceRequest', referral('n-1'), { 'If-None-Exist': `identifier=${REFERRAL}|n-1` });
      expect(header.status).toBe(400);
      expect((header.body as OperationOutcome).issue[0].code).toBe('not-supported');
      const inBundle = await call(e, bearer, 'POST', '', { resourceType: 'Bundle', type: 'transaction', entry: [conditionalCreate('n-1')] });
      expect(inBundle.status).toBe(400);
      const put = await call(e, bearer, 'PUT', `/ServiceRequest?identifier=${encodeURIComponent(`${REFERRAL}|n-1`)}`, referral('n-1'));
      expect(put.status).toBe(400);
      expect(await e.all('ServiceRequest')).toHaveLength(0);
      const plain = await call(e, bearer, 'POST', '', { resourceType: 'Bundle', type: 'transaction', entry: [{ resource: referral('n-1'), request: { method: 'POST', url: 'ServiceRequest' } }] });
      expect(plain.status).toBe(200);
      expect(await e.all('ServiceRequest')).toHaveLength(1);
    } finally {
      await e.close();
    }
  });

  it('goes down and comes back; fails on demand, also after committing', async () => {
    ehr.down = true;
    expect((await call(ehr, token, 'GET', '/ServiceRequest')).status).toBe(503);
    expect((await postForm(ehr, assertionForm(await clientAssertion(auth, ehr.tokenEndpoint)))).status).toBe(503);
    ehr.down = false;
    expect((await call(ehr, token, 'GET', '/ServiceRequest')).status).toBe(200);
    ehr.intercept = ({ method }) => (method === 'GET' ? { status: 429, headers: { 'Retry-After': '7' } } : undefined);
    expect((await call(ehr, token, 'GET', '/ServiceRequest')).headers.get('retry-after')).toBe('7');
    ehr.intercept = ({ method }) => (method === 'POST' ? { status: 504, afterCommit: true } : undefined);
    expect((await call(ehr, token, 'POST', '/ServiceRequest', referral('lost-1'))).status).toBe(504);
    expect(await ehr.all('ServiceRequest')).toHaveLength(1);
    ehr.intercept = ({ method }) => (method === 'POST' ? { status: 0 } : undefined);
    await expect(call(ehr, token, 'POST', '/ServiceRequest', referral('cut-1'))).rejects.toThrow();
    expect(await ehr.all('ServiceRequest')).toHaveLength(1);
  });

  it('forgets everything on reset, but keeps trusting our client', async () => {
    await call(ehr, token, 'POST', '/ServiceRequest', referral('gone-1'));
    await call(ehr, token, 'POST', '/Observation', { resourceType: 'Observation', status: 'nope', code: { text: 'x' } });
    expect(ehr.requests.length).toBeGreaterThan(0);
    expect(ehr.validationProblems).toHaveLength(1);
    await ehr.reset();
    expect(await ehr.all('ServiceRequest')).toEqual([]);
    expect(ehr.requests).toEqual([]);
    expect(ehr.validationProblems).toEqual([]);
    expect((await call(ehr, await systemToken(ehr), 'GET', '/ServiceRequest')).status).toBe(200);
  });
});
