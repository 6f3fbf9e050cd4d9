import request from 'supertest';
import { DataSource } from 'typeorm';
import { FakeEhr } from './support/fake-ehr.js';
import { signIn, type SignedIn } from './support/sign-in.js';
import { createTestApp, type TestApp } from './support/test-app.js';

/**
 * The EHR revokes a user's token before the expiry it announced: the next read is answered 401. The session
 * refreshes once and asks again; when it cannot, the user is told to relaunch (401 AUTH.SESSION_EXPIRED). An EHR
 * 403 stays our 403.
 */
describe('a token the EHR revokes early', () => {
  let t: TestApp;
  let ehr: FakeEhr;

  beforeAll(async () => {
    ehr = await FakeEhr.start();
    for (const id of ['pat-a', 'pat-b', 'pat-c', 'pat-d', 'pat-e', 'pat-f', 'pat-secret', 'p1', 'p2', 'p3', 'p4', 'p5']) ehr.add(id, 'Avery', 'Sample');
    t = await createTestApp({ fhir: { outboxWorker: false } });
  }, 120_000); // a fresh embedded database starts slowly on a busy machine
  afterAll(async () => {
    await t?.close();
    await ehr?.close();
  });

  // Each story starts with any token accepted and no request seen.
  beforeEach(() => {
    ehr.resetTokens();
    ehr.requests.length = 0;
  });

  // Each story gets a session whose access token is an hour from expiry by the EHR's own word.
  const session = async (refreshToken: string | undefined): Promise<SignedIn> => {
    if (refreshToken) ehr.grant(refreshToken);
    return signIn(t.app, { role: 'coordinator', issuer: ehr.baseUrl, accessExpiresIn: 3600, refreshToken });
  };
  const read = (s: SignedIn, id: string) => request(t.app.getHttpServer()).get(`/api/patients/${id}`).set('Cookie', s.cookie);
  const asked = (line: string) => ehr.requests.filter((r) => r === line).length;
  const code = (res: request.Response) => (res.body as { issue: { details: { coding: { code: string }[] } }[] }).issue[0].details.coding[0].code;

  it('refreshes once and answers the read; later reads use the new token', async () => {
    const s = await session('rt-first');
    await read(s, 'pat-a').expect(200);
    ehr.revokeAll();
    ehr.requests.length = 0;
    const res = await read(s, 'pat-b').expect(200);
    expect(res.body).toMatchObject({ id: 'pat-b' });
    expect(ehr.requests).toEqual(['GET /Patient/pat-b', 'POST /token', 'GET /Patient/pat-b']);
    await read(s, 'pat-c').expect(200);
    expect(asked('POST /token')).toBe(1);
    const [row] = await t.app.get(DataSource).query(`SELECT detail FROM audit_event WHERE action = 'smart.token-refresh' AND outcome = 'success' ORDER BY occurred_at DESC LIMIT 1`);
    expect(row.detail).toEqual({ trigger: 'ehr-401' });
  });

  it('shares one refresh between parallel reads that all met the revoked token (refresh tokens rotate)', async () => {
    const s = await session('rt-parallel');
    ehr.revokeAll();
    const answers = await Promise.all(['p1', 'p2', 'p3', 'p4', 'p5'].map((id) => read(s, id)));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
    expect(asked('POST /token')).toBe(1);
  });

  it('answers 401 AUTH.SESSION_EXPIRED and ends the session when the EHR refuses the refresh', async () => {
    const s = await session('rt-refused');
    ehr.revokeAll();
    ehr.refuseRefresh = true;
    const res = await read(s, 'pat-d').expect(401);
    expect(code(res)).toBe('AUTH.SESSION_EXPIRED');
    expect(res.body.issue[0].diagnostics).toMatch(/relaunch/i);
    await read(s, 'pat-d').expect(401);
    expect(asked('GET /Patient/pat-d')).toBe(1); // the ended session does not ask the EHR again
  });

  it('retries only once: an EHR that refuses even the fresh token gets 401 AUTH.SESSION_EXPIRED, not a loop', async () => {
    const s = await session('rt-stubborn');
    ehr.rejectAll = true;
    const res = await read(s, 'pat-e').expect(401);
    expect(code(res)).toBe('AUTH.SESSION_EXPIRED');
    expect(ehr.requests).toEqual(['GET /Patient/pat-e', 'POST /token', 'GET /Patient/pat-e']);
  });

  it('answers 401 AUTH.SESSION_EXPIRED when the session has no refresh token', async () => {
    const s = await session(undefined);
    ehr.revokeAll();
    const res = await read(s, 'pat-f').expect(401);
    expect(code(res)).toBe('AUTH.SESSION_EXPIRED');
    expect(asked('POST /token')).toBe(0);
  });

  it('keeps an EHR 403 our 403, without a refresh', async () => {
    const s = await session('rt-forbidden');
    ehr.forbidden.add('pat-secret');
    const res = await read(s, 'pat-secret').expect(403);
    expect(code(res)).toBe('FHIR.FORBIDDEN');
    expect(asked('POST /token')).toBe(0);
  });
});
