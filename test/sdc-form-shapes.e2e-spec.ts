import type { Bundle, Observation, OperationOutcome, Parameters, Questionnaire, QuestionnaireItemAnswerOption, QuestionnaireResponse, QuestionnaireResponseItem } from 'fhir/r4.js';
import { answeredResponse } from '../src/questionnaires/engine/answered-response.js';
import { sandboxIssuer } from '../src/sandbox/sandbox-registration.js';
import { TestBrowser } from './support/browser.js';
import { r4SchemaErrors } from './support/fhir-r4-schema.js';
import { signIn, type SignedIn } from './support/sign-in.js';
import { createTestApp, type TestApp } from './support/test-app.js';
import { as, resourcesOf } from './questionnaire-support/questionnaire-api.js';
import {
  answersFunctionForm, bmiForExtraction, chainedCalculation, enableWhenForm, FALL_DETAILS, FALL_GATE, mealScreener, prefillForm, selectivePrefill, weightHeightPanel,
} from './questionnaire-support/sdc-form-shapes.js';

/** The option of an item whose Coding has `code` (or whose string is it), as the form writes it. */
function option(q: Questionnaire, linkId: string, code: string): QuestionnaireItemAnswerOption {
  const find = (items: Questionnaire['item']): QuestionnaireItemAnswerOption[] => (items ?? []).flatMap((i) => (i.linkId === linkId ? i.answerOption ?? [] : find(i.item)));
  const found = find(q.item).find((o) => o.valueCoding?.code === code || o.valueString === code);
  if (!found) throw new Error(`${linkId} has no option ${code}`);
  const { extension: _e, ...value } = found;
  return value;
}
const answerOf = (items: QuestionnaireResponseItem[] | undefined, linkId: string): QuestionnaireResponseItem['answer'] => {
  for (const i of items ?? []) {
    if (i.linkId === linkId) return i.answer;
    const inner = answerOf(i.item, linkId);
    if (inner) return inner;
  }
  return undefined;
};

/**
 * Synthetic forms in the shapes other SDC fillers' forms take (test/questionnaire-support/sdc-form-shapes.ts; the
 * trial of HL7's SDC examples, SMART Forms' and LHC-Forms' own is recorded in src/questionnaires/README.md), pushed
 * through the service as a clinic would: the admin imports each one, a clinician answers and submits it, reads what
 * was computed, asks for its `$extract`, and starts one pre-filled from the sandbox EHR. (The form of many long
 * variables is checked without the service, in sdc-form-shapes.spec.ts: its first import in a process compiles
 * fifteen long expressions cold, near the import's FHIRPath budget on a busy machine.)
 */
describe('SDC forms shaped as other tools write them', () => {
  let t: TestApp;
  let admin: SignedIn;
  let clinician: SignedIn;

  /** Imports as an admin would: as written, and, when it has no url or version (ours pins `url|version`), with them added. */
  async function importForm(q: Questionnaire, name: string): Promise<Questionnaire> {
    const asWritten = await as(t, admin).post('/api/questionnaires', q);
    if (asWritten.status === 201) return q;
    expect(asWritten.status).toBe(400);
    const missing = (asWritten.body as OperationOutcome).issue.map((i) => i.diagnostics);
    expect(missing).toEqual([...(q.url ? [] : ['Questionnaire.url is required']), ...(q.version ? [] : ['Questionnaire.version is required'])]);
    const patched = { ...q, url: q.url ?? `https://clinic.example.org/fhir/Questionnaire/${name}`, version: q.version ?? '2026.1' };
    await as(t, admin).post('/api/questionnaires', patched).expect(201);
    return patched;
  }

  /** Submits the answers (as the player builds them) for the patient; answers 201 with the stored response. */
  function submit(q: Questionnaire, answers: Record<string, QuestionnaireResponseItem['answer']>) {
    const { response } = answeredResponse(q, answers as Record<string, NonNullable<QuestionnaireResponseItem['answer']>>, { subject: { reference: 'Patient/sbx-pat-1' } });
    return as(t, clinician).post('/api/questionnaire-responses', response);
  }
  const extract = async (id: string) => (await as(t, clinician).post(`/api/questionnaire-responses/${id}/$extract`, {}).expect(200)).body as Bundle;

  beforeAll(async () => {
    t = await createTestApp({ listen: true, fhir: { outboxWorker: false } });
    admin = await signIn(t.app, { role: 'admin', issuer: sandboxIssuer(t.url) });
    clinician = await signIn(t.app, { role: 'clinician', patientId: 'sbx-pat-1', fhirUser: 'Practitioner/sbx-prac-1', issuer: sandboxIssuer(t.url) });
  });
  afterAll(async () => t?.close());

  it("weight-height panel: the BMI is computed through the form's variables; the form extracts nothing", async () => {
    const q = await importForm(weightHeightPanel, 'weight-height-panel');
    // Weight in kg, height in inches (the form's variable turns it into metres).
    const saved = await submit(q, { 'wh-weight': [{ valueDecimal: 81 }], 'wh-height': [{ valueDecimal: 70 }] }).expect(201);
    expect(answerOf(saved.body.resource.item, 'wh-bmi')).toEqual([{ valueDecimal: 25.6 }]);
    expect(resourcesOf<Observation>(await extract(saved.body.resource.id), 'Observation')).toEqual([]);
  });

  it('two-question screener: the result is computed as one of its own options', async () => {
    const q = await importForm(mealScreener, 'meal-screener');
    const atRisk = await submit(q, { 'ms-skipped': [option(q, 'ms-skipped', 'often')], 'ms-whole-day': [option(q, 'ms-whole-day', 'never')] }).expect(201);
    expect(answerOf(atRisk.body.resource.item, 'ms-result')).toEqual([option(q, 'ms-result', 'at-risk')]);
    const noRisk = await submit(q, { 'ms-skipped': [option(q, 'ms-skipped', 'never')], 'ms-whole-day': [option(q, 'ms-whole-day', 'never')] }).expect(201);
    expect(answerOf(noRisk.body.resource.item, 'ms-result')).toEqual([option(q, 'ms-result', 'not-at-risk')]);
  });

  it("observation-based extraction: the BMI of a group's variables, a quantity in the form's unit, is its one Observation", async () => {
    const q = await importForm(bmiForExtraction, 'bmi-observation');
    const saved = await submit(q, { 'bmi-height': [{ valueDecimal: 180 }], 'bmi-weight': [{ valueDecimal: 81 }] }).expect(201);
    const bmi = { value: 25, unit: 'kg/m2', system: 'http://unitsofmeasure.org', code: 'kg/m2' };
    expect(answerOf(saved.body.resource.item, 'bmi-value')).toEqual([{ valueQuantity: bmi }]);
    const bundle = await extract(saved.body.resource.id);
    expect(resourcesOf<Observation>(bundle, 'Observation')).toEqual([
      expect.objectContaining({ status: 'final', code: expect.objectContaining({ coding: [expect.objectContaining({ system: 'http://snomed.info/sct', code: '60621009' })] }), valueQuantity: bmi }),
    ]);
    expect(r4SchemaErrors(bundle)).toEqual([]);
  });

  it('chained calculation: a number, then a boolean computed from it', async () => {
    const q = await importForm(chainedCalculation, 'chained-calculation');
    for (const [n, doubled, is4] of [[2, 4, true], [3, 6, false]] as const) {
      const saved = await submit(q, { 'cc-number': [{ valueInteger: n }] }).expect(201);
      expect(answerOf(saved.body.resource.item, 'cc-twice')).toEqual([{ valueDecimal: doubled }]);
      expect(answerOf(saved.body.resource.item, 'cc-four')).toEqual([{ valueBoolean: is4 }]);
    }
  });

  it('enableWhen form: an answer to a question its condition hides is refused on submission', async () => {
    const q = await importForm(enableWhenForm, 'falls-follow-up');
    const shown = await submit(q, { [FALL_GATE]: [{ valueBoolean: true }], [FALL_DETAILS]: [{ valueString: 'Synthetic' }] }).expect(201);
    expect(answerOf(shown.body.resource.item, FALL_DETAILS)).toEqual([{ valueString: 'Synthetic' }]);
    // Not as the player builds it: the person's client sends the hidden answer anyway.
    const { response } = answeredResponse(q, { [FALL_GATE]: [{ valueBoolean: false }] }, { subject: { reference: 'Patient/sbx-pat-1' } });
    const group = response.item![0];
    const tampered = { ...response, item: [{ ...group, item: [...group.item!, { linkId: FALL_DETAILS, answer: [{ valueString: 'Synthetic' }] }] }, ...response.item!.slice(1)] };
    const refused = await as(t, clinician).post('/api/questionnaire-responses', tampered).expect(400);
    expect(refused.body.issue).toEqual([expect.objectContaining({ diagnostics: `${FALL_DETAILS} is disabled by enableWhen and must not be answered` })]);
  });

  it('a score calling answers() is refused, saying why: FHIRPath does not define it', async () => {
    const refused = await as(t, admin).post('/api/questionnaires', answersFunctionForm).expect(400);
    expect(refused.body.issue).toEqual([
      expect.objectContaining({ diagnostics: 'wb/total: Unknown FHIRPath function(s): answers', expression: [expect.stringContaining("item.where(linkId='wb/total')")] }),
    ]);
  });

  describe('pre-filled from the sandbox EHR in a clinician launch', () => {
    async function populate(b: TestBrowser, canonical: string) {
      const csrf = JSON.parse((await b.request(`${t.url}/api/context`)).body).csrfToken as string;
      const res = await b.request(`${t.url}/api/questionnaires/${encodeURIComponent(canonical)}/$populate`, { method: 'POST', headers: { 'X-CSRF-Token': csrf } });
      expect(res.status).toBe(200);
      const p = JSON.parse(res.body) as Parameters;
      return {
        response: p.parameter!.find((x) => x.name === 'response')!.resource as QuestionnaireResponse,
        issues: (p.parameter!.find((x) => x.name === 'issues')!.resource as OperationOutcome).issue.map((i) => i.diagnostics ?? ''),
      };
    }
    let b: TestBrowser;
    beforeAll(async () => {
      b = new TestBrowser();
      await b.navigate(`${t.url}/sandbox/launch?user=${encodeURIComponent('Practitioner/sbx-prac-1')}&patient=${encodeURIComponent('Patient/sbx-pat-1')}&encounter=sbx-enc-1`, (u) => u.startsWith(`${t.url}/app/`));
    });

    it("initialExpressions: the patient's name and birth date, the user's name, today", async () => {
      const q = await importForm(prefillForm, 'visit-header');
      const { response, issues } = await populate(b, `${q.url}|${q.version}`);
      expect(issues).toEqual(['Pre-filled 5 item(s)']);
      expect(answerOf(response.item, 'vh-family')).toEqual([{ valueString: 'Sample' }]);
      expect(answerOf(response.item, 'vh-given')).toEqual([{ valueString: 'Avery' }]);
      expect(answerOf(response.item, 'vh-birth')).toEqual([{ valueDate: '1968-04-12' }]);
      expect(answerOf(response.item, 'vh-clinician-name')).toEqual([{ valueString: 'Quinn Example' }]);
      expect(answerOf(response.item, 'vh-date')).toEqual([{ valueDate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) }]);
      // The sandbox patient has no insurance number: that stays empty.
      expect(answerOf(response.item, 'vh-insurance')).toBeUndefined();
    });

    it('a form reading through x-fhir-query, itemPopulationContext and sourceQueries imports; gender comes from its contained ValueSet; what those would read stays empty, saying why; its calculated choice follows the answer', async () => {
      const q = await importForm(selectivePrefill, 'intake-prefill-check');
      const { response, issues } = await populate(b, `${q.url}|${q.version}`);
      // Its sex items name the ValueSet it contains (by url, by #id): the patient's gender code becomes that Coding.
      const female = [{ valueCoding: { system: 'http://hl7.org/fhir/administrative-gender', code: 'female', display: 'Female' } }];
      expect([answerOf(response.item, 'ip-sex-by-url'), answerOf(response.item, 'ip-sex-by-id')]).toEqual([female, female]);
      expect(issues).toEqual(expect.arrayContaining([
        'itemPopulationContext ProblemRow is not evaluated here: the items that read it are left empty',
        'sourceQueries Recent (a batch of FHIR queries) is not run here: the items that read it are left empty',
        'Variable SmokingObs: only text/fhirpath expressions are evaluated',
      ]));
      expect([answerOf(response.item, 'ip-smoking'), answerOf(response.item, 'ip-pulse'), answerOf(response.item, 'ip-problem')]).toEqual([undefined, undefined, undefined]);
      const exSmoker = option(q, 'ip-smoking', '8517006');
      const saved = await submit(q, { 'ip-smoking': [exSmoker] }).expect(201);
      expect(answerOf(saved.body.resource.item, 'ip-smoking-copy')).toEqual([exSmoker]);
    });
  });
});
