import { readFileSync } from 'node:fs';
import type { Questionnaire, QuestionnaireItemAnswerOption, QuestionnaireResponseItemAnswer } from 'fhir/r4.js';
import { answeredResponse } from '../src/questionnaires/engine/answered-response.js';
import { validateQuestionnaireImport } from '../src/questionnaires/engine/import-validation.js';
import { calculateResponse } from '../src/questionnaires/engine/scoring.js';
import { validateResponse } from '../src/questionnaires/engine/validation.js';

/**
 * HL7 SDC's Framingham heart-disease risk form (test/questionnaire-support/external-forms/README.md), through the
 * engine as an import and a submission run it: a risk as a decimal and as text, from fifteen chained variables.
 */
const q = JSON.parse(readFileSync(new URL('./questionnaire-support/external-forms/questionnaire-sdc-profile-example-framingham-HCHD.json', import.meta.url), 'utf8')) as Questionnaire;
const form: Questionnaire = { ...q, version: '2026.1' }; // published without a version, which ours pins

function option(linkId: string, code: string): QuestionnaireItemAnswerOption {
  const { extension: _e, ...value } = form.item!.find((i) => i.linkId === linkId)!.answerOption!.find((o) => o.valueCoding?.code === code)!;
  return value;
}

describe("HL7 SDC's Framingham form", () => {
  const answers: Record<string, QuestionnaireResponseItemAnswer[]> = {
    '/age': [{ valueDecimal: 55 }], '/46098-0': [option('/46098-0', 'LA2-8')], '/smokes': [option('/smokes', 'Y')],
    '/8480-6': [{ valueDecimal: 130 }], '/2093-3': [{ valueDecimal: 200 }], '/2085-9': [{ valueDecimal: 50 }], '/antihypertensive': [option('/antihypertensive', 'N')],
  };

  it('imports (with a version), and computes the risk as a decimal and as its percentage in text', () => {
    expect(validateQuestionnaireImport(q).issues.map((i) => i.message)).toEqual(['Questionnaire.version is required']);
    expect(validateQuestionnaireImport(form)).toMatchObject({ ok: true, issues: [] });
    const { response } = answeredResponse(form, answers);
    expect(validateResponse(form, response)).toEqual([]);
    const { response: calculated, values } = calculateResponse({ questionnaire: form, scores: [], safetyRules: [] }, response);
    const risk = values.get('riskDecimal')!.value!;
    expect(risk).toBeGreaterThan(0);
    expect(risk).toBeLessThan(1);
    const percent = calculated.item!.find((i) => i.linkId === 'riskPercentage')!.answer![0].valueString!;
    expect(percent).toMatch(/^\d+(\.\d+)?%$/);
    expect(Math.abs(parseFloat(percent) - risk * 100)).toBeLessThan(0.01);
  });

  it('refuses a submission without a required answer, and computes no risk from it', () => {
    const { '/age': _age, ...withoutAge } = answers;
    const { response } = answeredResponse(form, withoutAge);
    expect(validateResponse(form, response).map((i) => i.expression)).toEqual(["QuestionnaireResponse.item.where(linkId='/age').answer"]);
    expect(calculateResponse({ questionnaire: form, scores: [], safetyRules: [] }, response).values.get('riskDecimal')).toEqual({ value: null });
  });
});
