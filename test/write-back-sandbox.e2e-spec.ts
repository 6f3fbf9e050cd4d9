import type { Appointment, CarePlan, Provenance, Resource, ServiceRequest, Task } from 'fhir/r4.js';
import { DataSource } from 'typeorm';
import { OutboxService } from '../src/fhir/outbox.service.js';
import { OutboxWorker } from '../src/fhir/outbox.worker.js';
import { FhirStore } from '../src/sandbox/fhir-store.service.js';
import { SandboxControl } from '../src/sandbox/sandbox-control.js';
import { createCohort, referScreenAccept } from './programs-support/course.js';
import { apiAs, outboxRows } from './programs-support/program-api.js';
import { signIn } from './support/sign-in.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const CAREGIVER = 'RelatedPerson/sbx-rp-1';

/**
 * Write-back for real: the outbox worker authenticates to the sandbox EHR with SMART backend services
 * (client_credentials + private_key_jwt against our published JWKS) and delivers transaction Bundles over
 * HTTP. An EHR outage loses nothing and duplicates nothing; a refusal lands in the dead letters.
 */
describe('write-back to the sandbox EHR', () => {
  let t: TestApp;
  let coordinator: ReturnType<typeof apiAs>;
  const all = async <T extends Resource>(type: string) => {
    const { matches } = await t.app.get(FhirStore).search({ type, filters: [], count: 500, offset: 0, sort: 'asc' });
    return matches.map((m) => m.resource as T & { id: string; meta: { versionId: string } });
  };
  const statuses = async () =>
    (await t.app.get(DataSource).query(`SELECT status, count(*)::int AS n FROM outbox_entry GROUP BY status ORDER BY status`)) as { status: string; n: number }[];

  beforeAll(async () => {
    t = await createTestApp({ listen: true, fhir: { outboxWorker: false } });
    coordinator = apiAs(t, await signIn(t.app, { role: 'coordinator', issuer: `${t.url}/sandbox/fhir` }));
  });
  afterAll(async () => t?.close());
  afterEach(() => t.app.get(SandboxControl).reset());

  it('keeps working while the EHR is down, then delivers everything exactly once, in order', async () => {
    t.app.get(SandboxControl).set({ mode: 'unavailable' });
    const referral = await referScreenAccept(coordinator, 'sbx-pat-1', [CAREGIVER]);
    const cohort = await createCohort(coordinator, 'Autumn group', 2);
    await coordinator.post('/api/enrolments', { referralId: referral, cohortId: cohort.id }).expect(201);
    await coordinator.put(`/api/sessions/${cohort.sessions[0].id}/attendance`, { attendance: [{ person: 'Patient/sbx-pat-1', status: 'attended' }, { person: CAREGIVER, status: 'attended' }] }).expect(200);
    const queued = (await outboxRows(t)).length;
    expect(queued).toBeGreaterThan(5);

    await t.app.get(OutboxWorker).runOnce();
    expect(await all('ServiceRequest')).toHaveLength(0);
    expect((await statuses()).find((s) => s.status === 'delivered')).toBeUndefined();

    t.app.get(SandboxControl).reset();
    await t.app.get(DataSource).query(`UPDATE outbox_entry SET next_attempt_at = now() WHERE status = 'pending'`);
    await t.app.get(OutboxWorker).drain();
    expect(await statuses()).toEqual([{ status: 'delivered', n: queued }]);

    const [sr] = await all<ServiceRequest>('ServiceRequest');
    expect(sr).toMatchObject({ subject: { reference: 'Patient/sbx-pat-1' }, intent: 'order' });
    const tasks = (await all<Task>('Task')).filter((x) => x.code?.coding?.some((c) => c.code === 'fulfill'));
    expect(tasks).toHaveLength(1);
    const forms = (await all<Task>('Task')).filter((x) => x.code?.coding?.some((c) => c.code === 'complete-questionnaire'));
    expect(forms.length).toBeGreaterThan(0);
    expect(forms.every((f) => f.for?.reference === 'Patient/sbx-pat-1')).toBe(true);
    expect(tasks[0]).toMatchObject({ status: 'in-progress', focus: { reference: `ServiceRequest/${sr.id}` } });
    expect(Number(tasks[0].meta.versionId)).toBe(4); // requested → received → accepted → in-progress, in order
    const [plan] = await all<CarePlan>('CarePlan');
    expect(plan).toMatchObject({ status: 'active', supportingInfo: [{ reference: `ServiceRequest/${sr.id}` }] });
    expect(plan.basedOn).toBeUndefined();
    expect(tasks[0].output).toEqual([{ type: { text: 'Enrolment' }, valueReference: { reference: `CarePlan/${plan.id}` } }]);
    const appointments = await all<Appointment>('Appointment');
    expect(appointments).toHaveLength(8);
    expect((await all<Provenance>('Provenance')).length).toBe(queued);

    // A second drain, and a resend of everything, change nothing on the EHR.
    expect(await t.app.get(OutboxWorker).drain()).toBe(0);
    await t.app.get(DataSource).query(`UPDATE outbox_entry SET status = 'pending', attempts = 0, next_attempt_at = now()`);
    await t.app.get(OutboxWorker).drain();
    expect(await all('ServiceRequest')).toHaveLength(1);
    expect(await all('CarePlan')).toHaveLength(1);
    expect((await all('Provenance')).length).toBe(queued);
  });

  it('puts a write the EHR refuses (4xx) in the dead letters, with its OperationOutcome, and retries it on request', async () => {
    const referral = await referScreenAccept(coordinator, 'sbx-pat-2');
    expect(referral).toBeTruthy();
    t.app.get(SandboxControl).set({ mode: 'reject-writes' });
    await t.app.get(OutboxWorker).drain();
    const dead = await t.app.get(OutboxService).list({ status: 'dead', limit: 50 });
    expect(dead.items.length).toBeGreaterThan(0);
    const problems = (await coordinator.get('/api/outbox/problems').expect(200)).body as { patientKey: string; lastError: { status: number }; bundle?: unknown }[];
    expect(problems.length).toBe(dead.items.length);
    expect(problems.every((p) => p.patientKey === 'Patient/sbx-pat-2' && p.lastError.status === 422 && p.bundle === undefined)).toBe(true);
    const first = await t.app.get(OutboxService).get(dead.items[0].id);
    expect(JSON.stringify(first.lastError)).toContain('OperationOutcome');

    t.app.get(SandboxControl).reset();
    for (const item of dead.items) await t.app.get(OutboxService).retry(item.id, { actor: 'test', actorRole: 'admin' });
    await t.app.get(OutboxWorker).drain();
    expect((await statuses()).find((s) => s.status === 'dead')).toBeUndefined();
    const srs = await all<ServiceRequest>('ServiceRequest');
    expect(srs.filter((s) => s.subject.reference === 'Patient/sbx-pat-2')).toHaveLength(1);
  });
});
