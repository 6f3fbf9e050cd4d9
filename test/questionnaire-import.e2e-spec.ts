import { jest } from '@jest/globals';
import type { Observation } from 'fhir/r4.js';
import { FhirPathDeadline } from '../src/questionnaires/definitions/fhirpath-deadline.js';
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
    expect(list.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(list.body.map((q: { slug: string }) => q.slug)).toEqual(expect.arrayContaining(['phq-9', 'gad-7', 'who-5', 'scs-sf', 'program-satisfaction', 'session-check-in']));
    const phq = list.body.find((q: { slug: string }) => q.slug === 'phq-9');
    expect(phq).toMatchObject({ canonical: PHQ9, origin: 'built-in', safetyRules: [{ id: 'self-harm-risk', severity: 'urgent' }] });
    const bySlug = await as(t, clinician).get('/api/questionnaires/phq-9').expect(200);
    expect(bySlug.headers['content-type']).toMatch(/^application\/fhir\+json/);
    expect(bySlug.body).toMatchObject({ resourceType: 'Questionnaire', version: '1.0.0' });
    await as(t, clinician).get(`/api/questionnaires/${encodeURIComponent(PHQ9)}`).expect(200);
    await as(t, clinician).get('/api/questionnaires/phq-9?version=7.0.0').expect(404);
  });

  it("checks a form under an import's budget, then runs it once as a save would under a save's own budget", async () => {
    const deadline = t.app.get(FhirPathDeadline);
    const within = jest.spyOn(deadline, 'within');
    try {
      await as(t, admin).post('/api/questionnaires', clinicImport('2026.budget')).expect(201);
      // A form whose saves would overrun theirs must be refused at its import: its run as a save has no larger budget.
      expect(within.mock.calls.map(([what, , budget]) => [what, budget])).toEqual([
        ['The import', deadline.importBudgetMs],
        ['The import (the form run once as a save would)', undefined],
      ]);
    } finally {
      within.mockRestore();
    }
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

/**
 * Hostile clinic forms: their FHIRPath runs in the service's own thread at import and on every save. An expression
 * built to grow exponentially, or too long to parse in reasonable time, is refused with a clear OperationOutcome —
 * the service never holds its thread for seconds nor grows its heap by gigabytes on one request.
 */
describe('a clinic form whose FHIRPath runs away', () => {
  let t: TestApp;
  let admin: SignedIn;
  let clinician: SignedIn;
  const fhirpath = (expression: string) => ({ language: 'text/fhirpath', expression });
  // Each step triples the collection: 3^n items after n values (17 values: 129 million, 7 s and 2.5 GB unguarded).
  const tripling = (over: string) => `${over}.aggregate($total.combine($total).combine($total), 'x').count()`;
  const literals = (n: number) => `(${Array.from({ length: n }, (_, i) => `'v${i}'`).join(' | ')})`;
  const form = (url: string, item: object[]) => ({ resourceType: 'Questionnaire', url, version: '1', status: 'active', title: 'Runaway', subjectType: ['Patient'], item });
  const many = { linkId: 'many', text: 'Words', type: 'string', repeats: true };
  const OVER_ANSWERS = tripling('%resource.item.where(linkId = \'many\').answer.value');

  beforeAll(async () => {
    t = await createTestApp({ fhir: { outboxWorker: false } });
    admin = await signIn(t.app, { role: 'admin' });
    clinician = await signIn(t.app, { role: 'clinician', patientId: 'pat-6', fhirUser: 'Practitioner/clin-6' });
  });
  afterAll(async () => t?.close());

  it('refuses at import an expression longer than any form needs (400, naming the item) and one whose dry run runs away (422), storing neither', async () => {
    const long = Array.from({ length: 2100 }, () => '1').join(' + ');
    const tooLong = await as(t, admin).post('/api/questionnaires', form('https://clinic.example.org/fhir/Questionnaire/too-long', [
      { linkId: 'total', text: 'Total', type: 'integer', readOnly: true, extension: [{ url: EXT.calculatedExpression, valueExpression: fhirpath(long) }] },
    ])).expect(400);
    expect(tooLong.body.issue[0].details.coding[0].code).toBe('QUESTIONNAIRES.INVALID_QUESTIONNAIRE');
    expect(tooLong.body.issue[0].diagnostics ?? tooLong.body.issue[0].details.text).toMatch(/longer than 4000 characters/);

    const runaway = await as(t, admin).post('/api/questionnaires', form('https://clinic.example.org/fhir/Questionnaire/runaway-import', [
      { linkId: 'total', text: 'Total', type: 'integer', readOnly: true, extension: [{ url: EXT.calculatedExpression, valueExpression: fhirpath(tripling(literals(17))) }] },
    ])).expect(422);
    expect(runaway.body).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'too-costly', details: { coding: [{ code: 'QUESTIONNAIRES.FORM_TOO_COSTLY' }] } }] });
    const listed = (await as(t, clinician).get('/api/questionnaires').expect(200)).body.map((q: { canonical: string }) => q.canonical);
    expect(listed.filter((c: string) => c.includes('too-long') || c.includes('runaway-import'))).toEqual([]);
  });

  it.each([
    ['a calculatedExpression', { linkId: 'total', text: 'Total', type: 'integer', readOnly: true, extension: [{ url: EXT.calculatedExpression, valueExpression: fhirpath(OVER_ANSWERS) }] }, undefined],
    ['an enableWhenExpression', { linkId: 'more', text: 'More', type: 'string', extension: [{ url: EXT.enableWhenExpression, valueExpression: fhirpath(`${OVER_ANSWERS} > 0`) }] }, undefined],
    ['a safety rule', undefined, [{ id: 'runaway', expression: `${OVER_ANSWERS} > 0`, severity: 'asap', message: 'Never' }]],
  ])('refuses a save whose answers make %s run away (422), stores nothing, and answers the next request', async (kind, extra, safetyRules) => {
    const url = `https://clinic.example.org/fhir/Questionnaire/runaway-${kind.split(' ').pop()!.toLowerCase()}`;
    const questionnaire = form(url, [many, ...(extra ? [extra] : [])]);
    // Harmless on the empty response the import dry-runs: it grows with the answers given.
    await as(t, admin).post('/api/questionnaires', safetyRules ? { questionnaire, safetyRules } : questionnaire).expect(201);
    const response = (n: number) => ({
      resourceType: 'QuestionnaireResponse', questionnaire: `${url}|1`, status: 'completed', subject: { reference: 'Patient/pat-6' },
      item: [
        { linkId: 'many', answer: Array.from({ length: n }, (_, i) => ({ valueString: `w${i}` })) },
        // An answer to the conditional item: the server must decide that it is enabled.
        ...(extra?.linkId === 'more' ? [{ linkId: 'more', answer: [{ valueString: 'and more' }] }] : []),
      ],
    });
    const refused = await as(t, clinician).post('/api/questionnaire-responses', response(18)).expect(422);
    expect(refused.body).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'too-costly', details: { coding: [{ code: 'QUESTIONNAIRES.FORM_TOO_COSTLY' }] } }] });
    const stored = await as(t, clinician).get(`/api/questionnaire-responses?patient=pat-6&questionnaire=${encodeURIComponent(`${url}|1`)}`).expect(200);
    expect(stored.body.entry ?? stored.body.total ?? []).toHaveLength(0);
    // The same form with a few answers is saved as ever.
    await as(t, clinician).post('/api/questionnaire-responses', response(2)).expect(201);
  });
});
