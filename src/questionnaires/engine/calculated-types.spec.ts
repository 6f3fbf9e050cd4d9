import { describe, expect, it } from '@jest/globals';
import type { Questionnaire } from 'fhir/r4.js';
import { answeredResponse } from './answered-response.js';
import { EXT } from './codes.js';
import { extractObservations } from './extraction.js';
import { validateQuestionnaireImport } from './import-validation.js';
import { calculateResponse } from './scoring.js';

const calculated = (expression: string) => ({ url: EXT.calculatedExpression, valueExpression: { language: 'text/fhirpath', expression } });
const often = { system: 'http://loinc.org', code: 'LA28397-0', display: 'Often true' };
const never = { system: 'http://loinc.org', code: 'LA28398-8', display: 'Never true' };
const atRisk = { system: 'http://loinc.org', code: 'LA19952-3', display: 'At risk' };
const noRisk = { system: 'http://loinc.org', code: 'LA19983-8', display: 'No risk' };

/**
 * Calculated items that are not numbers, as SDC allows and published forms use them: the Hunger Vital Sign's risk
 * (a choice computed as one of its options), SMART Forms' "result is 4" (boolean) and BMI (a number in a quantity
 * item's unit, extracted as an Observation), Framingham's risk as text.
 */
const form: Questionnaire = {
  resourceType: 'Questionnaire', url: 'https://example.org/Questionnaire/calc-types', version: '1', status: 'active',
  item: [
    { linkId: 'worried', text: 'Worried food would run out', type: 'choice', answerOption: [{ valueCoding: often }, { valueCoding: never }] },
    {
      linkId: 'risk', text: 'Food insecurity risk', type: 'choice', readOnly: true, answerOption: [{ valueCoding: atRisk }, { valueCoding: noRisk }],
      code: [{ system: 'http://loinc.org', code: '88124-3' }],
      extension: [
        calculated("iif(%resource.item.where(linkId='worried').answer.value.exists(), iif(%resource.item.where(linkId='worried').answer.value.code = 'LA28397-0', %questionnaire.item.where(linkId='risk').answerOption.valueCoding.where(code='LA19952-3'), %questionnaire.item.where(linkId='risk').answerOption.valueCoding.where(code='LA19983-8')), {})"),
        { url: EXT.observationExtract, valueBoolean: true },
      ],
    },
    { linkId: 'n', text: 'A number', type: 'decimal' },
    { linkId: 'is-4', text: 'The number is 4', type: 'boolean', readOnly: true, extension: [calculated("%resource.item.where(linkId='n').answer.value = 4")] },
    {
      linkId: 'bmi', text: 'BMI', type: 'quantity', readOnly: true, code: [{ system: 'http://loinc.org', code: '39156-5' }],
      extension: [
        calculated("(%resource.item.where(linkId='n').answer.value * 5.5).round(1)"),
        { url: EXT.unit, valueCoding: { system: 'http://unitsofmeasure.org', code: 'kg/m2', display: 'kg/m2' } },
        { url: EXT.observationExtract, valueBoolean: true },
      ],
    },
    { linkId: 'as-text', text: 'As text', type: 'string', readOnly: true, extension: [calculated("%resource.item.where(linkId='n').answer.value.toString() & ' units'")] },
  ],
};
const definition = { questionnaire: form, scores: [], safetyRules: [] };
const respond = (worried: typeof often | undefined, n: number) =>
  answeredResponse(form, { ...(worried ? { worried: [{ valueCoding: worried }] } : {}), n: [{ valueDecimal: n }] }).response;
const answerOf = (r: { item?: { linkId: string; answer?: unknown[] }[] }, linkId: string) => r.item?.find((i) => i.linkId === linkId)?.answer;

describe('calculated items of other types than integer and decimal', () => {
  it('are accepted at import', () => {
    expect(validateQuestionnaireImport(form)).toMatchObject({ ok: true, issues: [] });
  });

  it('are answered with a value of their type: the option named, a boolean, a quantity in the unit, text', () => {
    const { response, values } = calculateResponse(definition, respond(often, 4));
    expect(answerOf(response, 'risk')).toEqual([{ valueCoding: atRisk }]);
    expect(answerOf(response, 'is-4')).toEqual([{ valueBoolean: true }]);
    expect(answerOf(response, 'bmi')).toEqual([{ valueQuantity: { value: 22, unit: 'kg/m2', system: 'http://unitsofmeasure.org', code: 'kg/m2' } }]);
    expect(answerOf(response, 'as-text')).toEqual([{ valueString: '4 units' }]);
    expect(values.get('bmi')).toEqual({ value: 22 });
    expect(values.get('risk')).toEqual({ value: null });
    expect(answerOf(calculateResponse(definition, respond(never, 3)).response, 'risk')).toEqual([{ valueCoding: noRisk }]);
  });

  it('are left unanswered when nothing is computed, and extracted as the form says', () => {
    const { response } = calculateResponse(definition, respond(undefined, 4));
    expect(answerOf(response, 'risk')).toBeUndefined();
    const observations = extractObservations(definition, calculateResponse(definition, respond(often, 4)).response);
    expect(observations.map((o) => [o.linkId, o.value])).toEqual([
      ['risk', { valueCodeableConcept: { coding: [atRisk], text: 'At risk' } }],
      ['bmi', { valueQuantity: { value: 22, unit: 'kg/m2', system: 'http://unitsofmeasure.org', code: 'kg/m2' } }],
    ]);
  });

  it('report a value that does not fit the item, and refuse a score on an item that is no number', () => {
    const q: Questionnaire = { ...form, item: [...form.item!, { linkId: 'wrong', text: 'Wrong', type: 'boolean', readOnly: true, extension: [calculated("'yes'")] }] };
    expect(calculateResponse({ ...definition, questionnaire: q }, respond(often, 4)).values.get('wrong')).toEqual({ value: null, error: '"yes" does not fit a boolean item' });
    const score = { linkId: 'risk', code: { system: 'urn:x', code: 'r' }, unit: '{score}', min: 0, max: 1, direction: 'higher-is-worse', bands: [] };
    expect(validateQuestionnaireImport({ questionnaire: form, scores: [score] }).issues.map((i) => i.message)).toEqual(['Score risk must be an integer or decimal item']);
    const group = { ...form, item: [{ linkId: 'g', text: 'G', type: 'group', extension: [calculated('1')], item: [{ linkId: 'x', type: 'string' }] }] } as Questionnaire;
    expect(validateQuestionnaireImport(group).issues.map((i) => i.message)).toContain('Calculated item g: a group item takes no computed answer');
  });
});
