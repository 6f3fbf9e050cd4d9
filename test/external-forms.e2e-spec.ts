import { readFileSync } from 'node:fs';
import type { Bundle, Observation, OperationOutcome, Parameters, Questionnaire, QuestionnaireItemAnswerOption, QuestionnaireResponse, QuestionnaireResponseItem } from 'fhir/r4.js';
import { answeredResponse } from '../src/questionnaires/engine/answered-response.js';
import { sandboxIssuer } from '../src/sandbox/sandbox-registration.js';
import { TestBrowser } from './support/browser.js';
import { r4SchemaErrors } from './support/fhir-r4-schema.js';
import { signIn, type SignedIn } from './support/sign-in.js';
import { createTestApp, type TestApp } from './support/test-app.js';
import { as, resourcesOf } from './questionnaire-support/questionnaire-api.js';

/** A published Questionnaire we did not write (test/questionnaire-support/external-forms/README.md names each source). */
const form = (file: string) => JSON.parse(readFileSync(new URL(`./questionnaire-support/external-forms/${file}.json`, import.meta.url), 'utf8')) as Questionnaire;

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
 * Forms written for other SDC fillers (HL7's SDC examples, SMART Forms' test forms), pushed through the service as a
 * clinic would: the admin imports each one, a clinician answers and submits it, reads what was computed, asks for
 * its `$extract`, and starts one pre-filled from the sandbox EHR. (HL7's Framingham form is checked without the
 * service, in external-forms.spec.ts: its first import in a process compiles fifteen long expressions cold, near
 * the import's FHIRPath budget on a busy machine.)
 */
describe('Questionnaires we did not write', () => {
  let t: TestApp;
  let admin: SignedIn;
  let clinician: SignedIn;

  /** Imports as an admin would: as published, and, when it has no url or version (ours pins `url|version`), with them added. */
  async function importForm(file: string): Promise<Questionnaire> {
    const q = form(file);
    const asPublished = await as(t, admin).post('/api/questionnaires', q);
    if (asPublished.status === 201) return q;
    expect(asPublished.status).toBe(400);
    const missing = (asPublished.body as OperationOutcome).issue.map((i) => i.diagnostics);
    expect(missing).toEqual([...(q.url ? [] : ['Questionnaire.url is required']), ...(q.version ? [] : ['Questionnaire.version is required'])]);
    const patched = { ...q, url: q.url ?? `https://clinic.example.org/fhir/Questionnaire/${file}`, version: q.version ?? '2026.1' };
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

  it("HL7 SDC weight-height panel: the BMI is computed through the form's variables; the form extracts nothing", async () => {
    const q = await importForm('questionnaire-sdc-profile-example-weight-height');
    // Weight in kg, height in inches (the form's variable turns it into metres).
    const saved = await submit(q, { '/29463-7': [{ valueDecimal: 81 }], '/8302-2': [{ valueDecimal: 70 }] }).expect(201);
    expect(answerOf(saved.body.resource.item, '/39156-5')).toEqual([{ valueDecimal: 25.6 }]);
    expect(resourcesOf<Observation>(await extract(saved.body.resource.id), 'Observation')).toEqual([]);
  });

  it('HL7 SDC Hunger Vital Sign: the risk is computed as one of its own options', async () => {
    const q = await importForm('questionnaire-sdc-profile-example-hunger-vital-signs');
    const atRisk = await submit(q, { '/88122-7': [option(q, '/88122-7', 'LA28397-0')], '/88123-5': [option(q, '/88123-5', 'LA28398-8')] }).expect(201);
    expect(answerOf(atRisk.body.resource.item, '/88124-3')).toEqual([option(q, '/88124-3', 'LA19952-3')]);
    const noRisk = await submit(q, { '/88122-7': [option(q, '/88122-7', 'LA28398-8')], '/88123-5': [option(q, '/88123-5', 'LA28398-8')] }).expect(201);
    expect(answerOf(noRisk.body.resource.item, '/88124-3')).toEqual([option(q, '/88124-3', 'LA19983-8')]);
  });

  it("SMART Forms' observation-based extraction: the BMI of a group's variables, a quantity in the form's unit, is its one Observation", async () => {
    const q = await importForm('smart-forms-observation-based-extract');
    const saved = await submit(q, { 'patient-height': [{ valueDecimal: 180 }], 'patient-weight': [{ valueDecimal: 81 }] }).expect(201);
    const bmi = { value: 25, unit: 'kg/m2', system: 'http://unitsofmeasure.org', code: 'kg/m2' };
    expect(answerOf(saved.body.resource.item, 'bmi-result')).toEqual([{ valueQuantity: bmi }]);
    const bundle = await extract(saved.body.resource.id);
    expect(resourcesOf<Observation>(bundle, 'Observation')).toEqual([
      expect.objectContaining({ status: 'final', code: expect.objectContaining({ coding: [expect.objectContaining({ system: 'http://snomed.info/sct', code: '60621009' })] }), valueQuantity: bmi }),
    ]);
    expect(r4SchemaErrors(bundle)).toEqual([]);
  });

  it("SMART Forms' chained calculation: a number, then a boolean computed from it", async () => {
    const q = await importForm('smart-forms-chained-calculation');
    for (const [n, doubled, is4] of [[2, 4, true], [3, 6, false]] as const) {
      const saved = await submit(q, { 'number-input': [{ valueInteger: n }] }).expect(201);
      expect(answerOf(saved.body.resource.item, 'calc-result')).toEqual([{ valueDecimal: doubled }]);
      expect(answerOf(saved.body.resource.item, 'result-is-4')).toEqual([{ valueBoolean: is4 }]);
    }
  });

  it('HL7 SDC enableWhen test form: an answer to a question its condition hides is refused on submission', async () => {
    const q = await importForm('questionnaire-sdc-test-enablewhen');
    const gate = '83d5c1a6-5dc3-44d0-9d9e-d687c72e143e';
    const follow = 'e5da17a7-7546-45c5-9bcd-d0b09a74cc14';
    const shown = await submit(q, { [gate]: [{ valueBoolean: true }], [follow]: [{ valueString: 'Synthetic' }] }).expect(201);
    expect(answerOf(shown.body.resource.item, follow)).toEqual([{ valueString: 'Synthetic' }]);
    // Not as the player builds it: the person's client sends the hidden answer anyway.
    const { response } = answeredResponse(q, { [gate]: [{ valueBoolean: false }] }, { subject: { reference: 'Patient/sbx-pat-1' } });
    const group = response.item![0];
    const tampered = { ...response, item: [{ ...group, item: [...group.item!, { linkId: follow, answer: [{ valueString: 'Synthetic' }] }] }, ...response.item!.slice(1)] };
    const refused = await as(t, clinician).post('/api/questionnaire-responses', tampered).expect(400);
    expect(refused.body.issue).toEqual([expect.objectContaining({ diagnostics: `${follow} is disabled by enableWhen and must not be answered` })]);
  });

  it("HL7 SDC's PHQ-9 example is refused, saying why: its score calls answers(), which FHIRPath does not define", async () => {
    const refused = await as(t, admin).post('/api/questionnaires', form('questionnaire-sdc-profile-example-PHQ9')).expect(400);
    expect(refused.body.issue).toEqual([
      expect.objectContaining({ diagnostics: 'H1/TS: Unknown FHIRPath function(s): answers', expression: [expect.stringContaining("item.where(linkId='H1/TS')")] }),
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

    it("HL7 SDC initialExpression test form: the patient's name and birth date, the user's name, today", async () => {
      const q = await importForm('questionnaire-sdc-test-fhirpath-prepop-initialexpr');
      const { response, issues } = await populate(b, `${q.url}|${q.version}`);
      expect(issues).toEqual(['Pre-filled 5 item(s)']);
      expect(answerOf(response.item, 'family-name')).toEqual([{ valueString: 'Sample' }]);
      expect(answerOf(response.item, 'given-names')).toEqual([{ valueString: 'Avery' }]);
      expect(answerOf(response.item, 'dob')).toEqual([{ valueDate: '1968-04-12' }]);
      expect(answerOf(response.item, 'provider-name')).toEqual([{ valueString: 'Quinn Example' }]);
      expect(answerOf(response.item, 'date-consult')).toEqual([{ valueDate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) }]);
      // The sandbox patient has no Medicare or DVA number: those stay empty.
      expect(answerOf(response.item, 'medicare-number')).toBeUndefined();
    });

    it("SMART Forms' selective pre-population tester imports; gender comes from its contained ValueSet; what it reads through itemPopulationContext and x-fhir-query stays empty, saying why; its calculated choice follows the answer", async () => {
      const q = await importForm('smart-forms-selective-prepop');
      const { response, issues } = await populate(b, `${q.url}|${q.version}`);
      // Its gender items name the administrative-gender ValueSet it contains: the patient's code becomes that Coding.
      const female = [{ valueCoding: { system: 'http://hl7.org/fhir/administrative-gender', code: 'female', display: 'Female' } }];
      expect([answerOf(response.item, 'gender-avs-url'), answerOf(response.item, 'gender-avs-contained')]).toEqual([female, female]);
      expect(issues).toEqual(expect.arrayContaining([
        'itemPopulationContext ConditionRepeat is not evaluated here: the items that read it are left empty',
        'Variable ObsTobaccoSmokingStatus: only text/fhirpath expressions are evaluated',
      ]));
      const exSmoker = option(q, 'smoking-status-initial-expression', '8517006');
      const saved = await submit(q, { 'smoking-status-initial-expression': [exSmoker] }).expect(201);
      expect(answerOf(saved.body.resource.item, 'smoking-status-calculated')).toEqual([exSmoker]);
    });
  });
});
