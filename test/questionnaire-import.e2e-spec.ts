import type { Observation } from 'fhir/r4.js';
import { EXT } from '../src/questionnaires/engine/codes.js';
import { signIn, type SignedIn } from './support/sign-in.js';
import { createTestApp, type TestApp } from './support/test-app.js';
import { as, outboxBundles, PHQ9, resourcesOf } from './questionnaire-support/questionnaire-api.js';

const URL = 'https://clinic.example.org/fhir/Questionnaire/fatigue-3';
const weighted = (w: number) => ({ valueCoding: { system: 'urn:clinic:fatigue', code: `f${w}`, display: `level ${w}` }, extension: [{ url: EXT.itemWeight, valueDecimal: w }] });
const SUM = "defineVariable('ids', 'fat-1' | 'fat-2' | 'fat-3').defineVariable('w', %resource.item.where(linkId in %ids).answer.value.weight()).select(iif(%w.count() = %ids.count(), %w.sum(), {}))";

/** A clinic's own licensed form as its admin would post it: Questionnaire + score and safety metadata. */
function clinicImport(version = '2026.1', text = 'Tiredness today') {
  return {
    questionnaire: {
      resourceType: 'Questionnaire', url: URL, version, status: 'active', title: 'Fatigue check', subjectType: ['Patient'],
      item: [
        ...['fat-1', 'fat-2', 'fat-3'].map((linkId) => ({ linkId, text, type: 'choice', required: true, answerOption: [0, 1, 2].map(weighted) })),
        { linkId: 'fat-total', text: 'Total', type: 'integer', readOnly: true, extension: [{ url: EXT.calculatedExpression, valueExpression: { language: 'text/fhirpath', expression: SUM } }] },
      ],
    },
    scores: [{
      linkId: 'fat-total', code: { system: 'urn:clinic:codes', code: 'fatigue-total', display: 'Fatigue total' }, unit: '{score}', min: 0, max: 6, direction: 'higher-is-worse',
      bands: [{ code: 'low', display: 'Low', min: 0, max: 2 }, { code: 'high', display: 'High', min: 3, max: 6 }],
    }],
    safetyRules: [{ id: 'exhausted', expression: "%resource.item.where(linkId = 'fat-3').answer.value.weight() > 1", severity: 'asap', message: 'Severe exhaustion reported' }],
  };
}

describe('the instrument library: built-ins and a clinic’s own Questionnaire', () => {
  let t: TestApp;
  let admin: SignedIn;
  let clinician: SignedIn;

  beforeAll(async () => {
    t = await createTestApp({ fhir: { outboxWorker: false } });
    admin = await signIn(t.app, { role: 'admin' });
    clinician = await signIn(t.app, { role: 'clinician', patientId: 'pat-5', fhirUser: 'Practitioner/clin-5' });
  });
  afterAll(async () => t?.close());

  it('lists the built-ins and serves each as a FHIR Questionnaire by slug or canonical', async () => {
    const list = await as(t, clinician).get('/api/questionnaires').expect(200);
    expect(list.body.map((q: { slug: string }) => q.slug)).toEqual(expect.arrayContaining(['phq-9', 'gad-7', 'who-5', 'scs-sf', 'program-satisfaction', 'session-check-in']));
    const phq = list.body.find((q: { slug: string }) => q.slug === 'phq-9');
    expect(phq).toMatchObject({ canonical: PHQ9, origin: 'built-in', safetyRules: [{ id: 'self-harm-risk', severity: 'urgent' }] });
    const bySlug = await as(t, clinician).get('/api/questionnaires/phq-9').expect(200);
    expect(bySlug.headers['content-type']).toMatch(/^application\/fhir\+json/);
    expect(bySlug.body).toMatchObject({ resourceType: 'Questionnaire', version: '1.0.0' });
    await as(t, clinician).get(`/api/questionnaires/${encodeURIComponent(PHQ9)}`).expect(200);
    await as(t, clinician).get('/api/questionnaires/phq-9?version=7.0.0').expect(404);
  });

  it('imports a good clinic form (idempotently), which is then listed and answerable with its scores', async () => {
    await as(t, clinician).post('/api/questionnaires', clinicImport()).expect(403);
    const created = await as(t, admin).post('/api/questionnaires', clinicImport()).expect(201);
    expect(created.body).toMatchObject({ canonical: `${URL}|2026.1`, origin: 'imported', slug: 'fatigue-3' });
    await as(t, admin).post('/api/questionnaires', clinicImport()).expect(200);
    const clash = await as(t, admin).post('/api/questionnaires', clinicImport('2026.1', 'Tiredness this week')).expect(409);
    expect(clash.body.issue[0].details.coding[0].code).toBe('QUESTIONNAIRES.VERSION_EXISTS');
    await as(t, admin).post('/api/questionnaires', { questionnaire: { ...clinicImport().questionnaire, url: PHQ9.split('|')[0], version: '1.0.0' } }).expect(409);
    expect((await as(t, clinician).get('/api/questionnaires').expect(200)).body.map((q: { canonical: string }) => q.canonical)).toContain(`${URL}|2026.1`);

    const answers = { 'fat-1': 1, 'fat-2': 1, 'fat-3': 2 };
    const qr = {
      resourceType: 'QuestionnaireResponse', questionnaire: `${URL}|2026.1`, status: 'completed', subject: { reference: 'Patient/pat-5' },
      item: Object.entries(answers).map(([linkId, w]) => ({ linkId, answer: [{ valueCoding: weighted(w).valueCoding }] })),
    };
    const saved = await as(t, clinician).post('/api/questionnaire-responses', qr).expect(201);
    expect(saved.body.scores).toEqual([expect.objectContaining({ linkId: 'fat-total', value: 4, band: expect.objectContaining({ code: 'high' }) })]);
    expect(saved.body.alerts).toEqual([expect.objectContaining({ ruleId: 'exhausted', severity: 'asap', responsible: 'Practitioner/clin-5' })]);
    const [bundle] = await outboxBundles(t, 'questionnaire-response.completed', saved.body.resource.id);
    expect(resourcesOf<Observation>(bundle, 'Observation')[0]).toMatchObject({ valueInteger: 4, code: { coding: [{ system: 'urn:clinic:codes', code: 'fatigue-total' }] } });
  });

  it('refuses a bad clinic form with an issue per problem, and stores nothing', async () => {
    type Item = { linkId: string; answerOption?: { extension?: unknown }[]; extension?: { valueExpression: { expression: string } }[] };
    const bad = clinicImport('2026.2');
    const items = bad.questionnaire.item as Item[];
    items[1].linkId = 'fat-1';
    items[3].extension![0].valueExpression.expression = 'weight(( +';
    delete items[0].answerOption![0].extension;
    const res = await as(t, admin).post('/api/questionnaires', bad).expect(400);
    expect(res.body.issue[0].details.coding[0].code).toBe('QUESTIONNAIRES.INVALID_QUESTIONNAIRE');
    const codes = res.body.issue.map((i: { code: string }) => i.code);
    expect(codes).toEqual(expect.arrayContaining(['duplicate', 'invalid']));
    expect(res.body.issue.every((i: { expression?: string[] }) => i.expression?.length === 1)).toBe(true);
    expect((await as(t, clinician).get('/api/questionnaires').expect(200)).body.map((q: { canonical: string }) => q.canonical)).not.toContain(`${URL}|2026.2`);
    await as(t, admin).post('/api/questionnaires', { resourceType: 'Patient' }).expect(400);
  });
});
