import { jest } from '@jest/globals';
import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { MetadataScanner, ModulesContainer, Reflector } from '@nestjs/core';
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { get as httpGet, type ClientRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { PassThrough } from 'node:stream';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AUDIT_READ_KEY, NO_PATIENT_DATA_KEY, type AuditReadSpec } from '../src/audit/audit-read.decorator.js';
import { AuditService } from '../src/audit/audit.service.js';
import { OutcomeReportService } from '../src/reports/outcome-report.service.js';
import { createCohort, referScreenAccept } from './programs-support/course.js';
import { apiAs } from './programs-support/program-api.js';
import { as, phqAnswers, phqResponse } from './questionnaire-support/questionnaire-api.js';
import { FakeEhr } from './support/fake-ehr.js';
import { signIn, type SignedIn } from './support/sign-in.js';
import { createTestApp, type TestApp } from './support/test-app.js';
import { until } from './support/wait.js';

interface Route {
  method: string;
  path: string;
  audited?: AuditReadSpec;
  noPatientData?: string;
}

/** Every route the app serves, with its audit classification, read from the controllers themselves. */
function routes(t: TestApp): Route[] {
  const scanner = new MetadataScanner();
  const reflector = new Reflector();
  const out: Route[] = [];
  const controllers = [...t.app.get(ModulesContainer).values()].flatMap((m) => [...m.controllers.values()]);
  for (const wrapper of controllers) {
    const instance = wrapper.instance as object | undefined;
    if (!instance || !wrapper.metatype) continue;
    const base = ([] as string[]).concat(Reflect.getMetadata(PATH_METADATA, wrapper.metatype) ?? '')[0];
    for (const name of scanner.getAllMethodNames(Object.getPrototypeOf(instance))) {
      const handler = (instance as Record<string, unknown>)[name] as () => unknown;
      const sub = Reflect.getMetadata(PATH_METADATA, handler);
      if (sub === undefined) continue;
      const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod];
      const path = `/${[base, ([] as string[]).concat(sub)[0]].filter((p) => p && p !== '/').join('/')}`.replace(/\/+/g, '/');
      out.push({
        method,
        path,
        audited: reflector.getAllAndOverride<AuditReadSpec | undefined>(AUDIT_READ_KEY, [handler, wrapper.metatype]),
        noPatientData: reflector.getAllAndOverride<string | undefined>(NO_PATIENT_DATA_KEY, [handler, wrapper.metatype]),
      });
    }
  }
  return out;
}

interface AuditRow {
  action: string;
  outcome: string;
  actor: string | null;
  actorRole: string | null;
  patientId: string | null;
  resourceType: string | null;
  resourceId: string | null;
  requestId: string | null;
  correlationId: string | null;
  detail: Record<string, unknown> | null;
}

const P = 'phi-pat-1';
const OTHER = 'phi-pat-2';
const CAREGIVER = 'RelatedPerson/phi-rp-1';
/** A caregiver of the other patient. */
const OTHER_CAREGIVER = 'RelatedPerson/phi-rp-2';
/** A patient named only in the EHR's answer to a cohort's write-back. */
const NAMED = 'phi-pat-9';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Every read of patient-level data leaves an audit row (IHE BALP's read and query events): who, in which role,
 * what, about which patient (the bare id), with what outcome, under our own request id. The routes come from the
 * controllers, so a new GET that is neither audited nor declared free of patient data fails here.
 */
describe('every read of patient-level data is audited', () => {
  let t: TestApp;
  let ehr: FakeEhr;
  let ds: DataSource;
  const who: Record<'coordinator' | 'clinician' | 'patient' | 'caregiver' | 'admin', SignedIn> = {} as never;
  const ids: Record<string, string> = {};

  const audit = async (query: string): Promise<AuditRow[]> =>
    (await request(t.app.getHttpServer()).get(`/api/admin/audit?${query}&limit=500`).set('Cookie', who.admin.cookie).expect(200)).body;

  beforeAll(async () => {
    ehr = await FakeEhr.start();
    ehr.add(P, 'Avery', 'Sample');
    ehr.add(OTHER, 'Jordan', 'Placeholder');
    ehr.addCaregiver('phi-rp-1', P, 'Morgan', 'Spouse');
    ehr.addCaregiver('phi-rp-2', OTHER, 'Drew', 'Son');
    t = await createTestApp({ fhir: { outboxWorker: false } });
    ds = t.app.get(DataSource);
    const issuer = ehr.baseUrl;
    who.coordinator = await signIn(t.app, { role: 'coordinator', issuer });
    who.clinician = await signIn(t.app, { role: 'clinician', issuer, patientId: P });
    who.patient = await signIn(t.app, { role: 'patient', issuer, patientId: P, fhirUser: `Patient/${P}` });
    who.caregiver = await signIn(t.app, { role: 'caregiver', issuer, patientId: P, fhirUser: CAREGIVER });
    who.admin = await signIn(t.app, { role: 'admin', issuer });
    const coordinator = apiAs(t, who.coordinator);

    // A referral, a cohort with two enrolled patients (one with a caregiver), attendance, a PHQ-9 with an alert.
    ids.referral = await referScreenAccept(coordinator, P, [CAREGIVER]);
    ids.otherReferral = await referScreenAccept(coordinator, OTHER);
    const cohort = await createCohort(coordinator, 'Audit group', 2);
    ids.cohort = cohort.id;
    ids.session = cohort.sessions[0].id;
    ids.enrolment = (await coordinator.post('/api/enrolments', { referralId: ids.referral, cohortId: cohort.id }).expect(201)).body.id;
    await coordinator.post('/api/enrolments', { referralId: ids.otherReferral, cohortId: cohort.id }).expect(201);
    await coordinator
      .put(`/api/sessions/${ids.session}/attendance`, { attendance: [{ person: `Patient/${P}`, status: 'attended' }, { person: `Patient/${OTHER}`, status: 'attended' }] })
      .expect(200);
    const saved = await as(t, who.patient).post('/api/questionnaire-responses', phqResponse(`Patient/${P}`, phqAnswers(1, 2)));
    expect(saved.status).toBe(201);
    expect(saved.body.alerts.length).toBeGreaterThan(0);
    ids.response = saved.body.resource.id;
    [{ id: ids.assignment }] = await ds.query(`SELECT id FROM questionnaire_assignment WHERE patient_id = $1 ORDER BY due_from LIMIT 1`, [P]);
    [{ id: ids.outbox }] = await ds.query(`SELECT id FROM outbox_entry WHERE patient_key = $1 ORDER BY seq LIMIT 1`, [`Patient/${P}`]);
    // A cohort's shared Appointment is ordered under `cohort/<id>`, not a patient: its read names the patients in it.
    [{ id: ids.cohortOutbox }] = await ds.query(
      `SELECT id FROM outbox_entry WHERE patient_key = $1 AND bundle::text LIKE $2 ORDER BY seq DESC LIMIT 1`,
      [`cohort/${cohort.id}`, `%"Patient/${P}"%`],
    );
    // One write the EHR refused for good, for the coordinators' problems list.
    const refused = (text: string) => JSON.stringify({ status: 422, reason: 'http', retryable: false, at: '2026-01-01T00:00:00.000Z', outcome: { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'processing', diagnostics: text }] } });
    await ds.query(`UPDATE outbox_entry SET status = 'dead', last_error = $2::jsonb WHERE id = $1`, [ids.outbox, refused(`Patient/${P}: unknown practitioner`)]);
    // A cohort's entry the EHR answered naming a patient in its text (it stays pending: retried later).
    await ds.query(`UPDATE outbox_entry SET last_error = $2::jsonb WHERE id = $1`, [ids.cohortOutbox, refused(`Appointment participant Patient/${NAMED} not found`)]);
  }, 180_000); // a fresh embedded database starts slowly on a busy machine
  afterAll(async () => {
    await t?.close();
    await ehr?.close();
  });

  it('classifies every GET under /api: audited as a read of patient data, or declared free of it', () => {
    const api = routes(t).filter((r) => r.path.startsWith('/api/'));
    expect(api.length).toBeGreaterThan(20);
    const unclassified = api.filter((r) => r.method === 'GET' && !r.audited && !r.noPatientData).map((r) => `${r.method} ${r.path}`);
    expect(unclassified).toEqual([]);
    const both = api.filter((r) => r.audited && r.noPatientData).map((r) => `${r.method} ${r.path}`);
    expect(both).toEqual([]);
  });

  /** How to call each audited route as a role allowed to, with the data seeded above. */
  const calls: Record<string, { as: keyof typeof who; path: () => string; patients: string[] }> = {
    'GET /api/context': { as: 'clinician', path: () => '/api/context', patients: [P] },
    'GET /api/patients': { as: 'coordinator', path: () => `/api/patients?ids=${P},${OTHER}`, patients: [P, OTHER] },
    'GET /api/patients/:id': { as: 'coordinator', path: () => `/api/patients/${P}`, patients: [P] },
    'GET /api/patients/:id/write-back': { as: 'clinician', path: () => `/api/patients/${P}/write-back`, patients: [P] },
    'GET /api/patients/:id/summary': { as: 'clinician', path: () => `/api/patients/${P}/summary?format=text`, patients: [P] },
    // A session launched on no form reads nothing from the EHR here: no row. A Task read is audited
    // (test/fhir-context-launch.e2e-spec.ts).
    'GET /api/context/form': { as: 'clinician', path: () => '/api/context/form', patients: [] },
    'GET /api/referrals': { as: 'coordinator', path: () => '/api/referrals', patients: [P, OTHER] },
    'GET /api/referrals/:id': { as: 'clinician', path: () => `/api/referrals/${ids.referral}`, patients: [P] },
    'GET /api/enrolments': { as: 'coordinator', path: () => `/api/enrolments?cohortId=${ids.cohort}`, patients: [P, OTHER] },
    'GET /api/enrolments/:id': { as: 'clinician', path: () => `/api/enrolments/${ids.enrolment}`, patients: [P] },
    'GET /api/sessions/:id/attendance': { as: 'coordinator', path: () => `/api/sessions/${ids.session}/attendance`, patients: [P, OTHER] },
    'GET /api/questionnaire-responses': { as: 'clinician', path: () => '/api/questionnaire-responses', patients: [P] },
    'GET /api/questionnaire-responses/:id': { as: 'clinician', path: () => `/api/questionnaire-responses/${ids.response}`, patients: [P] },
    'GET /api/alerts': { as: 'coordinator', path: () => '/api/alerts', patients: [P] },
    'GET /api/questionnaire-assignments': { as: 'caregiver', path: () => '/api/questionnaire-assignments', patients: [P] },
    'GET /api/questionnaire-assignments/:id': { as: 'clinician', path: () => `/api/questionnaire-assignments/${ids.assignment}`, patients: [P] },
    'GET /api/admin/outbox/:id': { as: 'admin', path: () => `/api/admin/outbox/${ids.outbox}`, patients: [P] },
    // Only the entries that show the EHR's answer: their patient key, and the patient a cohort's answer names.
    'GET /api/admin/outbox': { as: 'admin', path: () => '/api/admin/outbox?limit=100', patients: [P, NAMED] },
    // The caregivers' names and relationships shown are their patients' data.
    'GET /api/people': { as: 'coordinator', path: () => `/api/people?refs=${CAREGIVER},${OTHER_CAREGIVER}`, patients: [P, OTHER] },
    'GET /api/outbox/problems': { as: 'coordinator', path: () => '/api/outbox/problems', patients: [P] },
    'GET /api/admin/users': { as: 'admin', path: () => '/api/admin/users', patients: [P] },
    'GET /api/admin/audit': { as: 'admin', path: () => `/api/admin/audit?patient=Patient/${P}`, patients: [P] },
    // SDC operations: POSTs that change nothing and show patient data (the extracted Bundle; answers pre-filled from the EHR).
    'POST /api/questionnaire-responses/:id/$extract': { as: 'clinician', path: () => `/api/questionnaire-responses/${ids.response}/$extract`, patients: [P] },
    'POST /api/questionnaires/:id/$populate': { as: 'clinician', path: () => '/api/questionnaires/phq-9/$populate', patients: [P] },
  };

  it('has a call for every audited route (a new one must be walked here too)', () => {
    const audited = routes(t).filter((r) => r.audited).map((r) => `${r.method} ${r.path}`).sort();
    expect(audited).toEqual(Object.keys(calls).sort());
  });

  it('writes a row per patient for each audited route: actor, role, action, bare patient id, outcome, our request id', async () => {
    const problems: string[] = [];
    for (const r of routes(t).filter((x) => x.audited)) {
      const key = `${r.method} ${r.path}`;
      const call = calls[key];
      const res = r.method === 'POST'
        ? await request(t.app.getHttpServer()).post(call.path()).set('Cookie', who[call.as].cookie).set('X-CSRF-Token', who[call.as].csrf)
        : await request(t.app.getHttpServer()).get(call.path()).set('Cookie', who[call.as].cookie);
      if (res.status !== 200) {
        problems.push(`${key} answered ${res.status}`);
        continue;
      }
      const requestId = res.headers['x-request-id'] as string;
      expect(requestId).toMatch(UUID);
      const rows = (await ds.query(`SELECT actor, actor_role, action, patient_id, outcome, resource_type, resource_id FROM audit_event WHERE request_id = $1`, [requestId])) as {
        actor: string; actor_role: string; action: string; patient_id: string | null; outcome: string; resource_type: string; resource_id: string | null;
      }[];
      const patients = rows.map((x) => x.patient_id).sort();
      if (JSON.stringify(patients) !== JSON.stringify([...call.patients].sort())) problems.push(`${key}: rows for ${JSON.stringify(patients)}, expected ${JSON.stringify(call.patients)}`);
      for (const row of rows) {
        if (row.action !== r.audited!.action || row.outcome !== 'success' || row.actor_role !== call.as || !/^(Practitioner|Patient|RelatedPerson)\//.test(row.actor) || row.resource_type !== r.audited!.resourceType) {
          problems.push(`${key}: ${JSON.stringify(row)}`);
        }
      }
      // The admin finds it by the patient, in either form.
      for (const form of [P, `Patient/${P}`]) {
        if (!call.patients.includes(P)) continue;
        const found = (await audit(`patient=${encodeURIComponent(form)}&action=${r.audited!.action}`)).filter((e) => e.requestId === requestId);
        if (found.length !== 1 || found[0].patientId !== P || found[0].actorRole !== call.as || found[0].outcome !== 'success') {
          problems.push(`${key}: ?patient=${form} found ${JSON.stringify(found)}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('names the resource read by a single read', async () => {
    const res = await apiAs(t, who.clinician).get(`/api/referrals/${ids.referral}`).expect(200);
    const [row] = await ds.query(`SELECT resource_type, resource_id, patient_id FROM audit_event WHERE request_id = $1`, [res.headers['x-request-id']]);
    expect(row).toEqual({ resource_type: 'ServiceRequest', resource_id: ids.referral, patient_id: P });
  });

  it("records the patients a cohort's write-back names, never the cohort's key as a patient", async () => {
    const res = await apiAs(t, who.admin).get(`/api/admin/outbox/${ids.cohortOutbox}`).expect(200);
    expect(res.body.patientKey).toBe(`cohort/${ids.cohort}`);
    const rows = await ds.query(`SELECT patient_id FROM audit_event WHERE request_id = $1 ORDER BY patient_id`, [res.headers['x-request-id']]);
    expect(rows.map((r: { patient_id: string }) => r.patient_id)).toContain(P);
    const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM audit_event WHERE patient_id LIKE '%/%'`);
    expect(n).toBe(0);
  });

  it('audits a refused read as denied, under the patient asked for, once', async () => {
    const res = await apiAs(t, who.clinician).get(`/api/patients/${OTHER}`).expect(403);
    const requestId = res.headers['x-request-id'];
    const rows = await ds.query(`SELECT action, outcome, patient_id, actor_role, detail FROM audit_event WHERE request_id = $1`, [requestId]);
    expect(rows).toEqual([{ action: 'patient.read', outcome: 'denied', patient_id: OTHER, actor_role: 'clinician', detail: { reason: 'AUTH.PATIENT_NOT_IN_CONTEXT', status: 403 } }]);
    // A refusal found in the service (the referral's patient is only known there) names that patient too.
    const other = await apiAs(t, who.clinician).get(`/api/referrals/${ids.otherReferral}`).expect(403);
    const found = (await audit(`patient=${OTHER}&action=referral.read&outcome=denied`)).filter((e) => e.requestId === other.headers['x-request-id']);
    expect(found).toEqual([expect.objectContaining({ resourceId: ids.otherReferral, actorRole: 'clinician', patientId: OTHER })]);
    // Only the patient refused: not the session's own patient, nor an allowed id listed before the refused one.
    for (const path of [`/api/questionnaire-responses?patient=${OTHER}`, `/api/patients?ids=${P},${OTHER}`]) {
      const refused = await apiAs(t, who.clinician).get(path).expect(403);
      const rows = await ds.query(`SELECT outcome, patient_id FROM audit_event WHERE request_id = $1`, [refused.headers['x-request-id']]);
      expect([path, rows]).toEqual([path, [{ outcome: 'denied', patient_id: OTHER }]]);
    }
  });

  it('audits a refused write under the patient it was for, not the patient in context', async () => {
    const body = { patientId: OTHER, program: 'mindful-self-compassion-als', caregivers: [], reason: 'Low mood since the diagnosis', priority: 'routine' };
    const res = await apiAs(t, who.clinician).post('/api/referrals', body).expect(403);
    const rows = await ds.query(`SELECT action, outcome, patient_id FROM audit_event WHERE request_id = $1`, [res.headers['x-request-id']]);
    expect(rows).toEqual([{ action: 'access.denied', outcome: 'denied', patient_id: OTHER }]);
  });

  it('audits a failed read as failure', async () => {
    const missing = '00000000-0000-4000-8000-000000000000';
    const res = await apiAs(t, who.coordinator).get(`/api/referrals/${missing}`).expect(404);
    const rows = await ds.query(`SELECT action, outcome, patient_id, resource_id FROM audit_event WHERE request_id = $1`, [res.headers['x-request-id']]);
    expect(rows).toEqual([{ action: 'referral.read', outcome: 'failure', patient_id: null, resource_id: missing }]);
  });

  it("keeps a client's X-Request-Id as the correlation id only, never as our request id", async () => {
    const client = 'client-trace-0042';
    const res = await request(t.app.getHttpServer()).get(`/api/referrals/${ids.referral}`).set('Cookie', who.clinician.cookie).set('X-Request-Id', client).expect(200);
    const ours = res.headers['x-request-id'];
    expect(ours).toMatch(UUID);
    expect(ours).not.toBe(client);
    expect(res.headers['x-correlation-id']).toBe(client);
    const found = (await audit(`patient=${P}&action=referral.read`)).filter((e) => e.correlationId === client);
    expect(found).toEqual([expect.objectContaining({ requestId: ours, correlationId: client, patientId: P })]);
    const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM audit_event WHERE request_id = $1`, [client]);
    expect(n).toBe(0);
    // A malformed one is not kept at all.
    const bad = await request(t.app.getHttpServer()).get('/api/context').set('Cookie', who.clinician.cookie).set('X-Request-Id', 'bad id with spaces').expect(200);
    expect(bad.headers['x-correlation-id']).toBeUndefined();
    const [row] = await ds.query(`SELECT correlation_id FROM audit_event WHERE request_id = $1`, [bad.headers['x-request-id']]);
    expect(row).toEqual({ correlation_id: null });
  });

  it("pages the admin's users (each page audited, one row per patient on it) and keeps to the admin's own EHR", async () => {
    // Every patient who ever signed in is a user: the list is read a page at a time, never all at once.
    const [{ registration_id: registration }] = await ds.query(`SELECT registration_id FROM app_user WHERE fhir_user = $1`, [`Patient/${P}`]);
    await ds.query(
      `INSERT INTO app_user (registration_id, fhir_user, role, display_name) SELECT $1, 'Patient/bulk-' || g, 'patient', 'Synthetic ' || g FROM generate_series(1, 700) g`,
      [registration],
    );
    // A user of another clinic's EHR, signed in through its own registration.
    const elsewhere = await signIn(t.app, { role: 'patient', issuer: 'https://other-clinic.test/fhir', patientId: 'phi-elsewhere', fhirUser: 'Patient/phi-elsewhere' });
    try {
      const [{ total }] = await ds.query(`SELECT count(*)::int AS total FROM app_user WHERE registration_id = $1`, [registration]);
      const seen: string[] = [];
      for (let offset = 0; offset < total; offset += 500) {
        const res = await apiAs(t, who.admin).get(`/api/admin/users?limit=500&offset=${offset}`).expect(200);
        expect(res.body.length).toBe(Math.min(500, total - offset));
        seen.push(...res.body.map((u: { id: string }) => u.id));
        const rows = await ds.query(`SELECT patient_id, detail FROM audit_event WHERE request_id = $1`, [res.headers['x-request-id']]);
        expect(rows.length).toBe(res.body.filter((u: { fhirUser: string }) => u.fhirUser.startsWith('Patient/')).length);
        expect(rows[0].detail).toEqual({ count: res.body.length });
      }
      expect(new Set(seen).size).toBe(total);
      expect(seen).not.toContain(elsewhere.userId);
      // The default page is bounded, and so is the largest.
      expect((await apiAs(t, who.admin).get('/api/admin/users').expect(200)).body).toHaveLength(100);
      await apiAs(t, who.admin).get('/api/admin/users?limit=501').expect(400);
    } finally {
      await ds.query(`DELETE FROM app_user WHERE fhir_user LIKE 'Patient/bulk-%'`);
    }
  });

  it('audits more rows than one INSERT can bind (65 535 parameters), all or none', async () => {
    const requestId = '00000000-0000-4000-8000-0000000000aa';
    const entries = Array.from({ length: 7000 }, (_, i) => ({ action: 'user.search', outcome: 'success' as const, patientId: `bulk-${i}`, requestId }));
    await t.app.get(AuditService).recordMany(entries);
    const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM audit_event WHERE request_id = $1 AND patient_id LIKE 'bulk-%'`, [requestId]);
    expect(n).toBe(7000);
  });

  it("never names a caregiver's patient to the client, and writes no row when only practitioners are named", async () => {
    const res = await apiAs(t, who.clinician).get(`/api/people?refs=${CAREGIVER},${OTHER_CAREGIVER}`).expect(200);
    expect(res.body).toEqual([
      { reference: CAREGIVER, name: 'Morgan Carer', detail: 'Spouse' },
      { reference: OTHER_CAREGIVER, name: null, detail: null, unavailable: 'forbidden' },
    ]);
    const rows = await ds.query(`SELECT action, patient_id, resource_type, detail FROM audit_event WHERE request_id = $1`, [res.headers['x-request-id']]);
    expect(rows).toEqual([{ action: 'related-person.search', patient_id: P, resource_type: 'RelatedPerson', detail: { count: 2 } }]);
    const none = await apiAs(t, who.coordinator).get('/api/people?refs=Practitioner/phi-nobody').expect(200);
    expect(await ds.query(`SELECT 1 FROM audit_event WHERE request_id = $1`, [none.headers['x-request-id']])).toEqual([]);
  });

  it("writes the outbox list's filters and count, never a patient for an entry without the EHR's answer", async () => {
    const res = await apiAs(t, who.admin).get('/api/admin/outbox?status=dead').expect(200);
    expect(res.body.items.map((i: { id: string }) => i.id)).toContain(ids.outbox);
    expect(JSON.stringify(res.body)).not.toContain('patientKey');
    const rows = await ds.query(`SELECT patient_id, detail FROM audit_event WHERE request_id = $1`, [res.headers['x-request-id']]);
    expect(rows).toEqual([{ patient_id: P, detail: { count: res.body.items.length, status: 'dead' } }]);
    // A page where no entry shows the EHR's answer names no patient: one row without one.
    const [{ seq }] = await ds.query(`SELECT seq::text AS seq FROM outbox_entry WHERE last_error IS NULL ORDER BY seq LIMIT 1`);
    const quiet = await apiAs(t, who.admin).get(`/api/admin/outbox?limit=1&cursor=${BigInt(seq) + 1n}`).expect(200);
    expect(quiet.body.items).toHaveLength(1);
    expect(await ds.query(`SELECT patient_id FROM audit_event WHERE request_id = $1`, [quiet.headers['x-request-id']])).toEqual([{ patient_id: null }]);
  });

  it("keeps the response search's count and status filter in its row", async () => {
    const res = await apiAs(t, who.clinician).get('/api/questionnaire-responses?status=completed').expect(200);
    expect(res.body.entry.length).toBeGreaterThan(0);
    const rows = await ds.query(`SELECT patient_id, detail FROM audit_event WHERE request_id = $1`, [res.headers['x-request-id']]);
    expect(rows).toEqual([{ patient_id: P, detail: { count: res.body.entry.length, status: 'completed' } }]);
  });

  it("shows a coordinator launched with a patient in context only that patient's due forms", async () => {
    const inContext = await signIn(t.app, { role: 'coordinator', issuer: ehr.baseUrl, patientId: P });
    const [{ id: othersForm }] = await ds.query(`SELECT id FROM questionnaire_assignment WHERE patient_id = $1 LIMIT 1`, [OTHER]);
    const list = await apiAs(t, inContext).get('/api/questionnaire-assignments').expect(200);
    expect(list.body.length).toBeGreaterThan(0);
    expect([...new Set(list.body.map((a: { patientId: string }) => a.patientId))]).toEqual([P]);
    expect((await apiAs(t, inContext).get(`/api/questionnaire-assignments?cohort=${ids.cohort}`).expect(200)).body.every((a: { patientId: string }) => a.patientId === P)).toBe(true);
    await apiAs(t, inContext).get(`/api/questionnaire-assignments?patient=${OTHER}`).expect(403);
    await apiAs(t, inContext).get(`/api/questionnaire-assignments/${othersForm}`).expect(404);
    // Without a patient in context the coordinator works with the whole clinic.
    const all = await apiAs(t, who.coordinator).get(`/api/questionnaire-assignments?cohort=${ids.cohort}`).expect(200);
    expect(new Set(all.body.map((a: { patientId: string }) => a.patientId))).toEqual(new Set([P, OTHER]));
  });

  it("keeps the client's correlation id on the audit row of an export cut off mid-download", async () => {
    const stream = new PassThrough();
    const csv = jest.spyOn(t.app.get(OutcomeReportService), 'csv').mockResolvedValueOnce({ contentType: 'text/csv', stream, rows: 3, participants: 2, withheldGroups: 0, rowsSent: () => 1 });
    const server = t.app.getHttpServer() as Server;
    if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    const correlation = 'client-export-0007';
    try {
      const requestId = await new Promise<string>((resolve, reject) => {
        const req = httpGet(
          { host: '127.0.0.1', port, path: '/api/reports/outcomes?program=mindful-self-compassion-als&format=csv', headers: { Cookie: who.admin.cookie, 'X-Request-Id': correlation } },
          (res) => {
            res.once('data', () => {
              req.destroy(); // the download is cut off after its first bytes
              resolve(res.headers['x-request-id'] as string);
            });
          },
        );
        req.on('error', () => undefined);
        req.on('response', (res) => res.statusCode !== 200 && reject(new Error(`answered ${res.statusCode}`)));
        stream.write('a,b\n');
      });
      let rows: { outcome: string; correlation_id: string | null; detail: { reason?: string } }[] = [];
      await until(async () => {
        rows = await ds.query(`SELECT outcome, correlation_id, detail FROM audit_event WHERE request_id = $1 AND action = 'report.export'`, [requestId]);
        return rows.length > 0;
      }, 'the cut-off export is audited');
      expect(rows).toEqual([expect.objectContaining({ outcome: 'failure', correlation_id: correlation, detail: expect.objectContaining({ reason: 'stream-interrupted', rows: 3, rowsSent: 1 }) })]);
    } finally {
      csv.mockRestore();
    }
  });

  it('audits an export whose rows could not be read (a database error mid-stream) as failed, not as cut off by its reader', async () => {
    const stream = new PassThrough();
    const failure = new Error('Query read timeout');
    let failed = false;
    const csv = jest.spyOn(t.app.get(OutcomeReportService), 'csv').mockResolvedValueOnce({ contentType: 'text/csv', stream, rows: 3, participants: 2, withheldGroups: 0, rowsSent: () => 1, rowsFailure: () => (failed ? failure : undefined) });
    const server = t.app.getHttpServer() as Server;
    if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    try {
      const requestId = await new Promise<string>((resolve, reject) => {
        const req = httpGet(
          { host: '127.0.0.1', port, path: '/api/reports/outcomes?program=mindful-self-compassion-als&format=csv', headers: { Cookie: who.admin.cookie } },
          (res) => {
            res.on('error', () => undefined);
            res.once('data', () => {
              failed = true; // the reader is still there; the rows stop (as OutcomeReportService.csv reports it)
              stream.destroy(failure);
              resolve(res.headers['x-request-id'] as string);
            });
          },
        );
        req.on('error', () => undefined);
        req.on('response', (res) => res.statusCode !== 200 && reject(new Error(`answered ${res.statusCode}`)));
        stream.write('a,b\n');
      });
      let rows: { outcome: string; detail: { reason?: string } }[] = [];
      await until(async () => {
        rows = await ds.query(`SELECT outcome, detail FROM audit_event WHERE request_id = $1 AND action = 'report.export'`, [requestId]);
        return rows.length > 0;
      }, 'the failed export is audited');
      expect(rows).toEqual([expect.objectContaining({ outcome: 'failure', detail: expect.objectContaining({ reason: 'export-failed', rows: 3, rowsSent: 1 }) })]);
    } finally {
      csv.mockRestore();
    }
  });


  /**
   * A download whose client goes away with its last bytes still in the server's buffers: the client reads the headers
   * and nothing more; `handOver(res)` hands the rest to the server's response; then the client hangs up. The test
   * checks that the response had not finished (its last bytes were still waiting for the client) when it did.
   * Resolves with the export's audit rows.
   */
  async function leftInTheLastBytes(format: 'csv' | 'html', handOver: (res: ServerResponse) => Promise<void>) {
    const server = t.app.getHttpServer() as Server;
    if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    const served = new Promise<ServerResponse>((resolve) => {
      const seen = (req: IncomingMessage, res: ServerResponse) => {
        if (!req.url?.startsWith('/api/reports/outcomes')) return;
        server.off('request', seen);
        resolve(res);
      };
      server.on('request', seen);
    });
    let req: ClientRequest | undefined;
    try {
      const requestId = await new Promise<string>((resolve, reject) => {
        req = httpGet(
          { host: '127.0.0.1', port, path: `/api/reports/outcomes?program=mindful-self-compassion-als&format=${format}`, headers: { Cookie: who.admin.cookie } },
          (res) => {
            res.pause(); // the client reads nothing more
            res.on('error', () => undefined);
            if (res.statusCode !== 200) return reject(new Error(`answered ${res.statusCode}`));
            void (async () => {
              const response = await served;
              await handOver(response);
              expect(response.writableFinished).toBe(false); // its last bytes are still in the server's buffers
              req!.destroy();
              resolve(res.headers['x-request-id'] as string);
            })().catch(reject);
          },
        );
        req.on('error', reject);
      });
      let rows: { outcome: string; detail: Record<string, unknown> }[] = [];
      await until(async () => {
        rows = await ds.query(`SELECT outcome, detail FROM audit_event WHERE request_id = $1 AND action = 'report.export'`, [requestId]);
        return rows.length > 0;
      }, 'the download is audited');
      return rows;
    } finally {
      req?.destroy(); // never leave a connection open: the app's close would wait for it
    }
  }

  it('audits a CSV download its client left before the response finished as failed, though every row had been handed to the response', async () => {
    const stream = new PassThrough();
    let rowsSent = 1;
    const csv = jest.spyOn(t.app.get(OutcomeReportService), 'csv').mockResolvedValueOnce({ contentType: 'text/csv', stream, rows: 3, participants: 2, withheldGroups: 0, rowsSent: () => rowsSent });
    stream.write('a,b\r\n'); // the headers and a first chunk
    try {
      const rows = await leftInTheLastBytes('csv', async (res) => {
        // Rows of 8 KiB (half the socket's high-water mark) until the socket holds some the kernel would not take (the
        // client reads nothing): then the last row, and the CSV writer ends, with every row handed to the response.
        while (!res.socket || res.socket.writableLength === 0) {
          stream.write(Buffer.alloc(8192, '1,2\r\n'));
          await new Promise((resolve) => setImmediate(resolve));
        }
        rowsSent = 3;
        const ended = once(stream, 'end');
        stream.end('3,4\r\n');
        await ended;
      });
      expect(rows).toEqual([expect.objectContaining({ outcome: 'failure', detail: expect.objectContaining({ reason: 'output-failed', rows: 3, rowsSent: 3 }) })]);
    } finally {
      csv.mockRestore();
    }
  });

  it('audits a document download its client left before the response finished as failed, not as sent', async () => {
    // Larger than any socket buffer of this machine (tcp_rmem and tcp_wmem at most 32 + 4 MiB): it cannot all leave.
    const size = 40 * 1024 * 1024;
    const render = jest.spyOn(t.app.get(OutcomeReportService), 'render').mockResolvedValueOnce({ contentType: 'text/html; charset=utf-8', body: '<p>'.padEnd(size, '.') });
    try {
      const rows = await leftInTheLastBytes('html', async () => undefined);
      expect(rows).toEqual([expect.objectContaining({ outcome: 'failure', detail: expect.objectContaining({ format: 'html', reason: 'output-failed', bytes: size }) })]);
    } finally {
      render.mockRestore();
    }
  });

  /** Two downloads pipelined on one connection (the second sent before the first's answer): the server's requests, and the socket. */
  async function pipelinedDownloads(formats: ['csv', 'csv' | 'html']): Promise<{ socket: Socket; responses: ServerResponse[]; received: () => string }> {
    const server = t.app.getHttpServer() as Server;
    if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    const responses: ServerResponse[] = [];
    const seen = (req: IncomingMessage, res: ServerResponse) => {
      if (req.url?.startsWith('/api/reports/outcomes')) responses.push(res);
      if (responses.length === 2) server.off('request', seen);
    };
    server.on('request', seen);
    const socket = connect(port, '127.0.0.1');
    socket.on('error', () => undefined);
    let data = '';
    socket.on('data', (chunk: Buffer) => (data += chunk.toString('latin1')));
    const get = (format: string) => `GET /api/reports/outcomes?program=mindful-self-compassion-als&format=${format} HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: ${who.admin.cookie}\r\n\r\n`;
    socket.write(get(formats[0]) + get(formats[1]));
    await until(() => responses.length === 2, 'both requests reach the app');
    return { socket, responses, received: () => data };
  }

  /** The export rows of these requests (our request id is on each request object), oldest first. */
  const exportRows = async (responses: ServerResponse[]) =>
    (await ds.query(`SELECT outcome, detail FROM audit_event WHERE action = 'report.export' AND request_id = ANY($1) ORDER BY occurred_at`, [
      responses.map((r) => (r.req as IncomingMessage & { id?: string }).id),
    ])) as { outcome: string; detail: Record<string, unknown> }[];

  it('answers and audits a download pipelined behind another still streaming on its connection (it waits its turn)', async () => {
    const stream = new PassThrough();
    const csv = jest.spyOn(t.app.get(OutcomeReportService), 'csv').mockResolvedValueOnce({ contentType: 'text/csv', stream, rows: 1, participants: 2, withheldGroups: 0, rowsSent: () => 1 });
    const render = jest.spyOn(t.app.get(OutcomeReportService), 'render').mockResolvedValueOnce({ contentType: 'text/html; charset=utf-8', body: '<p>second</p>' });
    stream.write('a,b\r\n');
    const { socket, responses, received } = await pipelinedDownloads(['csv', 'html']);
    try {
      // The second answer is written (queued behind the first) while the first still streams; before, it was refused
      // as "gone" at once (a queued response has no socket yet), audited as failed and never answered.
      await until(async () => responses[1].writableEnded || (await exportRows(responses)).length > 0, 'the second download is answered or audited');
      expect(await exportRows(responses)).toEqual([]);
      stream.end('1,2\r\n');
      await until(() => received().includes('<p>second</p>'), 'both answers arrive');
      expect(received().match(/HTTP\/1\.1 200/g)).toHaveLength(2);
      await until(async () => (await exportRows(responses)).length === 2, 'both downloads are audited');
      expect((await exportRows(responses)).map((r) => r.outcome)).toEqual(['success', 'success']);
    } finally {
      socket.destroy();
      csv.mockRestore();
      render.mockRestore();
    }
  });

  it('audits a download still waiting its turn when its connection dies as failed, and ends its rows', async () => {
    const first = new PassThrough();
    const second = new PassThrough();
    const csv = jest
      .spyOn(t.app.get(OutcomeReportService), 'csv')
      .mockResolvedValueOnce({ contentType: 'text/csv', stream: first, rows: 1, participants: 2, withheldGroups: 0, rowsSent: () => 0 })
      .mockResolvedValueOnce({ contentType: 'text/csv', stream: second, rows: 1, participants: 2, withheldGroups: 0, rowsSent: () => 0 });
    first.write('a,b\r\n');
    const { socket, responses } = await pipelinedDownloads(['csv', 'csv']);
    try {
      await until(() => csv.mock.calls.length === 2, 'both exports are built');
      socket.destroy();
      // Node never closes a response still queued when its connection dies: before, the second export waited for good
      // (its rows, and a real export's cursor and pool connection, held) and was never audited.
      await until(async () => (await exportRows(responses)).length === 2, 'both downloads are audited');
      expect((await exportRows(responses)).map((r) => r.outcome)).toEqual(['failure', 'failure']);
      await until(() => second.destroyed, "the waiting export's rows are ended");
    } finally {
      socket.destroy();
      csv.mockRestore();
    }
  });

  it('writes one row for each of many concurrent reads (their rows share INSERTs), each answered after its row', async () => {
    const server = t.app.getHttpServer();
    const answers = await Promise.all(
      Array.from({ length: 40 }, () => request(server).get(`/api/referrals/${ids.referral}`).set('Cookie', who.clinician.cookie)),
    );
    const requestIds = answers.map((r) => {
      expect(r.status).toBe(200);
      return r.headers['x-request-id'] as string;
    });
    const rows = (await ds.query(`SELECT request_id, action, patient_id FROM audit_event WHERE request_id = ANY($1)`, [requestIds])) as { request_id: string; action: string; patient_id: string }[];
    expect(rows.map((r) => r.request_id).sort()).toEqual([...requestIds].sort());
    expect(new Set(rows.map((r) => `${r.action} ${r.patient_id}`))).toEqual(new Set([`referral.read ${P}`]));
  });

  it('refuses HEAD of an audited read (405, Allow: GET): nothing read, nothing audited', async () => {
    for (const path of ['/api/context', `/api/referrals/${ids.referral}`, `/api/questionnaire-responses/${ids.response}`]) {
      const res = await request(t.app.getHttpServer()).head(path).set('Cookie', who.clinician.cookie).expect(405);
      expect(res.headers.allow).toBe('GET');
      expect(await ds.query(`SELECT action FROM audit_event WHERE request_id = $1`, [res.headers['x-request-id']])).toEqual([]);
    }
  });

  it('writes no row for a session without a patient in context (nothing patient-level was read)', async () => {
    const res = await apiAs(t, who.coordinator).get('/api/context').expect(200);
    expect(res.body.patient).toBeNull();
    expect(await ds.query(`SELECT 1 FROM audit_event WHERE request_id = $1`, [res.headers['x-request-id']])).toEqual([]);
  });
});
