import type { Questionnaire, QuestionnaireItemAnswerOption, QuestionnaireResponseItemAnswer } from 'fhir/r4.js';
import { answeredResponse } from '../src/questionnaires/engine/answered-response.js';
import { validateQuestionnaireImport } from '../src/questionnaires/engine/import-validation.js';
import { calculateResponse } from '../src/questionnaires/engine/scoring.js';
import { validateResponse } from '../src/questionnaires/engine/validation.js';
import { heartStrainIndex } from './questionnaire-support/sdc-form-shapes.js';

/**
 * A synthetic risk calculator shaped like published cardiovascular risk forms (test/questionnaire-support/
 * sdc-form-shapes.ts), through the engine as an import and a submission run it: a risk as a decimal and as text,
 * from fifteen chained variables, four of them long formulas. At the engine, not through the service: the first
 * import in a process compiles them cold, near the import's FHIRPath budget on a busy machine.
 */
const form: Questionnaire = { ...heartStrainIndex, version: '2026.1' }; // written without a version, which ours pins

function option(linkId: string, code: string): QuestionnaireItemAnswerOption {
  return form.item!.find((i) => i.linkId === linkId)!.answerOption!.find((o) => o.valueCoding?.code === code)!;
}

describe('A form of many long variables (heart strain index, synthetic)', () => {
  const answers: Record<string, QuestionnaireResponseItemAnswer[]> = {
    'hs-age': [{ valueDecimal: 55 }], 'hs-sex': [option('hs-sex', 'female')], 'hs-smoker': [option('hs-smoker', 'yes')],
    'hs-systolic': [{ valueDecimal: 130 }], 'hs-cholesterol': [{ valueDecimal: 200 }], 'hs-hdl': [{ valueDecimal: 50 }], 'hs-treated': [option('hs-treated', 'no')],
  };

  it('imports (with a version), and computes the risk as a decimal and as its percentage in text', () => {
    expect(validateQuestionnaireImport(heartStrainIndex).issues.map((i) => i.message)).toEqual(['Questionnaire.version is required']);
    expect(validateQuestionnaireImport(form)).toMatchObject({ ok: true, issues: [] });
    const { response } = answeredResponse(form, answers);
    expect(validateResponse(form, response)).toEqual([]);
    const { response: calculated, values } = calculateResponse({ questionnaire: form, scores: [], safetyRules: [] }, response);
    const risk = values.get('hs-risk')!.value!;
    expect(risk).toBeGreaterThan(0);
    expect(risk).toBeLessThan(1);
    const percent = calculated.item!.find((i) => i.linkId === 'hs-risk-text')!.answer![0].valueString!;
    expect(percent).toMatch(/^\d+(\.\d+)?%$/);
    expect(Math.abs(parseFloat(percent) - risk * 100)).toBeLessThan(0.01);
  });

  it('refuses a submission without a required answer, and computes no risk from it', () => {
    const { 'hs-age': _age, ...withoutAge } = answers;
    const { response } = answeredResponse(form, withoutAge);
    expect(validateResponse(form, response).map((i) => i.expression)).toEqual(["QuestionnaireResponse.item.where(linkId='hs-age').answer"]);
    expect(calculateResponse({ questionnaire: form, scores: [], safetyRules: [] }, response).values.get('hs-risk')).toEqual({ value: null });
  });
});
