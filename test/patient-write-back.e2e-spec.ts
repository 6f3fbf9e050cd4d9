import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import type { OutboxError, OutboxStatus } from '../src/fhir/outbox-entry.entity.js';
import { referralBundle } from './support/outbox-fixtures.js';
import { signIn, type SignedIn } from './support/sign-in.js';
import { createTestApp, type TestApp } from './support/test-app.js';

// The clinician's question "did what I did for this patient reach the EHR?", answered from the outbox: three
// patients (all delivered; some waiting; one refused), plus rows that must never be counted for them.

const ERROR_SYSTEM = 'urn:als-wellness:error-code';
const REFUSAL = {
  resourceType: 'OperationOutcome',
  issue: [{ severity: 'error', code: 'invalid', details: { text: 'CarePlan.basedOn: expected Reference(CarePlan)' }, expression: ['CarePlan.basedOn'] }],
};
const refused: OutboxError = { status: 422, reason: 'http', retryable: false, outcome: REFUSAL, at: '2026-03-02T10:00:00.000Z' };
const unavailable: OutboxError = { status: 503, reason: 'http', retryable: true, at: '2026-03-02T10:05:00.000Z' };

describe('a patient’s write-back status (GET /api/patients/{id}/write-back)', () => {
  let t: TestApp;
  let ds: DataSource;
  let clinician: SignedIn;
  let coordinator: SignedIn;
  let otherEhr: SignedIn;
  const api = () => request(t.app.getHttpServer());
  const code = (res: request.Response) => res.body.issue?.[0]?.details?.coding?.[0];
  const status = (who: SignedIn, patient: string) => api().get(`/api/patients/${patient}/write-back`).set('Cookie', who.cookie);

  /** One outbox row as the worker would leave it; `ageSeconds` back-dates its creation. */
  async function seed(registrationId: string, patient: string, s: OutboxStatus, o: { ageSeconds?: number; lastError?: OutboxError; kind?: string } = {}) {
    const ref = randomUUID();
    const [row]: { id: string }[] = await ds.query(
      `INSERT INTO outbox_entry (registration_id, patient_key, kind, business_key, bundle, status, created_at, last_error, delivered_at)
       VALUES ($1, $2, $3, $4, $5::jsonb, $6::text, now() - $7::int * interval '1 second', $8::jsonb, CASE WHEN $6::text = 'delivered' THEN now() END)
       RETURNING id`,
      [registrationId, `Patient/${patient}`, o.kind ?? 'referral.created', `test:${ref}`, JSON.stringify(referralBundle(`Patient/${patient}`, ref)), s, o.ageSeconds ?? 0, o.lastError ? JSON.stringify(o.lastError) : null],
    );
    return row.id;
  }

  let deadId: string;
  let retryingId: string;
  beforeAll(async () => {
    t = await createTestApp({ fhir: { outboxWorker: false } });
    ds = t.app.get(DataSource);
    clinician = await signIn(t.app, { role: 'clinician', patientId: 'pw-delivered' });
    coordinator = await signIn(t.app, { role: 'coordinator' });
    otherEhr = await signIn(t.app, { role: 'coordinator', issuer: 'https://other-ehr.test/fhir' });
    const rid = clinician.registrationId;
    expect(otherEhr.registrationId).not.toBe(rid);

    // All delivered, one after a failed first attempt (its last_error stays as history).
    for (let i = 0; i < 2; i++) await seed(rid, 'pw-delivered', 'delivered');
    await seed(rid, 'pw-delivered', 'delivered', { lastError: unavailable });
    // Waiting: two pending (one made ten minutes ago), one in flight after a 503.
    await seed(rid, 'pw-waiting', 'delivered');
    await seed(rid, 'pw-waiting', 'pending', { ageSeconds: 600 });
    await seed(rid, 'pw-waiting', 'pending');
    retryingId = await seed(rid, 'pw-waiting', 'in_flight', { ageSeconds: 120, lastError: unavailable, kind: 'enrolment.created' });
    // Failed: refused for good with an OperationOutcome, while another write still waits.
    await seed(rid, 'pw-failed', 'delivered');
    await seed(rid, 'pw-failed', 'pending');
    deadId = await seed(rid, 'pw-failed', 'dead', { lastError: refused, kind: 'enrolment.created' });

    // Never counted for those patients: another patient of the same EHR, the same patient ids at another EHR.
    await seed(rid, 'pw-other', 'dead', { lastError: refused });
    await seed(rid, 'pw-delivered-2', 'pending');
    await seed(otherEhr.registrationId, 'pw-delivered', 'dead', { lastError: refused });
    await seed(otherEhr.registrationId, 'pw-delivered', 'pending');
    await seed(otherEhr.registrationId, 'pw-waiting', 'delivered');
  });
  afterAll(async () => t?.close());

  it('says all delivered for the clinician’s patient in context, not counting other patients or EHRs', async () => {
    const res = await status(clinician, 'pw-delivered').expect(200);
    expect(res.body).toEqual({ state: 'delivered', delivered: 3, waiting: 0, oldestWaitingSeconds: null, failedCount: 0, failed: [], retrying: [] });
  });

  it('says how many wait and how old the oldest is, and which one the EHR has not accepted yet', async () => {
    const res = await status(coordinator, 'pw-waiting').expect(200);
    expect(res.body).toMatchObject({ state: 'waiting', delivered: 1, waiting: 3, failedCount: 0, failed: [] });
    expect(res.body.oldestWaitingSeconds).toBeGreaterThanOrEqual(600);
    expect(res.body.retrying).toEqual([
      { id: retryingId, kind: 'enrolment.created', createdAt: expect.any(String), at: unavailable.at, status: 503, reason: 'http', message: 'The EHR answered HTTP 503.', retryable: true },
    ]);
  });

  it('says failed, in the EHR’s own words, and never returns the Bundle', async () => {
    const res = await status(coordinator, 'pw-failed').expect(200);
    expect(res.body).toMatchObject({ state: 'failed', delivered: 1, waiting: 1, failedCount: 1, retrying: [] });
    expect(res.body.failed).toEqual([
      {
        id: deadId,
        kind: 'enrolment.created',
        createdAt: expect.any(String),
        at: refused.at,
        status: 422,
        reason: 'http',
        message: 'CarePlan.basedOn: expected Reference(CarePlan) (CarePlan.basedOn)',
        retryable: false,
      },
    ]);
    expect(JSON.stringify(res.body)).not.toMatch(/Bundle|ServiceRequest|"Patient\//);
  });

  it('answers a patient with no writes yet as delivered with nothing counted', async () => {
    expect((await status(coordinator, 'pw-none').expect(200)).body).toMatchObject({ state: 'delivered', delivered: 0, waiting: 0, failedCount: 0 });
  });

  it('refuses a clinician another patient than the one in context (403, audited)', async () => {
    const res = await status(clinician, 'pw-failed');
    expect(res.status).toBe(403);
    expect(res.headers['content-type']).toMatch(/^application\/fhir\+json/);
    expect(code(res)).toEqual({ system: ERROR_SYSTEM, code: 'AUTH.PATIENT_NOT_IN_CONTEXT' });
    // Written as the read it was, denied, under the patient asked for.
    const audited = await ds.query(`SELECT actor_role, outcome, detail->>'reason' AS reason FROM audit_event WHERE action = 'write-back.read' AND patient_id = 'pw-failed' AND actor_role = 'clinician'`);
    expect(audited).toEqual([{ actor_role: 'clinician', outcome: 'denied', reason: 'AUTH.PATIENT_NOT_IN_CONTEXT' }]);
    const noPatient = await signIn(t.app, { role: 'clinician' });
    expect((await status(noPatient, 'pw-delivered')).status).toBe(403);
  });

  it.each(['quality', 'admin', 'patient', 'caregiver'] as const)('refuses %s (403)', async (role) => {
    const who = await signIn(t.app, { role, patientId: 'pw-delivered' });
    const res = await status(who, 'pw-delivered');
    expect(res.status).toBe(403);
    expect(code(res).code).toMatch(/^AUTH\./);
  });

  it('needs a session (401)', async () => {
    expect((await api().get('/api/patients/pw-delivered/write-back')).status).toBe(401);
  });

  it.each(['a%20b', 'x'.repeat(65), 'p_1', "1'%20OR%20'1'='1"])('answers a bad id (%s) with 400 OperationOutcome', async (id) => {
    const res = await status(coordinator, id);
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/fhir\+json/);
    expect(code(res)).toEqual({ system: ERROR_SYSTEM, code: 'COMMON.VALIDATION' });
  });

  it('is documented in OpenAPI', async () => {
    const doc = await api().get('/api/docs-json').set('Cookie', coordinator.cookie).expect(200);
    expect(doc.body.paths['/api/patients/{id}/write-back']?.get).toBeDefined();
  });
});
