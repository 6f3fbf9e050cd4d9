import { jest } from '@jest/globals';
import { Script } from 'node:vm';
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

  it("runs a built-in form's FHIRPath over an ordinary response without a node:vm deadline call (its cost is bounded)", async () => {
    await as(t, clinician).post('/api/questionnaire-responses', phqResponse('Patient/pat-1', phqAnswers(1, 0))).expect(201); // compiled once
    const vmCalls = jest.spyOn(Script.prototype, 'runInContext');
    try {
      const res = await as(t, clinician).post('/api/questionnaire-responses', phqResponse('Patient/pat-1', phqAnswers(3, 0)));
      expect(res.status).toBe(201);
      expect(res.body.scores).toEqual(expect.arrayContaining([expect.objectContaining({ linkId: 'phq9-total', value: 24 })]));
      expect(vmCalls).not.toHaveBeenCalled();
    } finally {
      vmCalls.mockRestore();
    }
  });

  it('stores nothing when one part of the statement fails: no response, version, score or write-back without its audit row', async () => {
    const ds = t.app.get(DataSource);
    // The database refuses this clinician's audit rows (a test-only trigger): the statement's other parts must go too.
    await ds.query(`CREATE FUNCTION refuse_clin_2_audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit refused'; END $$`);
    await ds.query(`CREATE TRIGGER refuse_clin_2_audit BEFORE INSERT ON audit_event FOR EACH ROW WHEN (NEW.actor = 'Practitioner/clin-2') EXECUTE FUNCTION refuse_clin_2_audit()`);
    try {
      const other = await signIn(t.app, { role: 'clinician', patientId: 'pat-2', fhirUser: 'Practitioner/clin-2' });
      const counts = async () =>
        (await ds.query(
          `SELECT (SELECT count(*)::int FROM questionnaire_response WHERE patient_id = 'pat-2') AS responses,
                  (SELECT count(*)::int FROM questionnaire_response_version) AS versions,
                  (SELECT count(*)::int FROM questionnaire_score) AS scores,
                  (SELECT count(*)::int FROM outbox_entry) AS entries`,
        ))[0];
      const before = await counts();
      const res = await as(t, other).post('/api/questionnaire-responses', phqResponse('Patient/pat-2', phqAnswers(2, 0)));
      expect(res.status).toBe(500);
      expect(await counts()).toEqual({ ...before, responses: 0 });
    } finally {
      await ds.query(`DROP TRIGGER refuse_clin_2_audit ON audit_event`);
      await ds.query(`DROP FUNCTION refuse_clin_2_audit()`);
    }
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
