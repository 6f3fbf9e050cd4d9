import { describe, expect, it } from '@jest/globals';
import type { Questionnaire } from 'fhir/r4.js';
import { answeredResponse } from './answered-response.js';
import { EXT } from './codes.js';
import { enabledItems } from './enable-when.js';
import { validateQuestionnaireImport } from './import-validation.js';
import { calculateResponse } from './scoring.js';

const variable = (name: string, expression: string, language = 'text/fhirpath') => ({ url: EXT.variable, valueExpression: { name, language, expression } });
const calculated = (expression: string) => ({ url: EXT.calculatedExpression, valueExpression: { language: 'text/fhirpath', expression } });

/**
 * SDC `variable`s as forms written for LHC-Forms and SMART Forms use them (shapes of LHC-Forms' weight-height panel,
 * SMART Forms' BMI calculator and LHC-Forms' PHQ-9): on the Questionnaire with %resource paths, on a group with
 * paths relative to the group's answers, on the calculated item itself, chained.
 */
const form: Questionnaire = {
  resourceType: 'Questionnaire', url: 'https://example.org/Questionnaire/vars', version: '1', status: 'active',
  extension: [
    variable('weight', "%resource.item.where(linkId='weight').answer.value"),
    variable('height', "%resource.item.where(linkId='height').answer.value*0.0254"),
  ],
  item: [
    { linkId: 'weight', text: 'Weight (kg)', type: 'decimal' },
    { linkId: 'height', text: 'Height (in)', type: 'decimal' },
    { linkId: 'bmi', text: 'BMI', type: 'decimal', readOnly: true, extension: [calculated('(%weight/(%height.power(2))).round(1)')] },
    {
      linkId: 'grp', text: 'Again, in cm', type: 'group',
      extension: [variable('h', "item.where(linkId='h-cm').answer.value"), variable('w', "item.where(linkId='w-kg').answer.value")],
      item: [
        { linkId: 'h-cm', text: 'Height (cm)', type: 'decimal' },
        { linkId: 'w-kg', text: 'Weight (kg)', type: 'decimal' },
        { linkId: 'bmi-cm', text: 'BMI', type: 'decimal', readOnly: true, extension: [calculated('(%w/((%h/100).power(2))).round(1)')] },
      ],
    },
    {
      linkId: 'doubled', text: 'Twice the weight', type: 'decimal', readOnly: true,
      extension: [variable('factor', '2'), variable('twice', '%weight * %factor'), calculated('%twice')],
    },
    {
      linkId: 'heavy', text: 'Shown over 100 kg', type: 'string',
      extension: [{ url: EXT.enableWhenExpression, valueExpression: { language: 'text/fhirpath', expression: '%weight > 100' } }],
    },
  ],
};

const respond = (answers: Record<string, number>) =>
  answeredResponse(form, Object.fromEntries(Object.entries(answers).map(([id, v]) => [id, [{ valueDecimal: v }]]))).response;

describe('SDC variables in calculatedExpression and enableWhenExpression', () => {
  it('are accepted at import', () => {
    const result = validateQuestionnaireImport(form);
    expect(result.issues).toEqual([]);
    expect(result.ok).toBe(true);
  });

  it('compute from the Questionnaire, a group (relative to its answers) and the item itself, chained', () => {
    const { values } = calculateResponse({ questionnaire: form, scores: [], safetyRules: [] }, respond({ weight: 70.5, height: 70.5, 'h-cm': 180, 'w-kg': 81 }));
    expect(values.get('bmi')).toEqual({ value: 22 });
    expect(values.get('bmi-cm')).toEqual({ value: 25 });
    expect(values.get('doubled')).toEqual({ value: 141 });
  });

  it('give nothing, not an error, while the answers they read are missing', () => {
    const { values } = calculateResponse({ questionnaire: form, scores: [], safetyRules: [] }, respond({ weight: 70 }));
    expect(values.get('bmi')).toEqual({ value: null });
    expect(values.get('bmi-cm')).toEqual({ value: null });
  });

  it('decide an enableWhenExpression', () => {
    expect(enabledItems(form, respond({ weight: 120 })).has('heavy')).toBe(true);
    expect(enabledItems(form, respond({ weight: 80 })).has('heavy')).toBe(false);
  });

  it('are checked at import: a variable that does not compile, or reads one declared after it, is refused', () => {
    const bad = { ...form, extension: [variable('late', '%weight + 1'), ...form.extension!, variable('broken', "item.where(linkId='x'")] };
    const result = validateQuestionnaireImport(bad);
    expect(result.ok).toBe(false);
    expect(result.issues.map((i) => i.message)).toEqual([
      expect.stringMatching(/^Variable late: .*weight/),
      expect.stringMatching(/^Variable broken: /),
    ]);
  });

  it('leave an x-fhir-query variable to pre-population: it is empty in a calculation', () => {
    const q: Questionnaire = { ...form, extension: [...form.extension!, variable('obs', 'Observation?code=29463-7', 'application/x-fhir-query')],
      item: [{ linkId: 'n', text: 'Count', type: 'integer', readOnly: true, extension: [calculated('%obs.count()')] }] };
    expect(validateQuestionnaireImport(q).ok).toBe(true);
    expect(calculateResponse({ questionnaire: q, scores: [], safetyRules: [] }, answeredResponse(q, {}).response).values.get('n')).toEqual({ value: 0 });
  });
});
