import { jest } from '@jest/globals';
import type { Bundle, Observation, QuestionnaireResponse } from 'fhir/r4.js';
import type request from 'supertest';
import { DataSource } from 'typeorm';
import type { DeliveredEntry } from '../src/fhir/outbox-entry.entity.js';
import { OutboxWorker } from '../src/fhir/outbox.worker.js';
import { FhirStore } from '../src/sandbox/fhir-store.service.js';
import { RegistryService } from '../src/smart/registry/registry.service.js';
import { as, outboxBundles, phqAnswers, phqResponse, resourcesOf, rowCounts } from './questionnaire-support/questionnaire-api.js';
import { SessionEncounterWithPatient1795000062000 } from '../migrations/1795000062000-session-encounter-with-patient.js';
import { sandboxLaunch } from './support/sandbox-launch.js';
import { signIn, type SignedIn } from './support/sign-in.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const PATIENT = 'sbx-pat-1';
const CLINICIAN = 'Practitioner/sbx-prac-1';
const VISIT = 'Encounter/sbx-enc-1';
const ERROR_SYSTEM = 'urn:als-wellness:error-code';
const RESPONSES = '/api/questionnaire-responses';

// A busy 2-core machine builds the embedded database and launches through real HTTP slowly: generous, not timed.
jest.setTimeout(300_000);

/** A refusal: the status, a FHIR OperationOutcome with the coded error, located at QuestionnaireResponse.encounter. */
function expectRefused(res: request.Response, status: number, code: string): void {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/fhir\+json/);
  expect(res.body.resourceType).toBe('OperationOutcome');
  expect(res.body.issue[0]).toMatchObject({ details: { coding: [{ system: ERROR_SYSTEM, code }] }, expression: ['QuestionnaireResponse.encounter'] });
}

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

/**
 * A response filled in during a visit records that visit: a clinician launched from the EHR with the patient AND an
 * encounter in context (the sandbox's real EHR launch) answers a form; the server sets QuestionnaireResponse.encounter,
 * keeps it on the draft and the FHIR view, writes it back on the response and its score Observations, and `$extract`
 * shows it. A client cannot name a visit the launch did not give (403) nor move a response to another (400).
 */
describe("the launch's encounter on a response — sandbox EHR launch", () => {
  let t: TestApp;
  let inVisit: SignedIn;
  let noVisit: SignedIn;
  const store = () => t.app.get(FhirStore);

  async function launch(encounter?: string): Promise<SignedIn> {
    const l = await sandboxLaunch(t.url, CLINICIAN, `Patient/${PATIENT}`, encounter);
    return { cookie: l.cookie, csrf: l.csrf, registrationId: '', userId: '' };
  }

  beforeAll(async () => {
    t = await createTestApp({ listen: true, fhir: { outboxWorker: false, outboxBackoffBaseMs: 1, outboxBackoffCapMs: 1 } });
    expect(await t.app.get(RegistryService).findEnabledByIssuer(`${t.url}/sandbox/fhir`)).not.toBeNull();
    inVisit = await launch('sbx-enc-1');
    noVisit = await launch();
  });
  afterAll(async () => t?.close());

  it('records the visit on a draft, keeps it when the draft is resumed and submitted, and writes it back on the response and its scores', async () => {
    const context = await as(t, inVisit).get('/api/context').expect(200);
    expect(context.body.encounterId).toBe('sbx-enc-1');

    const draft = await as(t, inVisit).post(RESPONSES, phqResponse(`Patient/${PATIENT}`, phqAnswers(1), 'in-progress')).expect(201);
    const id = draft.body.resource.id as string;
    expect(draft.body.resource.encounter).toEqual({ reference: VISIT, type: 'Encounter' });
    // The FHIR view, as a resumed draft reads it.
    const read = await as(t, inVisit).get(`${RESPONSES}/${id}`).expect(200);
    expect((read.body as QuestionnaireResponse).encounter).toEqual({ reference: VISIT, type: 'Encounter' });
    const [stored] = await t.app.get(DataSource).query(`SELECT resource->'encounter'->>'reference' AS encounter FROM questionnaire_response WHERE id = $1`, [id]);
    expect(stored.encounter).toBe(VISIT);

    // Submitted as the player does: the resource it loaded, answers added, encounter and all.
    const submitted = await as(t, inVisit).put(`${RESPONSES}/${id}`, { ...read.body, status: 'completed', item: phqResponse(`Patient/${PATIENT}`, phqAnswers(1)).item }, 'W/"1"').expect(200);
    expect(submitted.body.resource).toMatchObject({ status: 'completed', encounter: { reference: VISIT } });

    const [queued] = await outboxBundles(t, 'questionnaire-response.completed', id);
    const [qr] = resourcesOf<QuestionnaireResponse>(queued, 'QuestionnaireResponse');
    expect(qr.encounter).toEqual({ reference: VISIT, type: 'Encounter' });
    const observations = resourcesOf<Observation>(queued, 'Observation');
    expect(observations.length).toBeGreaterThan(0);
    expect(observations.map((o) => o.encounter?.reference)).toEqual(observations.map(() => VISIT));

    // `$extract` answers the Bundle queued: the encounter included.
    const extracted = await as(t, inVisit).post(`${RESPONSES}/${id}/$extract`, {}).expect(200);
    expect(extracted.body).toEqual(queued);

    // On the EHR: the response and its score both name the visit.
    await drainAll(t);
    const [entry] = (await t.app.get(DataSource).query(`SELECT status, response FROM outbox_entry WHERE business_key = $1`, [`questionnaire-response:${id}:v2`])) as { status: string; response: DeliveredEntry[] }[];
    expect(entry.status).toBe('delivered');
    for (const type of ['QuestionnaireResponse', 'Observation']) {
      const onEhr = (await store().read(type, entry.response.find((r) => r.type === type)!.id!)).resource as QuestionnaireResponse | Observation;
      expect(onEhr.encounter?.reference).toBe(VISIT);
    }
  });

  it("accepts the launch's own encounter when the client names it, and refuses (403) another one, storing nothing", async () => {
    const named = await as(t, inVisit).post(RESPONSES, { ...phqResponse(`Patient/${PATIENT}`, phqAnswers(0)), encounter: { reference: VISIT } }).expect(201);
    expect(named.body.resource.encounter.reference).toBe(VISIT);
    const before = await rowCounts(t);
    expectRefused(await as(t, inVisit).post(RESPONSES, { ...phqResponse(`Patient/${PATIENT}`, phqAnswers(0)), encounter: { reference: 'Encounter/sbx-enc-2' } }), 403, 'QUESTIONNAIRES.ENCOUNTER_NOT_IN_CONTEXT');
    expect(await rowCounts(t)).toEqual(before);
  });

  it('records no encounter when the launch had none, and refuses (403) one a client names, which nothing could verify', async () => {
    const plain = await as(t, noVisit).post(RESPONSES, phqResponse(`Patient/${PATIENT}`, phqAnswers(0), 'in-progress')).expect(201);
    expect(plain.body.resource.encounter).toBeUndefined();
    const before = await rowCounts(t);
    expectRefused(await as(t, noVisit).post(RESPONSES, { ...phqResponse(`Patient/${PATIENT}`, phqAnswers(0)), encounter: { reference: VISIT } }), 403, 'QUESTIONNAIRES.ENCOUNTER_NOT_IN_CONTEXT');
    expect(await rowCounts(t)).toEqual(before);
  });

  it('refuses (400) a malformed encounter, and an update that moves a response to another encounter', async () => {
    for (const encounter of ['Encounter/sbx-enc-1', { reference: 'Patient/sbx-pat-1' }, { identifier: { value: 'sbx-enc-1' } }, { reference: 'Encounter/' }]) {
      expectRefused(await as(t, inVisit).post(RESPONSES, { ...phqResponse(`Patient/${PATIENT}`, phqAnswers(0)), encounter }), 400, 'QUESTIONNAIRES.INVALID_RESPONSE');
    }
    const draft = await as(t, inVisit).post(RESPONSES, phqResponse(`Patient/${PATIENT}`, phqAnswers(2), 'in-progress')).expect(201);
    const id = draft.body.resource.id as string;
    expectRefused(await as(t, inVisit).put(`${RESPONSES}/${id}`, { ...draft.body.resource, encounter: { reference: 'Encounter/sbx-enc-2' } }, 'W/"1"'), 400, 'QUESTIONNAIRES.INVALID_RESPONSE');
    const after = await as(t, inVisit).get(`${RESPONSES}/${id}`).expect(200);
    expect(after.body.meta.versionId).toBe('1');
    expect(after.body.encounter.reference).toBe(VISIT);
  });

  // Runs last: it clears every session's encounter, as the deployment of the migration does.
  it('migration 1795000062000 drops the encounter of sessions opened before it (nothing tied it to their patient)', async () => {
    const ds = t.app.get(DataSource);
    const count = async () => ((await ds.query(`SELECT count(*)::int AS n FROM app_session WHERE encounter_id IS NOT NULL`)) as { n: number }[])[0].n;
    expect(await count()).toBeGreaterThan(0); // the in-visit session
    const qr = ds.createQueryRunner();
    try {
      await new SessionEncounterWithPatient1795000062000().up(qr);
    } finally {
      await qr.release();
    }
    expect(await count()).toBe(0); // a deployment restarts the service, so no in-process session cache outlives it
  });
});

/**
 * The rule around sessions, signed in directly (as after a completed launch): a draft keeps its visit when resumed
 * in a later session; a draft begun without one takes the visit it is submitted in; an amendment never gains one;
 * a patient's portal session records none unless its launch gave one.
 */
describe("the launch's encounter across sessions", () => {
  let t: TestApp;
  const clinician = (encounterId: string | null) => signIn(t.app, { role: 'clinician', fhirUser: 'Practitioner/clin-e1', patientId: 'pat-e1', encounterId });

  beforeAll(async () => {
    t = await createTestApp({ fhir: { outboxWorker: false } });
  });
  afterAll(async () => t?.close());

  it('keeps a resumed draft\'s visit in a later session with another (or none), the player resending it', async () => {
    const first = await clinician('enc-a');
    const draft = await as(t, first).post(RESPONSES, phqResponse('Patient/pat-e1', phqAnswers(1), 'in-progress')).expect(201);
    const id = draft.body.resource.id as string;
    const later = await clinician('enc-b');
    const resumed = await as(t, later).put(`${RESPONSES}/${id}`, { ...draft.body.resource, status: 'completed', item: phqResponse('Patient/pat-e1', phqAnswers(1)).item }, 'W/"1"').expect(200);
    expect(resumed.body.resource.encounter.reference).toBe('Encounter/enc-a');
    const [queued] = await outboxBundles(t, 'questionnaire-response.completed', id);
    const observations = resourcesOf<Observation>(queued as Bundle, 'Observation');
    expect(observations.length).toBeGreaterThan(0);
    expect(observations.map((o) => o.encounter?.reference)).toEqual(observations.map(() => 'Encounter/enc-a'));
  });

  it('gives a draft begun at home the visit it is submitted in; an amendment in a later visit adds none', async () => {
    const home = await clinician(null);
    const draft = await as(t, home).post(RESPONSES, phqResponse('Patient/pat-e1', phqAnswers(1), 'in-progress')).expect(201);
    const id = draft.body.resource.id as string;
    expect(draft.body.resource.encounter).toBeUndefined();
    const visit = await clinician('enc-c');
    const done = await as(t, visit).put(`${RESPONSES}/${id}`, { ...phqResponse('Patient/pat-e1', phqAnswers(1)), id }, 'W/"1"').expect(200);
    expect(done.body.resource.encounter.reference).toBe('Encounter/enc-c');

    const submittedAtHome = await as(t, home).post(RESPONSES, phqResponse('Patient/pat-e1', phqAnswers(2))).expect(201);
    const amended = await as(t, await clinician('enc-d')).put(`${RESPONSES}/${submittedAtHome.body.resource.id}`, phqResponse('Patient/pat-e1', phqAnswers(3)), 'W/"1"').expect(200);
    expect(amended.body.resource).toMatchObject({ status: 'amended' });
    expect(amended.body.resource.encounter).toBeUndefined();
  });

  it("records no visit in a patient's own session without one, and refuses one the patient names", async () => {
    const patient = await signIn(t.app, { role: 'patient', patientId: 'pat-e2' });
    const own = await as(t, patient).post(RESPONSES, phqResponse('Patient/pat-e2', phqAnswers(0))).expect(201);
    expect(own.body.resource.encounter).toBeUndefined();
    expectRefused(await as(t, patient).post(RESPONSES, { ...phqResponse('Patient/pat-e2', phqAnswers(0)), encounter: { reference: 'Encounter/enc-a' } }), 403, 'QUESTIONNAIRES.ENCOUNTER_NOT_IN_CONTEXT');
  });
});
