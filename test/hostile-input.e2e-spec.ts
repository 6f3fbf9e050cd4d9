import { DataSource } from 'typeorm';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { MSC } from './programs-support/course.js';
import { phqAnswers, phqResponse } from './questionnaire-support/questionnaire-api.js';
import { signIn, type SignedIn } from './support/sign-in.js';
import { createTestApp, type TestApp } from './support/test-app.js';

interface Outcome {
  resourceType: string;
  issue: { diagnostics: string; expression?: string[]; details: { coding: { code: string }[] } }[];
}

/**
 * Hostile bytes from outside — NUL, unpaired surrogates, bytes that are not UTF-8, a Content-Encoding the body does
 * not have — are answered 400 (or 415) with an OperationOutcome naming where they were, and nothing reaches the
 * database. Requests go over a real socket (fetch) so the bytes arrive exactly as written here.
 */
describe('bad input never becomes a 500', () => {
  let t: TestApp;
  let coordinator: SignedIn;
  let clinician: SignedIn;
  let admin: SignedIn;

  beforeAll(async () => {
    t = await createTestApp({ listen: true, fhir: { outboxWorker: false } });
    coordinator = await signIn(t.app, { role: 'coordinator' });
    clinician = await signIn(t.app, { role: 'clinician', patientId: 'pat-1' });
    admin = await signIn(t.app, { role: 'admin' });
  }, 120_000); // a fresh embedded database starts slowly on a busy machine
  afterAll(async () => t?.close());

  const stored = async (): Promise<Record<string, number>> => {
    const ds = t.app.get(DataSource);
    const out: Record<string, number> = {};
    for (const table of ['referral', 'questionnaire_response', 'questionnaire_score', 'outbox_entry']) {
      out[table] = (await ds.query(`SELECT count(*)::int AS n FROM ${table}`))[0].n;
    }
    return out;
  };

  const get = (path: string, who: SignedIn = coordinator) => fetch(`${t.url}${path}`, { headers: { Cookie: who.cookie } });
  const post = (path: string, body: string | Buffer, who: SignedIn, headers: Record<string, string> = {}) =>
    fetch(`${t.url}${path}`, {
      method: 'POST',
      headers: { Cookie: who.cookie, 'X-CSRF-Token': who.csrf, 'Content-Type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : new Uint8Array(body),
    });
  const refusal = async (res: Response): Promise<{ status: number; oo: Outcome }> => ({ status: res.status, oo: (await res.json()) as Outcome });
  const expressions = (oo: Outcome) => oo.issue.flatMap((i) => i.expression ?? []);
  const referral = (reason: string) => `{"patientId":"pat-9","program":"${MSC}","reason":"${reason}"}`;

  it.each([
    ['a NUL in a path segment', '/api/referrals/%00'],
    ['an encoded lone surrogate (CESU-8) in the path', '/api/patients/%ED%A0%80'],
    ['an overlong NUL in the path', '/api/patients/a%C0%80b'],
    ['a NUL in the sandbox EHR path', '/sandbox/fhir/Patient/ab%00c'],
  ])('refuses %s: 400 naming the path', async (_what, path) => {
    const { status, oo } = await refusal(await get(path));
    expect(status).toBe(400);
    expect(oo.resourceType).toBe('OperationOutcome');
    expect(expressions(oo)).toContain('path');
  });

  it.each([
    ['a NUL', '/api/admin/audit?patient=a%00b', 'patient'],
    ['an encoded lone surrogate', '/api/admin/audit?patient=a%ED%A0%80b', 'patient'],
    ['a latin1 byte', '/api/admin/audit?actor=Jos%E9', 'actor'],
    ['a NUL in the launch issuer', '/smart/launch?iss=https%3A%2F%2Fehr.test%2Ffhir%00&launch=x', 'iss'],
  ])('refuses %s in the query: 400 naming the parameter', async (_what, path, name) => {
    const { status, oo } = await refusal(await get(path, admin));
    expect(status).toBe(400);
    expect(expressions(oo)).toContain(name);
  });

  it('refuses a CSRF token of the right length in non-ASCII characters with 403, not 500', async () => {
    const before = await stored();
    const res = await post('/api/referrals', referral('Low mood'), coordinator, { 'X-CSRF-Token': 'é'.repeat(coordinator.csrf.length) });
    expect(res.status).toBe(403);
    expect(((await res.json()) as Outcome).resourceType).toBe('OperationOutcome');
    expect(await stored()).toEqual(before);
  });

  it('keeps a query with a literal % working', async () => {
    expect((await get('/api/admin/audit?action=100%', admin)).status).toBe(200);
  });

  it('refuses NUL, lone surrogates, a bad property name and non-UTF-8 bytes in JSON, naming the field, storing nothing', async () => {
    const before = await stored();
    const cases: [string | Buffer, string][] = [
      [referral('a\\u0000b'), 'reason'],
      [referral('a\\ud800b'), 'reason'],
      [referral('a\\udc00\\ud800b'), 'reason'],
      [`{"patientId":"pat-9","program":"${MSC}","reason":"x","caregivers":["rp-1\\u0000"]}`, 'caregivers[0]'],
      [`{"patientId":"pat-9","program":"${MSC}","re\\u0000ason":"x"}`, 'body'],
      [Buffer.concat([Buffer.from(referral('a')), Buffer.from([0xed, 0xa0, 0x80])]), 'body'],
      [Buffer.from(referral('Jos\xe9'), 'latin1'), 'body'],
    ];
    for (const [body, expression] of cases) {
      const { status, oo } = await refusal(await post('/api/referrals', body, coordinator));
      expect({ body: body.toString(), status }).toEqual({ body: body.toString(), status: 400 });
      expect(expressions(oo)).toContain(expression);
      expect(oo.issue[0].details.coding[0].code).toBe('COMMON.VALIDATION');
    }
    expect(await stored()).toEqual(before);
  });

  it('names the FHIR item that carries a refused character, and stores no answer', async () => {
    const before = await stored();
    // A JSON copy: the built response shares one answer object between items with the same answer.
    const qr = JSON.parse(JSON.stringify(phqResponse('Patient/pat-1', phqAnswers(1, 0)))) as { item: { linkId: string; text?: string; answer?: { valueCoding?: { display?: string } }[] }[] };
    qr.item[0].text = 'Little interest\u0000';
    qr.item[1].answer![0].valueCoding!.display = 'Several days\ud83d';
    const { status, oo } = await refusal(await post('/api/questionnaire-responses', JSON.stringify(qr), clinician, { 'Content-Type': 'application/fhir+json' }));
    expect(status).toBe(400);
    expect(expressions(oo)).toEqual([
      `QuestionnaireResponse.item.where(linkId='${qr.item[0].linkId}').text`,
      `QuestionnaireResponse.item.where(linkId='${qr.item[1].linkId}').answer[0].valueCoding.display`,
    ]);
    expect(await stored()).toEqual(before);
  });

  it('refuses a body nested deeper than any form needs', async () => {
    const deep = `{"patientId":"pat-9","program":"${MSC}","reason":${'['.repeat(5000)}${']'.repeat(5000)}}`;
    const { status, oo } = await refusal(await post('/api/referrals', deep, coordinator));
    expect(status).toBe(400);
    expect(oo.issue[0].diagnostics).toMatch(/nested deeper than/);
  });

  it.each([
    ['gzip', 400],
    ['deflate', 400],
    ['br', 400],
    ['compress', 415],
  ])('answers a body that is not %s as its Content-Encoding says with %i, storing nothing', async (encoding, expected) => {
    const before = await stored();
    const { status, oo } = await refusal(await post('/api/referrals', referral('plain'), coordinator, { 'Content-Encoding': encoding }));
    expect(status).toBe(expected);
    expect(oo.resourceType).toBe('OperationOutcome');
    expect(await stored()).toEqual(before);
  });

  it.each([
    ['gzip', gzipSync],
    ['deflate', deflateSync],
    ['br', brotliCompressSync],
  ])('reads a body that really is %s', async (encoding, compress) => {
    const res = await post('/api/referrals', compress(Buffer.from(referral(`Sent ${encoding}`))), coordinator, { 'Content-Encoding': encoding });
    expect(res.status).not.toBeGreaterThanOrEqual(500);
    expect(res.status).not.toBe(400);
  });

  it('answers a small hostile corpus on every kind of route without a 5xx', async () => {
    const bad = ['%00', '%ED%A0%80', '%ED%B0%80', '%C0%80', '%FF', '%E0%A4%A', '%', '%%00', '\u00e9'];
    const paths = bad.flatMap((b) => [
      `/api/patients/${b}`,
      `/api/referrals/${b}`,
      `/api/referrals?status=${b}`,
      `/api/admin/audit?patient=${b}&action=${b}`,
      `/api/questionnaire-responses?patient=${b}`,
      `/smart/launch?iss=${b}&launch=${b}`,
      `/smart/callback?code=${b}&state=${b}`,
      `/sandbox/fhir/Patient?name=${b}`,
      `/${b}`,
    ]);
    const statuses = new Map<string, number>();
    for (const path of paths) statuses.set(path, (await get(path, admin)).status);
    expect([...statuses].filter(([, s]) => s >= 500)).toEqual([]);
  });
});
