import type { Coding, QuestionnaireResponse, QuestionnaireResponseItem } from 'fhir/r4.js';
import { DataSource } from 'typeorm';
import { signIn, type SignedIn } from './support/sign-in.js';
import { createTestApp, type TestApp } from './support/test-app.js';
import { as, phqAnswers, phqResponse } from './questionnaire-support/questionnaire-api.js';

const ITEM_WEIGHT = 'http://hl7.org/fhir/StructureDefinition/itemWeight';

/** Every chosen Coding of a response, rewritten by `change` (a client's own additions to the form's Codings). */
function withCodings(qr: QuestionnaireResponse, change: (c: Coding) => Coding): QuestionnaireResponse {
  const items = (list: QuestionnaireResponseItem[] | undefined): QuestionnaireResponseItem[] | undefined =>
    list?.map((i) => ({ ...i, answer: i.answer?.map((a) => (a.valueCoding ? { ...a, valueCoding: change(a.valueCoding) } : a)), item: items(i.item) }));
  return { ...qr, item: items(qr.item) };
}
const codingsOf = (qr: QuestionnaireResponse): Coding[] => {
  const out: Coding[] = [];
  const walk = (list: QuestionnaireResponseItem[] | undefined) => list?.forEach((i) => (i.answer?.forEach((a) => a.valueCoding && out.push(a.valueCoding)), walk(i.item)));
  walk(qr.item);
  return out;
};

/**
 * What a response's answers mean is the form's, not the client's: a chosen Coding is matched to the form's option by
 * system and code, and what is scored, checked by the safety rules, stored and written back is the form's option.
 */
describe("a response's chosen Codings are the form's", () => {
  let t: TestApp;
  let clinician: SignedIn;
  let ds: DataSource;

  beforeAll(async () => {
    t = await createTestApp({ fhir: { outboxWorker: false } });
    ds = t.app.get(DataSource);
    clinician = await signIn(t.app, { role: 'clinician', patientId: 'ac-1', fhirUser: 'Practitioner/ac-clin' });
  }, 120_000);
  afterAll(async () => t?.close());

  it('a weight a client puts on its own Codings changes no score and silences no safety rule', async () => {
    // "Nearly every day" throughout, item 9 included, each Coding carrying a weight of 0.
    const hostile = withCodings(phqResponse('Patient/ac-1', phqAnswers(3, 3)), (c) => ({ ...c, extension: [{ url: ITEM_WEIGHT, valueDecimal: 0 }] }));
    const res = await as(t, clinician).post('/api/questionnaire-responses', hostile);
    expect(res.status).toBe(201);
    expect(res.body.scores).toEqual(expect.arrayContaining([expect.objectContaining({ linkId: 'phq9-total', value: 27 })]));
    expect(res.body.alerts.map((a: { ruleId: string }) => a.ruleId)).toEqual(expect.arrayContaining([expect.stringMatching(/self-harm/)]));
    const [stored] = (await ds.query(`SELECT resource FROM questionnaire_response WHERE id = $1`, [res.body.resource.id])) as { resource: QuestionnaireResponse }[];
    expect(codingsOf(stored.resource).some((c) => c.extension !== undefined)).toBe(false);
  });

  it("keeps the form's display of the chosen answer, not a display a client made up for another", async () => {
    const lying = withCodings(phqResponse('Patient/ac-1', phqAnswers(3, 0)), (c) => ({ ...c, display: 'Not at all' }));
    const res = await as(t, clinician).post('/api/questionnaire-responses', lying);
    expect(res.status).toBe(201);
    const displays = new Set(codingsOf(res.body.resource).filter((c) => c.code === 'LA6571-9').map((c) => c.display));
    expect(displays).toEqual(new Set(['Nearly every day']));
  });

  it('refuses elements the form does not define on items and answers (resourceType, _valueCoding, modifierExtension): nothing is stored', async () => {
    const qr = phqResponse('Patient/ac-1', phqAnswers(3, 3));
    const nine = qr.item!.findIndex((i) => i.linkId === 'phq9-9');
    const on = (change: (i: QuestionnaireResponseItem) => object): QuestionnaireResponse => ({ ...qr, item: qr.item!.map((i, k) => (k === nine ? (change(i) as QuestionnaireResponseItem) : i)) });
    const hostile = [
      on((i) => ({ ...i, resourceType: 'X' })),
      on((i) => ({ ...i, answer: [{ ...i.answer![0], resourceType: 'X' }] })),
      on((i) => ({ ...i, answer: [{ ...i.answer![0], _valueCoding: { extension: [{ url: ITEM_WEIGHT, valueDecimal: 0 }] } }] })),
      on((i) => ({ ...i, modifierExtension: [{ url: 'https://example.org/negated', valueBoolean: true }] })),
    ];
    const before = ((await ds.query(`SELECT count(*)::int AS n FROM questionnaire_response`)) as { n: number }[])[0].n;
    for (const body of hostile) {
      const res = await as(t, clinician).post('/api/questionnaire-responses', body);
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body)).toContain('is not an element');
    }
    expect(((await ds.query(`SELECT count(*)::int AS n FROM questionnaire_response`)) as { n: number }[])[0].n).toBe(before);
  });

  it("stores the form's text for each item, not a label a client wrote", async () => {
    const qr = phqResponse('Patient/ac-1', phqAnswers(0, 0));
    const relabelled = { ...qr, item: qr.item!.map((i) => ({ ...i, text: 'Nothing to see here' })) };
    const res = await as(t, clinician).post('/api/questionnaire-responses', relabelled);
    expect(res.status).toBe(201);
    expect((res.body.resource as QuestionnaireResponse).item!.some((i) => i.text === 'Nothing to see here')).toBe(false);
  });

  it('refuses items a client put inside the answer of a question that has none', async () => {
    const qr = phqResponse('Patient/ac-1', phqAnswers(0, 0));
    const first = qr.item![0];
    const smuggled = { ...qr, item: [{ ...first, answer: [{ ...first.answer![0], item: [{ linkId: 'phq9-9', answer: [{ valueCoding: { system: 'http://loinc.org', code: 'LA6571-9' } }] }] }] }, ...qr.item!.slice(1)] };
    const res = await as(t, clinician).post('/api/questionnaire-responses', smuggled);
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain('nothing belongs inside its answer');
  });
});
