import { DataSource } from 'typeorm';
import type { DatabaseConfig, HttpConfig } from '../src/config/index.js';
import { signIn, type SignedIn } from './support/sign-in.js';
import { createTestApp, type TestApp } from './support/test-app.js';
import { phqAnswers, phqResponse } from './questionnaire-support/questionnaire-api.js';

const OFFERED = 200;
const PATIENTS = 10;

interface Answer {
  status: number;
  retryAfter: string | null;
  id?: string;
}

/**
 * More PHQ-9 submissions at once than the service can take, from ten clinicians: every answer is 201 (stored
 * whole: response, frozen version, score, write-back entry, audit row) or 503 with Retry-After (nothing stored).
 * Counts and time are bounded; no assertion depends on how fast this machine is.
 */
describe.each<[string, { http: Partial<HttpConfig>; database: Partial<DatabaseConfig> }]>([
  // Three places and a queue of twelve: the rest is shed before it touches the database.
  ['the admission queue is full', { http: { maxInFlight: 3, maxQueued: 12 }, database: {} }],
  // Admission wide open: the pool (two connections; PGlite's one) is the bound, its wait short.
  ['the database pool is saturated', { http: { maxInFlight: 1000, maxQueued: 1000 }, database: { poolSize: 2, connectionTimeoutMs: 300 } }],
])('overload sheds, it does not fail, when %s', (_name, settings) => {
  let t: TestApp;
  let clinicians: SignedIn[];
  let answers: Answer[];

  beforeAll(async () => {
    t = await createTestApp({ listen: true, fhir: { outboxWorker: false }, http: { rateLimitMax: 100_000, ...settings.http }, database: settings.database });
    clinicians = [];
    for (let i = 0; i < PATIENTS; i++) clinicians.push(await signIn(t.app, { role: 'clinician', patientId: `pat-${i}` }));
    answers = await Promise.all(
      Array.from({ length: OFFERED }, async (_, n): Promise<Answer> => {
        const who = clinicians[n % PATIENTS];
        const res = await fetch(`${t.url}/api/questionnaire-responses`, {
          method: 'POST',
          headers: { Cookie: who.cookie, 'X-CSRF-Token': who.csrf, 'Content-Type': 'application/fhir+json' },
          body: JSON.stringify(phqResponse(`Patient/pat-${n % PATIENTS}`, phqAnswers(1, 0))),
        });
        const body = (await res.json()) as { resource?: { id?: string } };
        return { status: res.status, retryAfter: res.headers.get('retry-after'), id: body.resource?.id };
      }),
    );
  }, 240_000);
  afterAll(async () => t?.close());

  it('answers every submission 201 or 503 with Retry-After, never 500, and sheds some', () => {
    const statuses = [...new Set(answers.map((a) => a.status))].sort();
    expect(statuses.filter((s) => s !== 201 && s !== 503)).toEqual([]);
    expect(answers.some((a) => a.status === 503)).toBe(true);
    for (const a of answers.filter((x) => x.status === 503)) expect(Number(a.retryAfter)).toBeGreaterThan(0);
  });

  it('stores every 201 whole and leaves nothing behind a 503', async () => {
    const ds = t.app.get(DataSource);
    const stored = answers.filter((a) => a.status === 201).map((a) => a.id!);
    const count = async (sql: string) => (await ds.query(sql))[0].n as number;
    expect(await count(`SELECT count(*)::int AS n FROM questionnaire_response`)).toBe(stored.length);
    expect(await count(`SELECT count(*)::int AS n FROM questionnaire_response_version`)).toBe(stored.length);
    expect(await count(`SELECT count(*)::int AS n FROM questionnaire_score WHERE link_id = 'phq9-total'`)).toBe(stored.length);
    expect(await count(`SELECT count(*)::int AS n FROM outbox_entry WHERE kind = 'questionnaire-response.completed'`)).toBe(stored.length);
    expect(await count(`SELECT count(*)::int AS n FROM audit_event WHERE action = 'questionnaire-response.submit'`)).toBe(stored.length);
    const rows: { id: string }[] = await ds.query(
      `SELECT r.id FROM questionnaire_response r
         JOIN questionnaire_response_version v ON v.response_id = r.id
         JOIN questionnaire_score s ON s.response_id = r.id AND s.link_id = 'phq9-total' AND s.value IS NOT NULL
         JOIN outbox_entry o ON o.business_key = 'questionnaire-response:' || r.id || ':v1'`,
    );
    expect(rows.map((r) => r.id).sort()).toEqual([...stored].sort());
  });

  it('takes the next submission once the storm has passed', async () => {
    const who = clinicians[0];
    const res = await fetch(`${t.url}/api/questionnaire-responses`, {
      method: 'POST',
      headers: { Cookie: who.cookie, 'X-CSRF-Token': who.csrf, 'Content-Type': 'application/fhir+json' },
      body: JSON.stringify(phqResponse('Patient/pat-0', phqAnswers(1, 0))),
    });
    expect(res.status).toBe(201);
  });
});
