import { jest } from '@jest/globals';
import { DataSource, type QueryRunner } from 'typeorm';
import { signIn, type SignedIn } from './support/sign-in.js';
import { createTestApp, type TestApp } from './support/test-app.js';
import { as, auditActions, outboxBundles, phqAnswers, phqResponse } from './questionnaire-support/questionnaire-api.js';

// The embedded database starts from a snapshot, but a busy 2-core machine is slow: generous, not timed.
jest.setTimeout(120_000);

/**
 * The statements of each transaction the service ran while `act` did: a save is one transaction, so a request that
 * saves shows one list, START TRANSACTION … COMMIT (each statement shortened to its first words).
 */
async function transactionsDuring(t: TestApp, act: () => Promise<unknown>): Promise<string[][]> {
  const logger = t.app.get(DataSource).logger;
  const byRunner = new Map<QueryRunner | undefined, string[]>();
  const spy = jest.spyOn(logger, 'logQuery').mockImplementation((query: string, _params?: unknown, runner?: QueryRunner) => {
    byRunner.set(runner, [...(byRunner.get(runner) ?? []), query.trim().split(/\s+/).slice(0, 2).join(' ')]);
  });
  try {
    await act();
  } finally {
    spy.mockRestore();
  }
  return [...byRunner.values()].filter((s) => s[0] === 'START TRANSACTION');
}

/**
 * The round trips of a save (issue 14: on PostgreSQL each statement sent cost more CPU than the rest of its work): a
 * new response writes its rows, its write-back entry, its audit row and the session's launch Task release in one
 * statement when no safety alert is raised, and everything is still stored.
 */
describe('a new PHQ-9 saved by a clinician, with no alert to raise', () => {
  let t: TestApp;
  let clinician: SignedIn;

  beforeAll(async () => {
    t = await createTestApp({ fhir: { outboxWorker: false } });
    clinician = await signIn(t.app, { role: 'clinician', patientId: 'pat-1', fhirUser: 'Practitioner/clin-1' });
  });
  afterAll(async () => t?.close());

  it('a submission is BEGIN, one statement, COMMIT, and stores the response, its version, score, write-back and audit row', async () => {
    let res: { status: number; body: { resource: { id: string }; alerts: unknown[] } } | undefined;
    const transactions = await transactionsDuring(t, async () => {
      res = await as(t, clinician).post('/api/questionnaire-responses', phqResponse('Patient/pat-1', phqAnswers(2, 0)));
    });
    expect(res!.status).toBe(201);
    expect(res!.body.alerts).toEqual([]);
    expect(transactions).toEqual([['START TRANSACTION', 'WITH r', 'COMMIT']]);
    const id = res!.body.resource.id;
    const ds = t.app.get(DataSource);
    const [stored] = await ds.query(
      `SELECT r.status, r.version, (SELECT count(*)::int FROM questionnaire_response_version v WHERE v.response_id = r.id) AS versions,
              (SELECT value::float8 FROM questionnaire_score s WHERE s.response_id = r.id AND s.link_id = 'phq9-total') AS total
         FROM questionnaire_response r WHERE r.id = $1`,
      [id],
    );
    expect(stored).toEqual({ status: 'completed', version: 1, versions: 1, total: 16 });
    expect(await outboxBundles(t, 'questionnaire-response.completed', id)).toHaveLength(1);
    expect(await auditActions(t, id)).toEqual(['questionnaire-response.submit']);
    const [audit] = await ds.query(`SELECT actor, patient_id, detail FROM audit_event WHERE resource_id = $1`, [id]);
    expect(audit).toMatchObject({ actor: 'Practitioner/clin-1', patient_id: 'pat-1', detail: { version: 1, previousVersion: null, alerts: 0 } });
  });

  it('a draft is BEGIN, one statement, COMMIT, and is audited; nothing is written back', async () => {
    let res: { status: number; body: { resource: { id: string } } } | undefined;
    const transactions = await transactionsDuring(t, async () => {
      res = await as(t, clinician).post('/api/questionnaire-responses', phqResponse('Patient/pat-1', phqAnswers(1, 0), 'in-progress'));
    });
    expect(res!.status).toBe(201);
    expect(transactions).toEqual([['START TRANSACTION', 'WITH r', 'COMMIT']]);
    expect(await auditActions(t, res!.body.resource.id)).toEqual(['questionnaire-response.save-draft']);
    expect(await outboxBundles(t, 'questionnaire-response.completed', res!.body.resource.id)).toEqual([]);
  });
});
