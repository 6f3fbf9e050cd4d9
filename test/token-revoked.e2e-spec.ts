import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { signIn, type SignedIn } from './support/sign-in.js';
import { createTestApp, type TestApp } from './support/test-app.js';

/**
 * An EHR that revokes access tokens early, as real ones do (a password change, an admin, a security event): it
 * serves Patient reads to the tokens it accepts and a token endpoint that rotates refresh tokens.
 */
class RevokingEhr {
  /** Every request, as `METHOD /path`. */
  readonly requests: string[] = [];
  /** Tokens the EHR accepts; null = any bearer token (the session's first, made by signIn). */
  private accepted: Set<string> | null = null;
  private readonly refreshTokens = new Set<string>();
  private issued = 0;
  /** Refuse every refresh (invalid_grant); `rejectAll`: refuse every token, even fresh ones. */
  refuseRefresh = false;
  rejectAll = false;
  readonly forbidden = new Set<string>();
  private readonly server: Server = createServer((req, res) => void this.handle(req, res));

  static async start(): Promise<RevokingEhr> {
    const e = new RevokingEhr();
    e.server.listen(0, '127.0.0.1');
    await once(e.server, 'listening');
    return e;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${(this.server.address() as { port: number }).port}/fhir`;
  }

  /** Accepts any token again and forgets the requests: each story starts from here. */
  reset(): void {
    this.accepted = null;
    this.requests.length = 0;
    this.refuseRefresh = false;
    this.rejectAll = false;
  }

  /** A refresh token the EHR will honour once (it rotates: each use hands out the next). */
  grant(refreshToken: string): void {
    this.refreshTokens.add(refreshToken);
  }

  /** Revokes every access token handed out so far (refresh tokens stay good). */
  revokeAll(): void {
    this.accepted = new Set();
  }

  count(line: string): number {
    return this.requests.filter((r) => r === line).length;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    this.server.close();
    await once(this.server, 'close');
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    this.requests.push(`${req.method} ${url.pathname.replace(/^\/fhir/, '')}`);
    const send = (status: number, body: unknown): void => {
      res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
    };
    if (url.pathname === '/fhir/token' && req.method === 'POST') {
      let raw = '';
      for await (const chunk of req) raw += String(chunk);
      const rt = new URLSearchParams(raw).get('refresh_token') ?? '';
      if (this.refuseRefresh || !this.refreshTokens.delete(rt)) return send(400, { error: 'invalid_grant' });
      const access = `at-${++this.issued}`;
      const refresh = `rt-${this.issued}`;
      this.refreshTokens.add(refresh);
      this.accepted?.add(access);
      return send(200, { access_token: access, token_type: 'Bearer', expires_in: 3600, refresh_token: refresh, scope: 'openid fhirUser offline_access' });
    }
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (!token || this.rejectAll || (this.accepted && !this.accepted.has(token))) {
      return send(401, { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'login', diagnostics: 'token revoked' }] });
    }
    const read = /^\/fhir\/Patient\/([^/]+)$/.exec(url.pathname);
    if (read && this.forbidden.has(read[1])) return send(403, { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'forbidden', diagnostics: 'no' }] });
    if (read) return send(200, { resourceType: 'Patient', id: read[1], name: [{ given: ['Avery'], family: 'Sample' }] });
    send(404, { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'not-found', diagnostics: 'unknown route' }] });
  }
}

/**
 * The EHR revokes a user's token before the expiry it announced: the next read is answered 401. The session
 * refreshes once and asks again; when it cannot, the user is told to relaunch (401 AUTH.SESSION_EXPIRED). An EHR
 * 403 stays our 403.
 */
describe('a token the EHR revokes early', () => {
  let t: TestApp;
  let ehr: RevokingEhr;

  beforeAll(async () => {
    ehr = await RevokingEhr.start();
    t = await createTestApp({ fhir: { outboxWorker: false } });
  }, 120_000); // a fresh embedded database starts slowly on a busy machine
  afterAll(async () => {
    await t?.close();
    await ehr?.close();
  });

  beforeEach(() => ehr.reset());

  // Each story gets a session whose access token is an hour from expiry by the EHR's own word.
  const session = async (refreshToken: string | undefined): Promise<SignedIn> => {
    if (refreshToken) ehr.grant(refreshToken);
    return signIn(t.app, { role: 'coordinator', issuer: ehr.baseUrl, accessExpiresIn: 3600, refreshToken });
  };
  const read = (s: SignedIn, id: string) => request(t.app.getHttpServer()).get(`/api/patients/${id}`).set('Cookie', s.cookie);
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
    expect(ehr.count('POST /token')).toBe(1);
    const [row] = await t.app.get(DataSource).query(`SELECT detail FROM audit_event WHERE action = 'smart.token-refresh' AND outcome = 'success' ORDER BY occurred_at DESC LIMIT 1`);
    expect(row.detail).toEqual({ trigger: 'ehr-401' });
  });

  it('shares one refresh between parallel reads that all met the revoked token (refresh tokens rotate)', async () => {
    const s = await session('rt-parallel');
    ehr.revokeAll();
    const answers = await Promise.all(['p1', 'p2', 'p3', 'p4', 'p5'].map((id) => read(s, id)));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
    expect(ehr.count('POST /token')).toBe(1);
  });

  it('answers 401 AUTH.SESSION_EXPIRED and ends the session when the EHR refuses the refresh', async () => {
    const s = await session('rt-refused');
    ehr.revokeAll();
    ehr.refuseRefresh = true;
    const res = await read(s, 'pat-d').expect(401);
    expect(code(res)).toBe('AUTH.SESSION_EXPIRED');
    expect(res.body.issue[0].diagnostics).toMatch(/relaunch/i);
    await read(s, 'pat-d').expect(401);
    expect(ehr.count('GET /Patient/pat-d')).toBe(1); // the ended session does not ask the EHR again
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
    expect(ehr.count('POST /token')).toBe(0);
  });

  it('keeps an EHR 403 our 403, without a refresh', async () => {
    const s = await session('rt-forbidden');
    ehr.forbidden.add('pat-secret');
    const res = await read(s, 'pat-secret').expect(403);
    expect(code(res)).toBe('FHIR.FORBIDDEN');
    expect(ehr.count('POST /token')).toBe(0);
  });
});
