import type { Coding, Questionnaire, QuestionnaireItem } from 'fhir/r4.js';
import { assessResponse } from './assessment.js';
import { EXT } from './codes.js';
import { declaresObservationExtract, extractObservations, extractionPlan } from './extraction.js';
import { BUILT_IN_INSTRUMENTS } from './instrument-library.js';
import type { InstrumentDefinition } from './instrument.types.js';
import { PHQ9_ITEM_IDS, phq9 } from './instruments/phq9.js';
import { who5, WHO5_ITEM_IDS } from './instruments/who5.js';
import { buildResponse, type AnswerInput } from './response-builder.js';

const extract = (value: boolean | string = true) => ({ url: EXT.observationExtract, ...(typeof value === 'boolean' ? { valueBoolean: value } : { valueCode: value }) });
const loinc = (code: string, display: string): Coding => ({ system: 'http://loinc.org', code, display });
const VITAL = { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] };

/** A clinic's form that declares extraction the SDC way, with no score metadata of ours. */
const clinicForm: Questionnaire = {
  resourceType: 'Questionnaire', url: 'https://clinic.example.org/fhir/Questionnaire/intake', version: '1', status: 'active',
  extension: [extract(true)],
  item: [
    { linkId: 'weight', text: 'Weight', type: 'decimal', code: [loinc('29463-7', 'Body weight')], extension: [{ url: EXT.unit, valueCoding: { system: 'http://unitsofmeasure.org', code: 'kg', display: 'kg' } }, { url: EXT.observationExtractCategory, valueCodeableConcept: VITAL }] },
    { linkId: 'smoker', text: 'Do you smoke?', type: 'choice', code: [loinc('72166-2', 'Tobacco smoking status')], answerOption: [{ valueCoding: { system: 'http://snomed.info/sct', code: '8517006', display: 'Ex-smoker' } }] },
    { linkId: 'no-code', text: 'Anything else?', type: 'string' },
    {
      linkId: 'private', type: 'group', extension: [extract(false)],
      item: [{ linkId: 'diary', text: 'Diary', type: 'string', code: [loinc('99999-9', 'Not to extract')] }],
    },
    { linkId: 'symptoms', text: 'Symptoms', type: 'string', repeats: true, code: [{ ...loinc('75325-1', 'Symptom'), extension: [extract(true)] } as Coding, loinc('00000-0', 'Population only')] },
    { linkId: 'onset', text: 'Onset', type: 'date', code: [loinc('65222-2', 'Date of onset')] },
  ],
};
const clinic: InstrumentDefinition = { questionnaire: clinicForm, scores: [], safetyRules: [] };

describe('SDC observation-based extraction', () => {
  it('extracts every built-in score item, and only those, coded as the score metadata says', () => {
    for (const d of BUILT_IN_INSTRUMENTS) {
      expect(declaresObservationExtract(d)).toBe(true);
      const plan = extractionPlan(d);
      expect([...plan.keys()]).toEqual(d.scores.map((s) => s.linkId));
      for (const s of d.scores) expect(plan.get(s.linkId)!.codes).toEqual([s.code]);
    }
  });

  it('gives a built-in score its value, band and survey category from the Questionnaire (PHQ-9 total 17)', () => {
    const answers: Record<string, AnswerInput> = Object.fromEntries(PHQ9_ITEM_IDS.map((id) => [id, id === 'phq9-9' ? 1 : 2]));
    const { response } = assessResponse(phq9, buildResponse(phq9, answers));
    expect(extractObservations(phq9, response)).toEqual([{
      linkId: 'phq9-total', key: 'phq9-total',
      code: { coding: [{ system: 'http://loinc.org', code: '44261-6', display: 'Patient Health Questionnaire 9 item (PHQ-9) total score [Reported]' }], text: 'Patient Health Questionnaire 9 item (PHQ-9) total score [Reported]' },
      category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'survey', display: 'Survey' }] }],
      value: { valueInteger: 17 },
      interpretation: [{ coding: [expect.objectContaining({ code: 'phq9-moderately-severe' })], text: 'Moderately severe depression' }],
    }]);
  });

  it('writes nothing for a score that cannot be computed, and leaves WHO-5’s raw sum out', () => {
    const partial = assessResponse(phq9, buildResponse(phq9, { 'phq9-1': 1 }, { status: 'in-progress' })).response;
    expect(extractObservations(phq9, partial)).toEqual([]);
    const { response } = assessResponse(who5, buildResponse(who5, Object.fromEntries(WHO5_ITEM_IDS.map((id) => [id, 3]))));
    expect(extractObservations(who5, response).map((o) => [o.linkId, o.value])).toEqual([['who5-total', { valueInteger: 60 }]]);
  });

  it("reads a clinic's form: root flag, false on a group, tagged codes, units, categories, repeats and value types", () => {
    const response = buildResponse(clinic, { weight: 71.5, smoker: { code: '8517006' }, 'no-code': 'x', diary: 'private', symptoms: ['cough', 'fatigue'], onset: '2025-11-03' });
    const out = extractObservations(clinic, response);
    expect(out.map((o) => o.key)).toEqual(['weight', 'smoker', 'symptoms', 'symptoms[1]', 'onset']);
    const [weight, smoker, cough, fatigue, onset] = out;
    expect(weight).toMatchObject({ category: [VITAL], value: { valueQuantity: { value: 71.5, unit: 'kg', system: 'http://unitsofmeasure.org', code: 'kg' } } });
    expect(smoker).toMatchObject({
      category: [{ coding: [expect.objectContaining({ code: 'survey' })] }],
      value: { valueCodeableConcept: { coding: [{ system: 'http://snomed.info/sct', code: '8517006', display: 'Ex-smoker' }], text: 'Ex-smoker' } },
    });
    // Only the tagged code is propagated, without the tag itself.
    expect(cough.code).toEqual({ coding: [loinc('75325-1', 'Symptom')], text: 'Symptom' });
    expect([cough.value, fatigue.value]).toEqual([{ valueString: 'cough' }, { valueString: 'fatigue' }]);
    expect(onset.value).toEqual({ valueDateTime: '2025-11-03' });
  });

  it('extracts an item marked on its own, and nothing from a form that declares no extraction and describes no score', () => {
    const items: QuestionnaireItem[] = [
      { linkId: 'a', type: 'integer', code: [loinc('1-1', 'A')], extension: [extract('independent')] },
      { linkId: 'b', type: 'integer', code: [loinc('2-2', 'B')] },
    ];
    const marked: InstrumentDefinition = { questionnaire: { ...clinicForm, extension: [], item: items }, scores: [], safetyRules: [] };
    expect(extractObservations(marked, buildResponse(marked, { a: 3, b: 4 })).map((o) => [o.key, o.value])).toEqual([['a', { valueInteger: 3 }]]);
    const plain: InstrumentDefinition = { questionnaire: { ...clinicForm, extension: [], item: [items[1]] }, scores: [], safetyRules: [] };
    expect(declaresObservationExtract(plain)).toBe(false);
    expect(extractObservations(plain, buildResponse(plain, { b: 4 }))).toEqual([]);
  });

  it('extracts the described scores of a form imported without SDC extraction (as before), range-checked', () => {
    const legacy: InstrumentDefinition = {
      questionnaire: { ...clinicForm, extension: [], item: [{ linkId: 'total', type: 'integer', readOnly: true }] },
      scores: [{ linkId: 'total', code: { system: 'urn:clinic', code: 't', display: 'Total' }, unit: '{score}', min: 0, max: 6, direction: 'higher-is-worse', bands: [{ code: 'high', display: 'High', min: 3, max: 6 }] }],
      safetyRules: [],
    };
    const response = (v: number) => ({ resourceType: 'QuestionnaireResponse' as const, status: 'completed' as const, item: [{ linkId: 'total', answer: [{ valueInteger: v }] }] });
    expect(extractObservations(legacy, response(4))).toMatchObject([{ key: 'total', code: { coding: [{ code: 't' }] }, value: { valueInteger: 4 }, interpretation: [{ coding: [{ code: 'high' }] }] }]);
    expect(extractObservations(legacy, response(9))).toEqual([]);
  });
});
