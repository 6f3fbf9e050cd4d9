import type { Bundle, Observation, Provenance, QuestionnaireResponse, Resource, Task } from 'fhir/r4.js';
import { DataSource } from 'typeorm';
import { questionnaireUrl } from '../src/questionnaires/engine/codes.js';
import { musicTherapyLog } from '../src/questionnaires/engine/instruments/music-therapy-log.js';
import { SCS_ITEM_IDS, scs26 } from '../src/questionnaires/engine/instruments/scs-26.js';
import { buildResponse, type AnswerInput } from '../src/questionnaires/engine/response-builder.js';
import { r4SchemaErrors } from './support/fhir-r4-schema.js';
import { validateStrictly } from './support/reference-ehr/validating-repository.js';
import { signIn, type SignedIn } from './support/sign-in.js';
import { createTestApp, type TestApp } from './support/test-app.js';
import { assignmentOf, enrol, type Enrolled } from './questionnaire-support/enrolment.js';
import { as, outboxBundles, resourcesOf, rowCounts } from './questionnaire-support/questionnaire-api.js';

const SCS26 = `${questionnaireUrl('scs-26')}|1.0.0`;
const MUSIC_LOG = `${questionnaireUrl('music-therapy-log')}|1.0.0`;

/** Item n answered ((n − 1) mod 5) + 1: the hand-computed example of scs-26.spec.ts (total 3.27). */
const scsAnswers: Record<string, AnswerInput> = Object.fromEntries(SCS_ITEM_IDS.map((id, i) => [id, { code: `scs-answer-${(i % 5) + 1}` }]));

function sessionLog(subject: string, extra: Record<string, AnswerInput | AnswerInput[]> = {}): QuestionnaireResponse {
  return buildResponse(musicTherapyLog, {
    'mt-goals': [{ code: 'mt-goal-communication' }, { code: 'mt-goal-connection' }],
    'mt-activities': [{ code: 'mt-activity-singing' }, { code: 'mt-activity-instrument' }, { code: 'mt-activity-other' }],
    'mt-activities-other': 'Vibroacoustic bed',
    'mt-engagement': { code: 'mt-engagement-4' },
    'mt-mood-before': { code: 'mt-mood-2' },
    'mt-mood-after': { code: 'mt-mood-4' },
    'mt-notes': 'Sang with breath support; chose the songs for the next session.',
    ...extra,
  }, { subject: { reference: subject } });
}

/**
 * Each entry as the EHR stores it (`urn:uuid` references resolved to `Type/<id>` of the entry they name), then
 * Medplum's validator as strict as the reference EHR, plus the official R4 schema on the whole Bundle.
 */
function problemsOf(bundle: Bundle): string[] {
  const typeOf = new Map(bundle.entry!.map((e) => [e.fullUrl!, e.resource!.resourceType]));
  const resolve = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(resolve);
    if (!v || typeof v !== 'object') return v;
    const o = Object.fromEntries(Object.entries(v).map(([k, x]) => [k, resolve(x)])) as Record<string, unknown>;
    if (typeof o.reference === 'string' && o.reference.startsWith('urn:uuid:')) o.reference = `${typeOf.get(o.reference) ?? 'Unresolved'}/stored-id`;
    return o;
  };
  const entries = bundle.entry!.flatMap((e) => validateStrictly(resolve(e.resource) as Resource).map((p) => `${e.resource!.resourceType}: ${p}`));
  return [...entries, ...(r4SchemaErrors(bundle) as { dataPath?: string; message?: string }[]).map((e) => `Bundle${e.dataPath ?? ''} ${e.message ?? 'invalid'}`)];
}

const scoreOf = (observations: Observation[], code: string) => observations.find((o) => o.code.coding![0].code === code);

/**
 * The program's own content, used as the clinic would: the full Self-Compassion Scale given at baseline beside the
 * short form and read aloud by the clinician, and the music therapist's session log for a patient and for a
 * caregiver who joined the session. Each goes to the EHR as one valid R4 Bundle: QR + score Observations + Provenance.
 */
describe('program content: the 26-item Self-Compassion Scale and the music-therapy session log', () => {
  let t: TestApp;
  let clinician: SignedIn;
  let enrolled: Enrolled;

  beforeAll(async () => {
    t = await createTestApp({ fhir: { outboxWorker: false } });
    clinician = await signIn(t.app, { role: 'clinician', patientId: 'pat-mt', fhirUser: 'Practitioner/mt-1' });
    enrolled = await enrol(t, {
      registrationId: clinician.registrationId, patientId: 'pat-mt', caregivers: ['rp-mt'], responsible: 'Practitioner/mt-1',
      timepoints: [{ timepoint: 'baseline', questionnaires: [questionnaireUrl('scs-sf'), questionnaireUrl('scs-26')], dueFromDays: -14, dueUntilDays: 0 }],
    });
  });
  afterAll(async () => t?.close());

  it('lists both instruments beside the short form and serves them as valid R4 Questionnaires', async () => {
    const list = await as(t, clinician).get('/api/questionnaires').expect(200);
    expect(list.body.map((q: { slug: string }) => q.slug)).toEqual(expect.arrayContaining(['scs-sf', 'scs-26', 'music-therapy-log']));
    for (const slug of ['scs-26', 'music-therapy-log']) {
      const q = await as(t, clinician).get(`/api/questionnaires/${slug}`).expect(200);
      expect(q.body).toMatchObject({ resourceType: 'Questionnaire', version: '1.0.0' });
      expect(validateStrictly(q.body)).toEqual([]);
    }
  });

  it('scores a SCS-26 read aloud at baseline and writes QR + 7 score Observations + closed Task + Provenance, all valid R4', async () => {
    const form = assignmentOf(enrolled, 'Patient/pat-mt', 'scs-26');
    const body = buildResponse(scs26, scsAnswers, { subject: { reference: 'Patient/pat-mt' } });
    const saved = await as(t, clinician).post(`/api/questionnaire-responses?assignment=${form}`, body).expect(201);
    expect(saved.body.resource).toMatchObject({ questionnaire: SCS26, status: 'completed', author: { reference: 'Practitioner/mt-1' }, source: { reference: 'Patient/pat-mt' } });
    const byLink = Object.fromEntries(saved.body.scores.map((s: { linkId: string; value: number }) => [s.linkId, s.value]));
    expect(byLink).toEqual({
      'scs-self-kindness': 3, 'scs-self-judgment': 1.4, 'scs-common-humanity': 3.75, 'scs-isolation': 3.75,
      'scs-mindfulness': 3, 'scs-over-identification': 3, 'scs-total': 3.27,
    });

    const [bundle, ...more] = await outboxBundles(t, 'questionnaire-response.completed', saved.body.resource.id);
    expect(more).toEqual([]);
    expect(bundle.entry!.map((e) => e.resource!.resourceType)).toEqual(['QuestionnaireResponse', ...Array(7).fill('Observation'), 'Task', 'Provenance']);
    expect(problemsOf(bundle)).toEqual([]);
    const total = scoreOf(resourcesOf<Observation>(bundle, 'Observation'), 'scs-total')!;
    expect(total).toMatchObject({ status: 'final', subject: { reference: 'Patient/pat-mt' }, valueQuantity: { value: 3.27, code: '{score}' } });
    expect(total.interpretation![0].coding![0].code).toBe('scs-moderate');
    expect(resourcesOf<Task>(bundle, 'Task')[0]).toMatchObject({ status: 'completed' });
    expect(resourcesOf<Provenance>(bundle, 'Provenance')[0].agent[0]).toMatchObject({ who: { reference: 'Practitioner/mt-1' }, onBehalfOf: { reference: 'Patient/pat-mt' } });

    const rows = await t.app.get(DataSource).query(`SELECT link_id, value::float8 AS value FROM questionnaire_score WHERE response_id = $1 ORDER BY link_id`, [saved.body.resource.id]);
    expect(rows).toContainEqual({ link_id: 'scs-total', value: 3.27 });
    expect(rows).toHaveLength(7);
  });

  it('refuses a SCS-26 with an unanswered item (400 naming it) and stores nothing', async () => {
    const { 'scs-13': _skipped, ...partial } = scsAnswers;
    const before = await rowCounts(t);
    const res = await as(t, clinician).post('/api/questionnaire-responses', buildResponse(scs26, partial, { subject: { reference: 'Patient/pat-mt' } })).expect(400);
    expect(res.body.issue.map((i: { expression: string[] }) => i.expression[0])).toEqual(["QuestionnaireResponse.item.where(linkId='scs-13').answer"]);
    expect(await rowCounts(t)).toEqual(before);
  });

  it('logs a patient’s music-therapy session as the therapist’s report: QR + 4 score Observations + Provenance, valid R4', async () => {
    const saved = await as(t, clinician).post('/api/questionnaire-responses?mode=proxy', sessionLog('Patient/pat-mt')).expect(201);
    expect(saved.body.resource).toMatchObject({ questionnaire: MUSIC_LOG, status: 'completed', author: { reference: 'Practitioner/mt-1' }, source: { reference: 'Practitioner/mt-1' } });
    expect(saved.body.resource.item.find((i: { linkId: string }) => i.linkId === 'mt-activities').answer).toHaveLength(3);
    expect(saved.body.scores.map((s: { linkId: string; value: number }) => [s.linkId, s.value])).toEqual([
      ['mt-engagement-score', 4], ['mt-mood-before-score', 2], ['mt-mood-after-score', 4], ['mt-mood-change', 2],
    ]);

    const [bundle] = await outboxBundles(t, 'questionnaire-response.completed', saved.body.resource.id);
    expect(bundle.entry!.map((e) => e.resource!.resourceType)).toEqual(['QuestionnaireResponse', 'Observation', 'Observation', 'Observation', 'Observation', 'Provenance']);
    expect(problemsOf(bundle)).toEqual([]);
    const change = scoreOf(resourcesOf<Observation>(bundle, 'Observation'), 'mt-mood-change')!;
    expect(change).toMatchObject({ valueInteger: 2, subject: { reference: 'Patient/pat-mt' }, performer: [{ reference: 'Practitioner/mt-1' }] });
    expect(change.interpretation![0].coding![0].code).toBe('mt-mood-better');
    expect(resourcesOf<Provenance>(bundle, 'Provenance')[0].agent[0]).toMatchObject({ who: { reference: 'Practitioner/mt-1' } });
  });

  it('logs a caregiver’s own session (subject the RelatedPerson, the patient’s chart as focus) with a mood that fell', async () => {
    const body = sessionLog('RelatedPerson/rp-mt', { 'mt-mood-before': { code: 'mt-mood-4' }, 'mt-mood-after': { code: 'mt-mood-3' } });
    const saved = await as(t, clinician).post('/api/questionnaire-responses', body).expect(201);
    expect(saved.body.resource).toMatchObject({ subject: { reference: 'RelatedPerson/rp-mt' }, source: { reference: 'RelatedPerson/rp-mt' } });

    const [bundle] = await outboxBundles(t, 'questionnaire-response.completed', saved.body.resource.id);
    expect(problemsOf(bundle)).toEqual([]);
    const change = scoreOf(resourcesOf<Observation>(bundle, 'Observation'), 'mt-mood-change')!;
    expect(change).toMatchObject({ valueInteger: -1, subject: { reference: 'Patient/pat-mt' }, focus: [{ reference: 'RelatedPerson/rp-mt' }] });
    expect(change.interpretation![0].coding![0].code).toBe('mt-mood-lower');
  });

  it('keeps a half-written log as a draft (never written back) and submits it without a mood: no mood change is sent', async () => {
    const draft = buildResponse(musicTherapyLog, { 'mt-goals': [{ code: 'mt-goal-relaxation' }] }, { status: 'in-progress', subject: { reference: 'Patient/pat-mt' } });
    const started = await as(t, clinician).post('/api/questionnaire-responses?mode=proxy', draft).expect(201);
    const id = started.body.resource.id as string;
    expect(await outboxBundles(t, 'questionnaire-response.completed', id)).toEqual([]);

    const finished = buildResponse(musicTherapyLog, {
      'mt-goals': [{ code: 'mt-goal-relaxation' }], 'mt-activities': [{ code: 'mt-activity-listening' }], 'mt-engagement': { code: 'mt-engagement-2' },
    }, { subject: { reference: 'Patient/pat-mt' } });
    const submitted = await as(t, clinician).put(`/api/questionnaire-responses/${id}`, finished, 'W/"1"').expect(200);
    expect(submitted.body.resource.source).toEqual(expect.objectContaining({ reference: 'Practitioner/mt-1' })); // still the therapist's report
    expect(submitted.body.scores.map((s: { linkId: string; value: number | null }) => [s.linkId, s.value])).toEqual([
      ['mt-engagement-score', 2], ['mt-mood-before-score', null], ['mt-mood-after-score', null], ['mt-mood-change', null],
    ]);
    const [bundle] = await outboxBundles(t, 'questionnaire-response.completed', id);
    expect(bundle.entry!.map((e) => e.resource!.resourceType)).toEqual(['QuestionnaireResponse', 'Observation', 'Provenance']);
    expect(problemsOf(bundle)).toEqual([]);
  });
});
