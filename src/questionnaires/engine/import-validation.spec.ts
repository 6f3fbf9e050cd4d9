import { describe, expect, it } from '@jest/globals';
import type { Questionnaire } from 'fhir/r4.js';
import { EXT } from './codes.js';
import { validateQuestionnaireImport } from './import-validation.js';
import { BUILT_IN_INSTRUMENTS, InstrumentLibrary } from './instrument-library.js';
import { phq9 } from './instruments/phq9.js';
import { buildResponse } from './response-builder.js';
import { scoreResponse } from './scoring.js';

/** A clinic's own two-item form, as it would arrive over HTTP (plain JSON). */
const clinicForm = (): Questionnaire => JSON.parse(JSON.stringify({
  resourceType: 'Questionnaire',
  url: 'https://clinic.example.org/fhir/Questionnaire/fatigue',
  version: '2.1.0',
  status: 'active',
  item: [
    ...['f1', 'f2'].map((linkId) => ({
      linkId,
      type: 'choice',
      text: linkId,
      answerOption: [0, 1, 2].map((w) => ({ valueCoding: { system: 'urn:clinic', code: `a${w}` }, extension: [{ url: EXT.itemWeight, valueDecimal: w }] })),
    })),
    {
      linkId: 'total',
      type: 'integer',
      readOnly: true,
      extension: [{
        url: EXT.calculatedExpression,
        valueExpression: { language: 'text/fhirpath', expression: "%resource.item.where(linkId = 'f1' or linkId = 'f2').answer.value.weight().sum()" },
      }],
    },
  ],
}));

const codeOf = (result: ReturnType<typeof validateQuestionnaireImport>) => result.issues.map((i) => [i.rule, i.expression]);
const phqCopy = () => structuredClone(phq9);
const phqItem = (q: Questionnaire, linkId: string) => q.item!.find((i) => i.linkId === linkId)!;

describe('accepted imports', () => {
  it.each(BUILT_IN_INSTRUMENTS.map((d) => [d.questionnaire.name, d] as const))('%s with its metadata passes', (_name, definition) => {
    const result = validateQuestionnaireImport(structuredClone(definition));
    expect(result).toMatchObject({ ok: true, issues: [] });
    expect(result.definition?.scores).toEqual(definition.scores);
  });

  it("takes a clinic's bare Questionnaire, which then registers and scores", () => {
    const result = validateQuestionnaireImport(clinicForm());
    expect(result.ok).toBe(true);
    const library = new InstrumentLibrary([]);
    library.register(result.definition!);
    const definition = library.find('https://clinic.example.org/fhir/Questionnaire/fatigue|2.1.0')!;
    const withScore = { ...definition, scores: [{ ...phq9.scores[0], linkId: 'total', min: 0, max: 4, bands: [] }] };
    expect(scoreResponse(withScore, buildResponse(withScore, { f1: 2, f2: 1 }))[0].value).toBe(3);
  });
});

describe('refused imports', () => {
  it('refuses duplicate linkIds', () => {
    const form = clinicForm();
    form.item![1].linkId = 'f1';
    expect(validateQuestionnaireImport(form)).toMatchObject({ ok: false });
    expect(validateQuestionnaireImport(form).definition).toBeUndefined();
    expect(codeOf(validateQuestionnaireImport(form))).toContainEqual(['duplicate-link-id', "Questionnaire.item.where(linkId='f1')"]);
  });

  it.each([
    ['a syntax error', "%resource.item.where(linkId = 'f1'"],
    ['an unknown function', "%resource.item.answer.value.weightz().sum()"],
    ['an unknown variable', '%nothere.count()'],
  ])('refuses a calculatedExpression with %s', (_case, expression) => {
    const form = clinicForm();
    form.item![2].extension![0].valueExpression!.expression = expression;
    expect(codeOf(validateQuestionnaireImport(form))).toEqual([
      ['invalid-expression', `Questionnaire.item.where(linkId='total').extension.where(url='${EXT.calculatedExpression}')`],
    ]);
  });

  it('refuses a bad safety expression and bad safety metadata', () => {
    const definition = phqCopy();
    definition.safetyRules.push({ id: 'self-harm-risk', expression: 'item.where(', severity: 'urgent', message: 'x' });
    expect(codeOf(validateQuestionnaireImport(definition))).toEqual([
      ['invalid-metadata', 'safetyRules[1].id'],
      ['invalid-expression', 'safetyRules[1].expression'],
    ]);
  });

  it("refuses a safety rule's bad level expression or a crisis flag that is not a boolean", () => {
    const definition = phqCopy();
    definition.safetyRules.push({ id: 'worse', expression: 'true', level: 'item.where(', crisis: 'yes' as unknown as boolean, severity: 'urgent', message: 'x' });
    expect(codeOf(validateQuestionnaireImport(definition))).toEqual([
      ['invalid-expression', 'safetyRules[1].level'],
      ['invalid-metadata', 'safetyRules[1].crisis'],
    ]);
  });

  it('refuses an option without a weight, or with a weight fhirpath.js cannot read (valueInteger)', () => {
    const definition = phqCopy();
    delete phqItem(definition.questionnaire, 'phq9-3').answerOption![2].extension;
    phqItem(definition.questionnaire, 'phq9-7').answerOption![0].extension = [{ url: EXT.itemWeight, valueInteger: 0 }];
    expect(codeOf(validateQuestionnaireImport(definition))).toEqual([
      ['missing-weight', "Questionnaire.item.where(linkId='phq9-3').answerOption[2]"],
      ['missing-weight', "Questionnaire.item.where(linkId='phq9-7').answerOption[0]"],
    ]);
  });

  it('does not ask for weights on unscored items (PHQ-9 item 10)', () => {
    expect(phqItem(phq9.questionnaire, 'phq9-10').answerOption!.every((o) => !o.extension)).toBe(true);
    expect(validateQuestionnaireImport(phqCopy()).ok).toBe(true);
  });

  it('refuses missing url/version, unknown item types, dangling enableWhen and non-FHIRPath expressions', () => {
    const form = clinicForm();
    delete form.version;
    (form.item![0] as { type: string }).type = 'slider';
    form.item![1].enableWhen = [{ question: 'nope', operator: 'exists', answerBoolean: true }];
    form.item![2].extension![0].valueExpression!.language = 'text/cql';
    expect(codeOf(validateQuestionnaireImport(form))).toEqual([
      ['missing-element', 'Questionnaire.version'],
      ['unknown-item-type', "Questionnaire.item.where(linkId='f1').type"],
      ['invalid-metadata', "Questionnaire.item.where(linkId='f2').enableWhen"],
      ['invalid-expression', `Questionnaire.item.where(linkId='total').extension.where(url='${EXT.calculatedExpression}')`],
    ]);
  });

  it('refuses score metadata that does not match the form', () => {
    const definition = phqCopy();
    definition.scores[0].bands[1].min = 3; // overlaps "minimal" (0–4)
    definition.scores.push({ ...definition.scores[0], linkId: 'phq9-1', bands: [] });
    expect(codeOf(validateQuestionnaireImport(definition))).toEqual([
      ['invalid-metadata', 'scores[0].bands[1]'],
      ['invalid-metadata', 'scores[1].linkId'],
    ]);
  });

  it('refuses what is not a Questionnaire', () => {
    expect(codeOf(validateQuestionnaireImport({ resourceType: 'Patient' }))).toEqual([['resource-type', 'Questionnaire']]);
    expect(validateQuestionnaireImport(null).ok).toBe(false);
  });
});

describe('import of SDC extraction and pre-population', () => {
  const initial = (expression: string, language = 'text/fhirpath') => ({ url: EXT.initialExpression, valueExpression: { language, expression } });
  const withItems = (extension: Questionnaire['extension'], item: Questionnaire['item']): Questionnaire => ({ ...clinicForm(), extension, item });

  it('accepts observationExtract on coded items and initialExpressions over the declared launch contexts and variables', () => {
    const q = withItems(
      [
        { url: EXT.launchContext, extension: [{ url: 'name', valueCoding: { code: 'patient' } }, { url: 'type', valueCode: 'Patient' }] },
        { url: EXT.variable, valueExpression: { name: 'born', language: 'text/fhirpath', expression: '%patient.birthDate' } },
      ],
      [
        { linkId: 'dob', type: 'date', code: [{ system: 'http://loinc.org', code: '21112-8' }], extension: [initial('%born'), { url: EXT.observationExtract, valueBoolean: true }] },
        { linkId: 'sex', type: 'string', extension: [initial('%patient.gender')] },
      ],
    );
    expect(validateQuestionnaireImport(q).issues).toEqual([]);
  });

  it('refuses extraction it cannot do and initialExpressions that cannot run', () => {
    const q = withItems([{ url: EXT.observationExtract, valueCode: 'member' }], [
      { linkId: 'a', type: 'string', extension: [{ url: EXT.observationExtract, valueBoolean: true }] },
      { linkId: 'b', type: 'attachment', code: [{ code: 'x' }], extension: [{ url: EXT.observationExtract, valueBoolean: true }] },
      { linkId: 'c', type: 'string', extension: [initial('%nobody.name')] },
      { linkId: 'd', type: 'string', extension: [initial('Patient?_id={{%patient.id}}', 'application/x-fhir-query')] },
    ]);
    const messages = validateQuestionnaireImport(q).issues.map((i) => `${i.rule}: ${i.message}`);
    expect(messages).toEqual([
      expect.stringMatching(/^invalid-metadata: observationExtract must be true, false or independent/),
      expect.stringMatching(/^invalid-metadata: a is marked for extraction but has no code/),
      expect.stringMatching(/^invalid-metadata: b is marked for extraction but a attachment answer is no Observation value/),
      expect.stringMatching(/^invalid-expression: c: /),
      expect.stringMatching(/^invalid-expression: d: only text\/fhirpath initialExpressions/),
    ]);
  });

  it("refuses launch-context names other than SDC's (constructor, __proto__, a made-up one)", () => {
    const named = (name: string) => ({ url: EXT.launchContext, extension: [{ url: 'name', valueCoding: { code: name } }, { url: 'type', valueCode: 'Patient' }] });
    const q = withItems([named('patient'), named('constructor'), named('__proto__'), named('insurer')], [{ linkId: 'sex', type: 'string', extension: [initial('%patient.gender')] }]);
    const messages = validateQuestionnaireImport(q).issues.map((i) => `${i.rule}: ${i.message}`);
    expect(messages).toEqual(['constructor', '__proto__', 'insurer'].map((n) => expect.stringMatching(new RegExp(`^invalid-metadata: Launch context ${n} is not one of SDC's`))));
  });
});
