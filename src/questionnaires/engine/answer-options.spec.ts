import { describe, expect, it } from '@jest/globals';
import type { Questionnaire, QuestionnaireResponseItemAnswer, ValueSet } from 'fhir/r4.js';
import { withContainedOptions } from './answer-options.js';
import { answeredResponse } from './answered-response.js';
import { EXT } from './codes.js';
import { populateResponse } from './population.js';
import { validateResponse } from './validation.js';

const GENDER = 'http://hl7.org/fhir/administrative-gender';
const YN = 'http://terminology.hl7.org/CodeSystem/v2-0136';
/** A contained ValueSet, checked as one (`contained` is typed as any Resource). */
const valueSet = (vs: ValueSet): ValueSet => vs;

/** ValueSets carried in the form, as SMART Forms' pre-population tester and LHC-Forms' exports carry them. */
const form: Questionnaire = {
  resourceType: 'Questionnaire', url: 'https://example.org/Questionnaire/contained-vs', version: '1', status: 'active',
  contained: [
    valueSet({ resourceType: 'ValueSet', id: 'yn', status: 'active', compose: { include: [{ system: YN, concept: [{ code: 'Y', display: 'Yes' }, { code: 'N', display: 'No' }] }] } }),
    valueSet({
      resourceType: 'ValueSet', id: 'administrative-gender', url: 'http://hl7.org/fhir/ValueSet/administrative-gender', status: 'active',
      compose: { include: [{ system: GENDER }] },
      expansion: { timestamp: '2024-04-05T12:31:27+10:00', contains: [{ system: GENDER, code: 'female', display: 'Female' }, { system: GENDER, code: 'male', display: 'Male' }] },
    }),
    valueSet({ resourceType: 'ValueSet', id: 'filtered', status: 'active', compose: { include: [{ system: 'http://snomed.info/sct', filter: [{ property: 'concept', op: 'is-a', value: '404684003' }] }] } }),
  ],
  extension: [{ url: EXT.launchContext, extension: [{ url: 'name', valueCoding: { code: 'patient' } }, { url: 'type', valueCode: 'Patient' }] }],
  item: [
    { linkId: 'smokes', text: 'Smokes', type: 'choice', answerValueSet: '#yn' },
    { linkId: 'gender', text: 'Gender', type: 'choice', answerValueSet: 'http://hl7.org/fhir/ValueSet/administrative-gender', extension: [{ url: EXT.initialExpression, valueExpression: { language: 'text/fhirpath', expression: '%patient.gender' } }] },
    { linkId: 'finding', text: 'Finding', type: 'choice', answerValueSet: '#filtered' },
  ],
};
const respond = (answers: Record<string, QuestionnaireResponseItemAnswer[]>) => answeredResponse(form, answers).response;

describe('answerValueSet naming a ValueSet the form contains', () => {
  it('gives the item the codes it enumerates (compose of concepts, or an expansion), else leaves it as it is', () => {
    expect(withContainedOptions(form, form.item![0]).answerOption).toEqual([{ valueCoding: { system: YN, code: 'Y', display: 'Yes' } }, { valueCoding: { system: YN, code: 'N', display: 'No' } }]);
    expect(withContainedOptions(form, form.item![1]).answerOption?.map((o) => o.valueCoding?.code)).toEqual(['female', 'male']);
    expect(withContainedOptions(form, form.item![2])).toBe(form.item![2]);
  });

  it('refuses an answer outside those codes; a ValueSet it cannot enumerate takes what is sent', () => {
    expect(validateResponse(form, respond({ smokes: [{ valueCoding: { system: YN, code: 'Y' } }], finding: [{ valueCoding: { system: 'urn:x', code: 'anything' } }] }))).toEqual([]);
    expect(validateResponse(form, respond({ smokes: [{ valueCoding: { system: YN, code: 'maybe' } }] })).map((i) => i.rule)).toEqual(['answer-option']);
  });

  it("pre-fills a code with the ValueSet's Coding", () => {
    const { response, issues } = populateResponse(form, { patient: { resourceType: 'Patient', id: 'p', gender: 'female' } });
    expect(issues).toEqual([]);
    expect(response.item).toEqual([{ linkId: 'gender', text: 'Gender', answer: [{ valueCoding: { system: GENDER, code: 'female', display: 'Female' } }] }]);
  });
});
