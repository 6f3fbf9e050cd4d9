import type { QuestionnaireResponse } from 'fhir/r4.js';
import { signIn, type SignedIn } from './support/sign-in.js';
import { createTestApp, type TestApp } from './support/test-app.js';
import { as, PHQ9, phqAnswers, phqResponse, rowCounts } from './questionnaire-support/questionnaire-api.js';

const at = (linkId: string, rest = '') => `QuestionnaireResponse.item.where(linkId='${linkId}')${rest}`;

function withItem(qr: QuestionnaireResponse, linkId: string, answer: object): QuestionnaireResponse {
  const item = (qr.item ?? []).map((i) => (i.linkId === linkId ? { ...i, answer: [answer] } : i));
  return { ...qr, item: item.some((i) => i.linkId === linkId) ? item : [...item, { linkId, answer: [answer] }] };
}

/** The corpus of wrong responses: each refused with an issue located where a form can show it; nothing stored. */
const CORPUS: [string, () => QuestionnaireResponse, number, string, string][] = [
  ['an unknown linkId', () => withItem(phqResponse('Patient/pat-1', phqAnswers(0)), 'phq9-99', { valueInteger: 1 }), 400, 'structure', at('phq9-99')],
  ['a wrong answer type', () => withItem(phqResponse('Patient/pat-1', phqAnswers(0)), 'phq9-1', { valueString: 'often' }), 400, 'value', at('phq9-1', '.answer')],
  ['a value outside the options', () => withItem(phqResponse('Patient/pat-1', phqAnswers(0)), 'phq9-2', { valueCoding: { system: 'http://loinc.org', code: 'LA9999-9' } }), 400, 'code-invalid', at('phq9-2', '.answer')],
  ['an answer to a disabled item', () => withItem(phqResponse('Patient/pat-1', phqAnswers(0)), 'phq9-10', { valueCoding: { code: 'difficulty-very' } }), 400, 'business-rule', at('phq9-10', '.answer')],
  ['a missing required item', () => { const qr = phqResponse('Patient/pat-1', phqAnswers(1)); return { ...qr, item: qr.item!.filter((i) => i.linkId !== 'phq9-3') }; }, 400, 'required', at('phq9-3', '.answer')],
  ['a wrong Questionnaire version', () => ({ ...phqResponse('Patient/pat-1', phqAnswers(0)), questionnaire: PHQ9.replace('|1.0.0', '|9.9.9') }), 400, 'not-found', 'QuestionnaireResponse.questionnaire'],
  ['no version at all', () => ({ ...phqResponse('Patient/pat-1', phqAnswers(0)), questionnaire: PHQ9.split('|')[0] }), 400, 'required', 'QuestionnaireResponse.questionnaire'],
  ["another patient's subject", () => phqResponse('Patient/pat-2', phqAnswers(0)), 403, 'forbidden', 'QuestionnaireResponse.subject'],
  ["a caregiver's form", () => phqResponse('RelatedPerson/rp-1', phqAnswers(0)), 403, 'forbidden', 'QuestionnaireResponse.subject'],
  ['a draft with a wrong answer type', () => withItem(phqResponse('Patient/pat-1', {}, 'in-progress'), 'phq9-4', { valueBoolean: true }), 400, 'value', at('phq9-4', '.answer')],
];

describe('refused responses and who sees what', () => {
  let t: TestApp;
  let patient: SignedIn;

  beforeAll(async () => {
    t = await createTestApp({ fhir: { outboxWorker: false } });
    patient = await signIn(t.app, { role: 'patient', patientId: 'pat-1' });
  });
  afterAll(async () => t?.close());

  it.each(CORPUS)('refuses %s, with a per-item issue, storing nothing', async (_what, body, status, code, expression) => {
    const before = await rowCounts(t);
    const res = await as(t, patient).post('/api/questionnaire-responses', body());
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/fhir\+json/);
    expect(res.body.resourceType).toBe('OperationOutcome');
    expect(res.body.issue).toEqual(expect.arrayContaining([expect.objectContaining({ code, expression: [expression] })]));
    expect(await rowCounts(t)).toEqual(before);
  });

  it('reports every problem of a response at once, one issue per item', async () => {
    let qr = withItem(phqResponse('Patient/pat-1', phqAnswers(0)), 'phq9-1', { valueString: 'x' });
    qr = withItem(qr, 'nope', { valueInteger: 1 });
    qr = { ...qr, item: qr.item!.filter((i) => i.linkId !== 'phq9-5') };
    const res = await as(t, patient).post('/api/questionnaire-responses', qr).expect(400);
    expect(res.body.issue.map((i: { expression: string[] }) => i.expression[0]).sort()).toEqual([at('nope'), at('phq9-1', '.answer'), at('phq9-5', '.answer')].sort());
  });

  // 10 000 copies of one item (under 1 MB): checked once per level, not once per copy, so the answer is the response's
  // own refusal (a duplicated item), never FORM_TOO_COSTLY (it was: the check cost more than the FHIRPath budget, and
  // the refusal blamed the form); and it lists the first 100 issues, then how many more, not 10 000 of them.
  it('refuses a response of 10 000 duplicated items as such, in a short answer, storing nothing', async () => {
    const before = await rowCounts(t);
    const qr = phqResponse('Patient/pat-1', {}, 'in-progress');
    const copy = { linkId: 'phq9-1', answer: [{ valueCoding: { system: 'http://loinc.org', code: 'LA6568-5' } }] };
    const res = await as(t, patient).post('/api/questionnaire-responses', { ...qr, item: Array.from({ length: 10_000 }, () => copy) });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).not.toContain('FORM_TOO_COSTLY');
    expect(res.body.issue).toHaveLength(101);
    expect(res.body.issue[0]).toMatchObject({ code: 'structure', expression: [at('phq9-1', '[1]')] });
    expect(res.body.issue[100].diagnostics).toBe('9899 more issues like these are not listed.');
    expect(await rowCounts(t)).toEqual(before);
  });

  it('lets a patient see only their own forms, a caregiver not the patient’s private answers, and quality none', async () => {
    const own = await as(t, patient).post('/api/questionnaire-responses', phqResponse('Patient/pat-1', phqAnswers(0))).expect(201);
    const id = own.body.resource.id as string;
    const other = await signIn(t.app, { role: 'patient', patientId: 'pat-9' });
    await as(t, other).get(`/api/questionnaire-responses/${id}`).expect(403);
    expect((await as(t, other).get('/api/questionnaire-responses').expect(200)).body.total).toBe(0);
    const mine = await as(t, patient).get('/api/questionnaire-responses?status=completed').expect(200);
    expect(mine.body.entry.map((e: { resource: { id: string } }) => e.resource.id)).toEqual([id]);

    const caregiver = await signIn(t.app, { role: 'caregiver', patientId: 'pat-1', fhirUser: 'RelatedPerson/rp-1' });
    await as(t, caregiver).get(`/api/questionnaire-responses/${id}`).expect(403);
    const typed = await as(t, caregiver).post('/api/questionnaire-responses', phqResponse('RelatedPerson/rp-1', phqAnswers(0))).expect(201);
    expect(typed.body.resource.subject).toEqual({ reference: 'RelatedPerson/rp-1', type: 'RelatedPerson' });
    expect((await as(t, caregiver).get('/api/questionnaire-responses').expect(200)).body.total).toBe(1);
    await as(t, patient).get(`/api/questionnaire-responses/${typed.body.resource.id}`).expect(403);

    for (const role of ['quality', 'coordinator', 'admin'] as const) {
      const s = await signIn(t.app, { role, patientId: role === 'coordinator' ? null : 'pat-1' });
      await as(t, s).get(`/api/questionnaire-responses/${id}`).expect(403);
      await as(t, s).get('/api/questionnaire-responses').expect(403);
    }
    const quality = await signIn(t.app, { role: 'quality' });
    await as(t, quality).get('/api/alerts').expect(403);
    await as(t, quality).get('/api/questionnaire-assignments').expect(403);
  });
});
