import { jest } from '@jest/globals';
import type { QuestionnaireResponse, Task } from 'fhir/r4.js';
import request from 'supertest';
import { DataSource } from 'typeorm';
import type { DeliveredEntry } from '../src/fhir/outbox-entry.entity.js';
import { OutboxWorker } from '../src/fhir/outbox.worker.js';
import { GAD7_ITEM_IDS, gad7 } from '../src/questionnaires/engine/instruments/gad7.js';
import { buildResponse } from '../src/questionnaires/engine/response-builder.js';
import { RegistryService } from '../src/smart/registry/registry.service.js';
import { SessionService } from '../src/smart/session/session.service.js';
import { FhirStore } from '../src/sandbox/fhir-store.service.js';
import { as, phqAnswers, phqResponse } from './questionnaire-support/questionnaire-api.js';
import { TestBrowser } from './support/browser.js';
import { EHR_PROFILES, ReferenceEhr, type ReferenceEhrProfile } from './support/reference-ehr/reference-ehr.js';
import { signIn, type SignedIn } from './support/sign-in.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const GAD7 = `${gad7.questionnaire.url}|${gad7.questionnaire.version}`;
const SDC = 'http://hl7.org/fhir/uv/sdc/CodeSystem/temp';
const PATIENT = 'sbx-pat-1';
const CLINICIAN = 'Practitioner/sbx-prac-1';

// A busy 2-core machine builds the embedded database and drains slowly: generous, not timed.
jest.setTimeout(300_000);

/** SDC's pattern: a Task asking the patient's form to be completed (Task.input of type questionnaire). */
const sdcTask = (patient: string, extra: Partial<Task> = {}): Task => ({
  resourceType: 'Task',
  status: 'requested',
  intent: 'order',
  code: { coding: [{ system: SDC, code: 'complete-questionnaire' }] },
  for: { reference: `Patient/${patient}` },
  input: [{ type: { coding: [{ system: SDC, code: 'questionnaire' }] }, valueCanonical: GAD7 }],
  ...extra,
});
const gad7Response = (status: QuestionnaireResponse['status'] = 'completed') =>
  buildResponse(gad7, Object.fromEntries(GAD7_ITEM_IDS.map((id) => [id, 1])), { status, subject: { reference: `Patient/${PATIENT}` } });

interface Entry {
  id: string;
  kind: string;
  status: string;
  depends_on: string | null;
  response: DeliveredEntry[] | null;
  last_error: { status: number; reason: string; outcome?: { issue?: { diagnostics?: string }[] } } | null;
}
/** The outbox entries of one response: its write-back, then its Task completion when there is one. */
async function entriesOf(t: TestApp, responseId: string): Promise<Entry[]> {
  return t.app.get(DataSource).query(
    `SELECT id, kind, status, depends_on, response, last_error FROM outbox_entry WHERE business_key IN ($1, $2) ORDER BY seq`,
    [`questionnaire-response:${responseId}:v1`, `task-completion:${responseId}`],
  );
}
/** The response's id on the EHR, as its delivered write-back entry recorded it. */
const ehrResponseId = (e: Entry) => e.response!.find((r) => r.type === 'QuestionnaireResponse')!.id!;

/** Runs the worker until nothing waits, letting retries fall due at once (the test drives the clock). */
async function drainAll(t: TestApp): Promise<void> {
  const ds = t.app.get(DataSource);
  for (let round = 0; round < 20; round++) {
    await t.app.get(OutboxWorker).drain();
    const [{ n }] = (await ds.query(`SELECT count(*)::int AS n FROM outbox_entry WHERE status IN ('pending', 'in_flight')`)) as { n: number }[];
    if (!n) return;
    await ds.query(`UPDATE outbox_entry SET next_attempt_at = now(), locked_until = NULL, status = 'pending' WHERE status IN ('pending', 'in_flight')`);
  }
  throw new Error('The outbox did not drain');
}

/** Sends an entry again as after a crash that lost the record of its delivery. */
async function resend(t: TestApp, id: string): Promise<void> {
  await t.app.get(DataSource).query(`UPDATE outbox_entry SET status = 'pending', next_attempt_at = now(), locked_until = NULL WHERE id = $1`, [id]);
  await drainAll(t);
}

/**
 * Issue 15: the EHR launched the app on a Task (SMART 2.2 fhirContext, SDC's Task pattern); when the form it asks for
 * is submitted in that session, the EHR's Task is completed, its output naming the response — after the response is
 * on the EHR, version-checked (If-Match), never twice, never over a Task someone else closed. Here on our sandbox EHR
 * (launched for real; write-back with the system token of SMART backend services).
 */
describe("completing the EHR's Task a launch named — sandbox EHR, system token", () => {
  let t: TestApp;
  let sandboxId: string;
  const ds = () => t.app.get(DataSource);
  const store = () => t.app.get(FhirStore);
  const ehrTask = async (id: string) => (await store().read('Task', id)).resource as Task;

  /** An EHR launch from the sandbox (clinician, patient in context, optionally on a Task), up to the app. */
  async function launch(query: Record<string, string> = {}): Promise<SignedIn> {
    const b = new TestBrowser();
    await b.navigate(`${t.url}/sandbox/launch?${new URLSearchParams({ user: CLINICIAN, patient: `Patient/${PATIENT}`, ...query })}`, (u) => u.startsWith(`${t.url}/app/`));
    const ctx = await b.request(`${t.url}/api/context`);
    expect(ctx.status).toBe(200);
    return { cookie: b.cookieHeader(t.url), csrf: JSON.parse(ctx.body).csrfToken, registrationId: sandboxId, userId: '' };
  }
  /** A launch on a new SDC Task, with the form opened (`GET /api/context/form`, as the app does after launch). */
  async function launchOnTask(extra: Partial<Task> = {}): Promise<{ s: SignedIn; taskId: string }> {
    const taskId = (await store().create('Task', sdcTask(PATIENT, extra))).resource.id!;
    const s = await launch({ fhirContext: `Task/${taskId}` });
    const form = await as(t, s).get('/api/context/form').expect(200);
    expect(form.body).toEqual({ form: { canonical: GAD7, source: 'Task', task: `Task/${taskId}` } });
    return { s, taskId };
  }
  const submit = async (s: SignedIn, body: QuestionnaireResponse) => {
    const res = await as(t, s).post('/api/questionnaire-responses', body);
    expect(res.status).toBe(201);
    return res.body.resource.id as string;
  };

  beforeAll(async () => {
    t = await createTestApp({ listen: true, fhir: { outboxWorker: false, outboxBackoffBaseMs: 1, outboxBackoffCapMs: 1 } });
    sandboxId = (await t.app.get(RegistryService).findEnabledByIssuer(`${t.url}/sandbox/fhir`))!.id;
  });
  afterAll(async () => t?.close());

  it("completes the Task once the response is on the EHR: status completed, output → the response (SDC's type), nothing else lost", async () => {
    const { s, taskId } = await launchOnTask({ owner: { reference: CLINICIAN }, note: [{ text: 'before the visit' }] });
    const launchedAt = await ehrTask(taskId);
    const [session] = await ds().query(`SELECT launch_task FROM app_session WHERE launch_task IS NOT NULL ORDER BY created_at DESC LIMIT 1`);
    expect(session.launch_task).toEqual({
      id: taskId, versionId: launchedAt.meta!.versionId, form: GAD7, asks: { canonical: GAD7 },
      // What the Task asks, as at launch: a change to it before delivery stops the completion.
      substance: { intent: 'order', code: launchedAt.code, for: `Patient/${PATIENT}`, focus: null, input: launchedAt.input },
    });

    const responseId = await submit(s, gad7Response());
    const [qr, completion] = await entriesOf(t, responseId);
    expect(qr).toMatchObject({ kind: 'questionnaire-response.completed', status: 'pending' });
    // A separate entry, enqueued with the response in one transaction, naming the entry it needs delivered first.
    expect(completion).toMatchObject({ kind: 'task-completion', status: 'pending', depends_on: qr.id });
    // One Task, one response: the session has forgotten it.
    expect(await ds().query(`SELECT count(*)::int AS n FROM app_session WHERE launch_task->>'id' = $1`, [taskId])).toEqual([{ n: 0 }]);

    await drainAll(t);
    const [sentQr, sentCompletion] = await entriesOf(t, responseId);
    expect([sentQr.status, sentCompletion.status]).toEqual(['delivered', 'delivered']);
    const qrOnEhr = ehrResponseId(sentQr);
    const done = await ehrTask(taskId);
    expect(done).toMatchObject({
      status: 'completed',
      owner: { reference: CLINICIAN },
      note: [{ text: 'before the visit' }],
      input: launchedAt.input,
      output: [{ type: { coding: [{ system: SDC, code: 'questionnaire-response' }] }, valueReference: { reference: `QuestionnaireResponse/${qrOnEhr}` } }],
    });
    expect(Number(done.meta!.versionId)).toBe(Number(launchedAt.meta!.versionId) + 1);
    expect(sentCompletion.response).toEqual([{ status: '200', type: 'Task', id: taskId, version: done.meta!.versionId }]);
    // The response itself points at no Task (R4's basedOn takes CarePlan and ServiceRequest only).
    const onEhr = (await store().read('QuestionnaireResponse', qrOnEhr)).resource as QuestionnaireResponse;
    expect(JSON.stringify(onEhr.basedOn ?? [])).not.toContain('Task/');

    // Sent again (a crash lost the record of its delivery): the output already names the response, nothing is written.
    await resend(t, sentCompletion.id);
    const again = await ehrTask(taskId);
    expect(again.meta!.versionId).toBe(done.meta!.versionId);
    expect(again.output).toHaveLength(1);
    expect((await entriesOf(t, responseId))[1]).toMatchObject({ status: 'delivered', response: [{ status: expect.stringMatching(/^already-recorded/), type: 'Task', id: taskId }] });
  });

  it('completes it only with a submitted response to that form, for that patient, in that session', async () => {
    const { s, taskId } = await launchOnTask();
    // Another form submitted in the session: no completion.
    const phq = await submit(s, phqResponse(`Patient/${PATIENT}`, phqAnswers(0)));
    expect((await entriesOf(t, phq)).map((e) => e.kind)).toEqual(['questionnaire-response.completed']);
    // A draft of the form: none either (drafts are never written back).
    const draft = await submit(s, gad7Response('in-progress'));
    expect(await entriesOf(t, draft)).toEqual([]);
    // The form submitted in another session of the same clinician and patient (launched without the Task): none.
    const other = await submit(await launch(), gad7Response());
    expect((await entriesOf(t, other)).map((e) => e.kind)).toEqual(['questionnaire-response.completed']);
    await drainAll(t);
    expect((await ehrTask(taskId)).status).toBe('requested');

    // The draft submitted in the Task's session completes it.
    const submitted = await as(t, s).put(`/api/questionnaire-responses/${draft}`, { ...gad7Response('completed'), id: draft }, 'W/"1"');
    expect(submitted.status).toBe(200);
    const [, completion] = await t.app.get(DataSource).query(
      `SELECT kind FROM outbox_entry WHERE business_key IN ($1, $2) ORDER BY seq`, [`questionnaire-response:${draft}:v2`, `task-completion:${draft}`],
    ) as { kind: string }[];
    expect(completion).toEqual({ kind: 'task-completion' });
    await drainAll(t);
    expect(await ehrTask(taskId)).toMatchObject({ status: 'completed', output: [{ valueReference: { reference: expect.stringMatching(/^QuestionnaireResponse\//) } }] });
  });

  it('completes nothing, and fails no submission, for a Task remembered before its substance was kept (a session open across the release)', async () => {
    const { s, taskId } = await launchOnTask();
    await ds().query(`UPDATE app_session SET launch_task = launch_task - 'substance' WHERE launch_task->>'id' = $1`, [taskId]);
    const responseId = await submit(s, gad7Response());
    expect((await entriesOf(t, responseId)).map((e) => e.kind)).toEqual(['questionnaire-response.completed']);
    expect(await ds().query(`SELECT count(*)::int AS n FROM app_session WHERE launch_task->>'id' = $1`, [taskId])).toEqual([{ n: 0 }]);
  });

  it('opens the form of a Task in draft or on hold, but does not remember the Task: answering it completes nothing', async () => {
    for (const status of ['draft', 'on-hold'] as const) {
      const taskId = (await store().create('Task', sdcTask(PATIENT, { status }))).resource.id!;
      const s = await launch({ fhirContext: `Task/${taskId}` });
      const form = await as(t, s).get('/api/context/form').expect(200);
      expect(form.body).toEqual({ form: { canonical: GAD7, source: 'Task', task: `Task/${taskId}`, taskNotReady: status } });
      expect(await ds().query(`SELECT count(*)::int AS n FROM app_session WHERE launch_task->>'id' = $1`, [taskId])).toEqual([{ n: 0 }]);
      const responseId = await submit(s, gad7Response());
      expect((await entriesOf(t, responseId)).map((e) => e.kind)).toEqual(['questionnaire-response.completed']);
      await drainAll(t);
      expect((await ehrTask(taskId)).status).toBe(status);
    }
    // Remembered while requested, then paused at the EHR before the form is opened again: forgotten.
    const { s, taskId } = await launchOnTask();
    await store().update('Task', taskId, { ...(await ehrTask(taskId)), status: 'on-hold' } as Task);
    await as(t, s).get('/api/context/form').expect(200, { form: { canonical: GAD7, source: 'Task', task: `Task/${taskId}`, taskNotReady: 'on-hold' } });
    expect(await ds().query(`SELECT count(*)::int AS n FROM app_session WHERE launch_task->>'id' = $1`, [taskId])).toEqual([{ n: 0 }]);
  });

  it('leaves a Task changed in substance or put on hold since the launch as it is: a dead entry, coded, in the coordinator\'s problems; a change in its notes is kept and the Task completed', async () => {
    const coordinator = await signIn(t.app, { role: 'coordinator', issuer: `${t.url}/sandbox/fhir` });
    const problems = async () => (await request(t.app.getHttpServer()).get('/api/outbox/problems').set('Cookie', coordinator.cookie).expect(200)).body as { id: string; kind: string; lastError: { reason: string } }[];
    const changeAtEhr = async (taskId: string, change: Partial<Task>) => store().update('Task', taskId, { ...(await ehrTask(taskId)), ...change });

    const cases: [Partial<Task>, string | null][] = [
      [{ code: { coding: [{ system: SDC, code: 'review-with-patient' }] } }, 'undeliverable:task-changed-in-substance'],
      [{ status: 'on-hold' }, 'undeliverable:task-not-ready'],
      [{ note: [{ text: 'reminded by phone' }], owner: { reference: CLINICIAN } }, null],
    ];
    for (const [change, reason] of cases) {
      const { s, taskId } = await launchOnTask();
      await changeAtEhr(taskId, change);
      const changed = await ehrTask(taskId);
      const responseId = await submit(s, gad7Response());
      await drainAll(t);
      const [qr, completion] = await entriesOf(t, responseId);
      expect(qr.status).toBe('delivered');
      if (reason) {
        expect(completion).toMatchObject({ status: 'dead', last_error: { status: 0, reason } });
        expect(completion.last_error!.outcome!.issue![0].diagnostics).toMatch(new RegExp(`^The EHR's Task/${taskId} was not completed: `));
        expect(await problems()).toEqual(expect.arrayContaining([expect.objectContaining({ id: completion.id, kind: 'task-completion', lastError: expect.objectContaining({ reason }) })]));
        expect((await ehrTask(taskId)).meta!.versionId).toBe(changed.meta!.versionId);
      } else {
        expect(completion.status).toBe('delivered');
        expect(await ehrTask(taskId)).toMatchObject({ status: 'completed', note: [{ text: 'reminded by phone' }], owner: { reference: CLINICIAN } });
      }
    }
  });

  it('ends as a coded problem the coordinator sees when the write-back token may not update Task, and completes it once granted and retried', async () => {
    const registry = t.app.get(RegistryService);
    const before = (await registry.get(sandboxId)).systemScopes!;
    // No token is dropped by hand: the cached token is keyed by the scopes asked, so a change of them asks anew.
    await registry.update(sandboxId, { systemScopes: before.replace('system/Task.cru', 'system/Task.rs') }, { actor: 'test', actorRole: 'admin' });
    try {
      const { s, taskId } = await launchOnTask();
      const responseId = await submit(s, gad7Response());
      await drainAll(t);
      const [qr, completion] = await entriesOf(t, responseId);
      expect(qr.status).toBe('delivered');
      expect(completion).toMatchObject({ status: 'dead', last_error: { status: 0, reason: 'undeliverable:task-scope' } });
      expect(completion.last_error!.outcome!.issue![0].diagnostics).toMatch(/not granted update on Task/);
      expect((await ehrTask(taskId)).status).toBe('requested');

      const coordinator = await signIn(t.app, { role: 'coordinator', issuer: `${t.url}/sandbox/fhir` });
      const problems = await request(t.app.getHttpServer()).get('/api/outbox/problems').set('Cookie', coordinator.cookie).expect(200);
      expect(problems.body).toEqual(expect.arrayContaining([expect.objectContaining({ id: completion.id, kind: 'task-completion', status: 'dead', patientKey: `Patient/${PATIENT}`, lastError: expect.objectContaining({ reason: 'undeliverable:task-scope' }) })]));

      // The EHR grants it; an admin retries the entry: the Task is completed.
      await registry.update(sandboxId, { systemScopes: before }, { actor: 'test', actorRole: 'admin' });
      const admin = await signIn(t.app, { role: 'admin', issuer: `${t.url}/sandbox/fhir` });
      await request(t.app.getHttpServer()).post(`/api/admin/outbox/${completion.id}/retry`).set('Cookie', admin.cookie).set('X-CSRF-Token', admin.csrf).expect(200);
      await drainAll(t);
      expect((await ehrTask(taskId)).status).toBe('completed');
    } finally {
      await registry.update(sandboxId, { systemScopes: before }, { actor: 'test', actorRole: 'admin' });
    }
  });
});

/**
 * The same against a FHIR server we did not write: Medplum's engine (test/support/reference-ehr/), as a plain REST
 * EHR and as one that takes transactions, with write-back by the launching user's own token (the EHR offers the
 * app no backend services). Its If-Match is Medplum's own.
 */
describe.each([
  { name: 'transactions', profile: EHR_PROFILES.transaction },
  { name: 'plain REST', profile: EHR_PROFILES.restOnly },
] as { name: string; profile: ReferenceEhrProfile }[])("completing the EHR's Task — reference EHR ($name), user token", ({ profile }) => {
  let t: TestApp;
  let ehr: ReferenceEhr;
  const ds = () => t.app.get(DataSource);
  const task = async (id: string) => (await ehr.all<Task>('Task')).find((x) => x.id === id)!;
  const CLINICAL = 'openid fhirUser launch offline_access patient/Patient.r patient/QuestionnaireResponse.cru patient/Observation.cr patient/Provenance.cr user/Questionnaire.rs';

  /** A clinician's EHR launch on Task/<id> (as the callback stores it), their token issued by the EHR with `scope`. */
  async function launchOn(taskId: string, scope: string): Promise<SignedIn> {
    const who = await signIn(t.app, { role: 'clinician', issuer: ehr.baseUrl, fhirUser: CLINICIAN, patientId: PATIENT });
    const sessions = t.app.get(SessionService);
    const loaded = (await sessions.load(who.cookie.split('=')[1]))!;
    const state = sessions.state(loaded.row);
    state.tokenResponse = { ...state.tokenResponse, access_token: ehr.issueUserToken(scope), scope };
    await sessions.saveState(loaded.row, state);
    await ds().query(`UPDATE app_session SET fhir_context = $2::jsonb WHERE id_hash = $1`, [loaded.row.idHash, JSON.stringify([{ reference: `Task/${taskId}`, type: 'Task' }])]);
    await as(t, who).get('/api/context/form').expect(200, { form: { canonical: GAD7, source: 'Task', task: `Task/${taskId}` } });
    return who;
  }
  const submit = async (s: SignedIn) => {
    const res = await as(t, s).post('/api/questionnaire-responses', gad7Response());
    expect(res.status).toBe(201);
    return res.body.resource.id as string;
  };

  beforeAll(async () => {
    t = await createTestApp({ listen: true, fhir: { outboxWorker: false, outboxBackoffBaseMs: 1, outboxBackoffCapMs: 1 } });
    ehr = await ReferenceEhr.start({ profile });
    const registrationId = (await signIn(t.app, { role: 'admin', issuer: ehr.baseUrl })).registrationId;
    await t.app.get(RegistryService).update(registrationId, { writeBackAuth: 'user' }, { actor: 'test', actorRole: 'admin' });
    await ehr.seed([{ resourceType: 'Patient', id: PATIENT, name: [{ family: 'Synthetic' }] }]);
  });
  afterAll(async () => {
    await t?.close();
    await ehr?.close();
  });

  it('completes the Task, valid, with If-Match; an answer lost after the EHR committed, and a resend, append nothing', async () => {
    await ehr.seed([{ ...sdcTask(PATIENT), id: 'task-1' }]);
    const s = await launchOn('task-1', `${CLINICAL} user/Task.cru`);
    const responseId = await submit(s);
    // The EHR completes the Task but its answer is lost: the entry is retried, reads the Task, finds its output.
    ehr.intercept = ({ method, path }) => (method === 'PUT' && path === '/fhir/Task/task-1' ? { status: 504, afterCommit: true } : undefined);
    try {
      await drainAll(t);
    } finally {
      ehr.intercept = undefined;
    }
    const [qr, completion] = await entriesOf(t, responseId);
    expect([qr.status, completion.status]).toEqual(['delivered', 'delivered']);
    expect(completion.response).toEqual([{ status: expect.stringMatching(/^already-recorded/), type: 'Task', id: 'task-1', version: expect.any(String) }]);
    const done = await task('task-1');
    expect(done).toMatchObject({ status: 'completed', output: [{ type: { coding: [{ system: SDC, code: 'questionnaire-response' }] }, valueReference: { reference: `QuestionnaireResponse/${ehrResponseId(qr)}` } }] });
    expect((await ehr.all('QuestionnaireResponse')).map((r) => r.id)).toContain(ehrResponseId(qr));
    expect(ehr.requests.filter((r) => r.method === 'PUT' && r.path === '/fhir/Task/task-1').map((r) => r.status)).toEqual([504]);
    if (!profile.transactions) expect(ehr.requests.filter((r) => r.bundleType)).toEqual([]);

    await resend(t, completion.id);
    expect((await task('task-1')).output).toHaveLength(1);
    expect((await task('task-1')).meta!.versionId).toBe(done.meta!.versionId);
    expect(ehr.validationProblems).toEqual([]);
  });

  it('reads again after 412 (the Task changed since read) and completes it, keeping the change', async () => {
    await ehr.seed([{ ...sdcTask(PATIENT), id: 'task-2' }]);
    const s = await launchOn('task-2', `${CLINICAL} user/Task.cru`);
    await submit(s);
    let changed = false;
    ehr.intercept = async ({ method, path }) => {
      if (method === 'PUT' && path === '/fhir/Task/task-2' && !changed) {
        changed = true; // someone at the EHR changes the Task between our read and our update
        await ehr.seed([{ ...(await task('task-2')), status: 'in-progress', note: [{ text: 'started at the front desk' }] }]);
      }
      return undefined;
    };
    try {
      await drainAll(t);
    } finally {
      ehr.intercept = undefined;
    }
    expect(ehr.requests.filter((r) => r.method === 'PUT' && r.path === '/fhir/Task/task-2').map((r) => r.status)).toEqual([412, 200]);
    expect(await task('task-2')).toMatchObject({ status: 'completed', note: [{ text: 'started at the front desk' }], output: [{ valueReference: { reference: expect.stringMatching(/^QuestionnaireResponse\//) } }] });
    expect(ehr.validationProblems).toEqual([]);
  });

  it('leaves a Task someone else completed meanwhile as it is (412, read again: nothing to do)', async () => {
    await ehr.seed([{ ...sdcTask(PATIENT), id: 'task-3' }]);
    const s = await launchOn('task-3', `${CLINICAL} user/Task.cru`);
    const responseId = await submit(s);
    ehr.intercept = async ({ method, path }) => {
      if (method === 'PUT' && path === '/fhir/Task/task-3' && (await task('task-3')).status !== 'completed') {
        await ehr.seed([{ ...(await task('task-3')), status: 'completed', note: [{ text: 'done on paper' }] }]);
      }
      return undefined;
    };
    try {
      await drainAll(t);
    } finally {
      ehr.intercept = undefined;
    }
    const [, completion] = await entriesOf(t, responseId);
    expect(completion).toMatchObject({ status: 'delivered', response: [{ status: 'not-needed: the Task is already completed; left as it is', type: 'Task', id: 'task-3' }] });
    const left = await task('task-3');
    expect(left).toMatchObject({ status: 'completed', note: [{ text: 'done on paper' }] });
    expect(left.output).toBeUndefined();
  });

  it("completes it with the clinician's session that may update Task, though a newer one of theirs may not", async () => {
    await ehr.seed([{ ...sdcTask(PATIENT), id: 'task-5' }, { ...sdcTask(PATIENT), id: 'task-6' }]);
    const s = await launchOn('task-5', `${CLINICAL} user/Task.cru`);
    const responseId = await submit(s);
    // Before delivery the clinician launches again, newest of all, with a token that writes back but may not update Task.
    await launchOn('task-6', CLINICAL);
    await ds().query(`UPDATE app_session SET created_at = now() + interval '1 minute' WHERE launch_task->>'id' = 'task-6'`);
    await drainAll(t);
    const [qr, completion] = await entriesOf(t, responseId);
    expect([qr.status, completion.status]).toEqual(['delivered', 'delivered']);
    expect(await task('task-5')).toMatchObject({ status: 'completed', output: [{ valueReference: { reference: `QuestionnaireResponse/${ehrResponseId(qr)}` } }] });
    expect(ehr.validationProblems).toEqual([]);
  });

  it("enqueues no completion when the clinician's token (which writes back) may not update Task: an audit event says why, the response is delivered all the same", async () => {
    await ehr.seed([{ ...sdcTask(PATIENT), id: 'task-4' }]);
    const s = await launchOn('task-4', `${CLINICAL} patient/Task.rs`);
    const responseId = await submit(s);
    const entries = await entriesOf(t, responseId);
    expect(entries.map((e) => e.kind)).toEqual(['questionnaire-response.completed']);
    const audit = await ds().query(`SELECT outcome, actor, resource_type, resource_id, patient_id, detail FROM audit_event WHERE action = 'launch-task.not-completed' AND resource_id = 'task-4'`);
    expect(audit).toEqual([{ outcome: 'failure', actor: CLINICIAN, resource_type: 'Task', resource_id: 'task-4', patient_id: PATIENT, detail: { reason: 'task-scope', responseId, form: GAD7 } }]);
    // The session has forgotten the Task all the same: a second submission does not try again.
    expect(await ds().query(`SELECT count(*)::int AS n FROM app_session WHERE launch_task->>'id' = 'task-4'`)).toEqual([{ n: 0 }]);
    await drainAll(t);
    expect((await entriesOf(t, responseId))[0].status).toBe('delivered');
    expect((await task('task-4')).status).toBe('requested');
    expect(ehr.requests.filter((r) => r.method === 'PUT' && r.path === '/fhir/Task/task-4')).toEqual([]);
  });
});
