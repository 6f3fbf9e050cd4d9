import { jest } from '@jest/globals';
import type { Bundle, FhirResource } from 'fhir/r4.js';
import { DataSource } from 'typeorm';
import { IDENTIFIER_BASE } from '../src/fhir/business-identifier.js';
import { OutboxWorker } from '../src/fhir/outbox.worker.js';
import { QuestionnaireCompletion } from '../src/programs/enrolments/questionnaire-completion.js';
import { questionnaireUrl } from '../src/questionnaires/engine/codes.js';
import { RegistryService } from '../src/smart/registry/registry.service.js';
import { FhirStore } from '../src/sandbox/fhir-store.service.js';
import { createCohort, referScreenAccept } from './programs-support/course.js';
import { apiAs, isoDateDaysFromToday } from './programs-support/program-api.js';
import { as, phqAnswers, phqResponse } from './questionnaire-support/questionnaire-api.js';
import { EHR_PROFILES, ReferenceEhr, type ReferenceEhrProfile } from './support/reference-ehr/reference-ehr.js';
import { signIn } from './support/sign-in.js';
import { createTestApp, type TestApp } from './support/test-app.js';
import { validateStrictly } from './support/reference-ehr/validating-repository.js';

const PAT_A = 'sbx-pat-1';
const PAT_B = 'sbx-pat-2';
const CAREGIVER = 'RelatedPerson/sbx-rp-1';
const VISIT_ID = 'sbx-enc-1';

type Profile = { name: string; reference?: ReferenceEhrProfile };
const PROFILES: Profile[] = [
  { name: '(a) transactions, at most 8 conditional entries', reference: EHR_PROFILES.transaction },
  { name: '(b) plain REST: no transaction or batch', reference: EHR_PROFILES.restOnly },
  { name: '(c) no conditional create or update', reference: EHR_PROFILES.noConditionalCreate },
  { name: '(d) our sandbox EHR' },
];

/**
 * The clinic's whole journey written back to EHRs that differ: a strict reference EHR (Medplum's engine,
 * validating every write) in three capability profiles, and our sandbox. The launch issuer is the sandbox;
 * the registration sends its write-backs to the reference EHR (its own FHIR base, token endpoint discovered
 * there), as with SMART's launcher in front of another server. Some answers are lost after the EHR committed
 * and one connection is cut: retries must not duplicate anything. Each profile ends with every resource
 * present exactly once, 0 dead entries, and every resource valid.
 */
// A busy 2-core machine builds the embedded database and runs a whole journey slowly: generous, not timed.
jest.setTimeout(300_000);

describe.each(PROFILES)('the clinic journey written back to $name', ({ reference }) => {
  let t: TestApp;
  let ehr: ReferenceEhr | undefined;
  const ds = () => t.app.get(DataSource);
  const stored = async (type: string): Promise<FhirResource[]> => {
    if (ehr) return ehr.all(type);
    const { matches } = await t.app.get(FhirStore).search({ type, filters: [], count: 1000, offset: 0, sort: 'asc' });
    return matches.map((m) => m.resource as FhirResource);
  };

  beforeAll(async () => {
    t = await createTestApp({ listen: true, fhir: { outboxWorker: false, outboxBackoffBaseMs: 1, outboxBackoffCapMs: 1 } });
    const registry = t.app.get(RegistryService);
    const sandbox = (await registry.findEnabledByIssuer(`${t.url}/sandbox/fhir`))!;
    if (reference) {
      ehr = await ReferenceEhr.start({ profile: reference, client: { clientId: sandbox.clientId, jwksUrl: `${t.url}/.well-known/jwks.json` } });
      await registry.update(sandbox.id, { fhirBaseUrl: ehr.baseUrl }, { actor: 'test', actorRole: 'admin' });
    }
  });
  afterAll(async () => {
    await t?.close();
    await ehr?.close();
  });

  it('delivers every resource exactly once, valid, with no dead entries — through lost answers and a cut connection', async () => {
    const issuer = `${t.url}/sandbox/fhir`;
    const coordinator = apiAs(t, await signIn(t.app, { role: 'coordinator', issuer }));
    // Launched during a clinic visit: the PHQ-9 below records it (QuestionnaireResponse and Observation `encounter`).
    const clinicianA = await signIn(t.app, { role: 'clinician', issuer, patientId: PAT_A, fhirUser: 'Practitioner/sbx-prac-1', encounterId: VISIT_ID });

    // Refer (with a caregiver), screen, accept; a cohort of 8 sessions; enrol both.
    const refA = await referScreenAccept(coordinator, PAT_A, [CAREGIVER]);
    const refB = await referScreenAccept(coordinator, PAT_B);
    const cohort = await createCohort(coordinator, 'Winter group', 10);
    expect(cohort.sessions).toHaveLength(8);
    const enrolA = (await coordinator.post('/api/enrolments', { referralId: refA, cohortId: cohort.id }).expect(201)).body.id as string;
    const enrolB = (await coordinator.post('/api/enrolments', { referralId: refB, cohortId: cohort.id }).expect(201)).body.id as string;

    // Attendance; one participant withdraws after week 3.
    const attend = (week: number, list: [string, string][]) =>
      coordinator.put(`/api/sessions/${cohort.sessions[week - 1].id}/attendance`, { attendance: list.map(([person, status]) => ({ person, status })) }).expect(200);
    for (const week of [1, 2, 3]) await attend(week, [[`Patient/${PAT_A}`, 'attended'], [CAREGIVER, 'attended'], [`Patient/${PAT_B}`, 'attended']]);
    await coordinator.post(`/api/enrolments/${enrolB}/withdraw`, { reason: 'fatigue', date: isoDateDaysFromToday(-50) }).expect(200);
    for (const week of [4, 5, 6, 7, 8]) await attend(week, [[`Patient/${PAT_A}`, 'attended'], [CAREGIVER, week === 8 ? 'absent' : 'attended']]);

    // A PHQ-9 with item 9 > 0 on the due form: QR + score Observation + closed Task; alert Task + Communication.
    const [due] = (await ds().query(
      `SELECT id FROM questionnaire_assignment WHERE patient_id = $1 AND subject_type = 'Patient' AND questionnaire_url = $2 AND timepoint = 'baseline'`,
      [PAT_A, questionnaireUrl('phq-9')],
    )) as { id: string }[];
    const saved = await as(t, clinicianA).post(`/api/questionnaire-responses?assignment=${due.id}`, phqResponse(`Patient/${PAT_A}`, phqAnswers(1, 2)));
    expect(saved.status).toBe(201);
    expect(saved.body.alerts).toHaveLength(1);

    // The other participant completes (post questionnaires counted through the port).
    jest.spyOn(t.app.get(QuestionnaireCompletion, { strict: false }), 'postQuestionnairesDone').mockResolvedValue(true);
    await coordinator.post(`/api/enrolments/${enrolA}/complete`).expect(200);

    // Lost answers after the EHR committed (3 of the first writes), and one connection cut without an answer.
    let writes = 0;
    if (ehr) {
      ehr.intercept = ({ method }) => {
        if (method !== 'POST' && method !== 'PUT') return undefined;
        writes += 1;
        if (writes === 2) return { status: 0, afterCommit: true };
        return writes === 5 || writes === 9 || writes === 14 ? { status: 504, afterCommit: true } : undefined;
      };
    }
    await drainAll(t);
    if (ehr) expect(writes).toBeGreaterThan(14);

    const statuses = (await ds().query(`SELECT status, count(*)::int AS n FROM outbox_entry GROUP BY status`)) as { status: string; n: number }[];
    expect(statuses).toEqual([{ status: 'delivered', n: expect.any(Number) }]);
    await expectEachOnceAndValid(t, stored, !ehr);
    // The visit the answers were given in, on the response and its score, as the EHR keeps them.
    const answered = (await stored('QuestionnaireResponse')).filter((r) => r.resourceType === 'QuestionnaireResponse' && r.subject?.reference === `Patient/${PAT_A}`);
    const scored = (await stored('Observation')).filter((r) => r.resourceType === 'Observation' && r.category?.some((c) => c.coding?.some((x) => x.code === 'survey')));
    expect(answered.map((r) => r.resourceType === 'QuestionnaireResponse' && r.encounter?.reference)).toEqual([`Encounter/${VISIT_ID}`]);
    expect(scored.length).toBeGreaterThan(0);
    expect(scored.map((r) => r.resourceType === 'Observation' && r.encounter?.reference)).toEqual(scored.map(() => `Encounter/${VISIT_ID}`));

    // A full resend of every unit (a crash that lost every record of delivery) changes nothing on the EHR.
    await ds().query(`UPDATE outbox_entry SET status = 'pending', attempts = 0, next_attempt_at = now()`);
    await drainAll(t);
    await expectEachOnceAndValid(t, stored, !ehr);
    if (ehr) expect(ehr.validationProblems).toEqual([]);
  });

  if (reference === EHR_PROFILES.transaction) {
    it('sent pieces the engine accepts after its first "too many entries" refusal', () => {
      const transactions = ehr!.requests.filter((r) => r.bundleType === 'transaction');
      expect(transactions.filter((r) => r.status === 400).length).toBeGreaterThanOrEqual(1);
      expect(transactions.filter((r) => r.status === 200).every((r) => (r.entries ?? 0) <= 8)).toBe(true);
    });
  }
  if (reference === EHR_PROFILES.restOnly) {
    it('never sent a Bundle to an EHR without transactions', () => {
      expect(ehr!.requests.filter((r) => r.bundleType)).toEqual([]);
    });
  }
});

/** Runs the worker until nothing waits, letting retries fall due at once (the test drives the clock). */
async function drainAll(t: TestApp): Promise<void> {
  const ds = t.app.get(DataSource);
  for (let round = 0; round < 40; round++) {
    await t.app.get(OutboxWorker).drain();
    const [{ n }] = (await ds.query(`SELECT count(*)::int AS n FROM outbox_entry WHERE status IN ('pending', 'in_flight')`)) as { n: number }[];
    if (!n) return;
    await ds.query(`UPDATE outbox_entry SET next_attempt_at = now(), locked_until = NULL, status = 'pending' WHERE status IN ('pending', 'in_flight')`);
  }
  throw new Error('The outbox did not drain');
}

/** Our business identifier of a resource (`identifier`, or `meta.tag` for Provenance), as `Type system|value`. */
function keysOf(r: FhirResource): string[] {
  const rec = r as { identifier?: unknown; meta?: { tag?: { system?: string; code?: string }[] } };
  const ids = ([] as { system?: string; value?: string }[]).concat((rec.identifier as never) ?? []).map((i) => `${i.system}|${i.value}`);
  const tags = (rec.meta?.tag ?? []).map((x) => `${x.system}|${x.code}`);
  return [...ids, ...tags].filter((k) => k.startsWith(IDENTIFIER_BASE)).map((k) => `${r.resourceType} ${k}`);
}

/** Every resource the outbox Bundles carry is on the EHR exactly once, no stray copy, no unresolved urn, all valid. */
async function expectEachOnceAndValid(t: TestApp, stored: (type: string) => Promise<FhirResource[]>, seeded: boolean): Promise<void> {
  const bundles = (await t.app.get(DataSource).query(`SELECT bundle FROM outbox_entry ORDER BY seq`)) as { bundle: Bundle }[];
  const expected = new Set(bundles.flatMap((b) => b.bundle.entry!.flatMap((e) => keysOf(e.resource as FhirResource))));
  const types = new Set([...expected].map((k) => k.split(' ')[0]));
  expect([...types].sort()).toEqual(['Appointment', 'CarePlan', 'Communication', 'Encounter', 'Observation', 'Provenance', 'QuestionnaireResponse', 'ServiceRequest', 'Task']);
  const seen = new Map<string, number>();
  for (const type of types) {
    for (const r of await stored(type)) {
      const keys = keysOf(r);
      // The sandbox holds its own seeded chart; every resource we write carries our identifier.
      if (!keys.length && seeded) continue;
      expect(keys.length).toBeGreaterThan(0);
      for (const k of keys) seen.set(k, (seen.get(k) ?? 0) + 1);
      expect(JSON.stringify(r)).not.toContain('urn:uuid:');
      expect({ resource: `${r.resourceType}/${r.id}`, problems: validateStrictly(r) }).toEqual({ resource: `${r.resourceType}/${r.id}`, problems: [] });
    }
  }
  expect([...seen.keys()].sort()).toEqual([...expected].sort());
  expect([...seen.entries()].filter(([, n]) => n !== 1)).toEqual([]);
}
