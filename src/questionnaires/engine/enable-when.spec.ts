import { describe, expect, it } from '@jest/globals';
import type { Questionnaire, QuestionnaireItem, QuestionnaireItemEnableWhen, QuestionnaireResponse, QuestionnaireResponseItemAnswer } from 'fhir/r4.js';
import { EXT } from './codes.js';
import { enableContext, isEnabled } from './enable-when.js';

const form: Questionnaire = { resourceType: 'Questionnaire', status: 'active', url: 'urn:test', version: '1' };
const responseWith = (answers: Record<string, QuestionnaireResponseItemAnswer[]>): QuestionnaireResponse => ({
  resourceType: 'QuestionnaireResponse',
  status: 'in-progress',
  item: Object.entries(answers).map(([linkId, answer]) => ({ linkId, answer })),
});
const enabled = (item: QuestionnaireItem, answers: Record<string, QuestionnaireResponseItemAnswer[]>) =>
  isEnabled(item, enableContext(form, responseWith(answers)));
const when = (...conditions: QuestionnaireItemEnableWhen[]): QuestionnaireItem => ({ linkId: 'target', type: 'string', enableWhen: conditions });

describe('enableWhen operators', () => {
  const n = (valueInteger: number) => ({ a: [{ valueInteger }] });
  it.each([
    ['=', 5, 5, true], ['=', 4, 5, false], ['!=', 4, 5, true], ['!=', 5, 5, false],
    ['>', 6, 5, true], ['>', 5, 5, false], ['<', 4, 5, true], ['<', 5, 5, false],
    ['>=', 5, 5, true], ['>=', 4, 5, false], ['<=', 5, 5, true], ['<=', 6, 5, false],
  ] as const)('answer %s: %i vs %i → %s', (operator, answer, expected, result) => {
    expect(enabled(when({ question: 'a', operator, answerInteger: expected }), n(answer))).toBe(result);
  });

  it('is false for comparisons when the question is unanswered', () => {
    expect(enabled(when({ question: 'a', operator: '!=', answerInteger: 1 }), {})).toBe(false);
  });

  it('handles exists true and false', () => {
    const exists = (answerBoolean: boolean) => when({ question: 'a', operator: 'exists', answerBoolean });
    expect(enabled(exists(true), n(1))).toBe(true);
    expect(enabled(exists(true), {})).toBe(false);
    expect(enabled(exists(false), {})).toBe(true);
  });

  it('compares codings by system and code (system optional in the condition)', () => {
    const answers = { a: [{ valueCoding: { system: 's', code: 'x' } }] };
    expect(enabled(when({ question: 'a', operator: '=', answerCoding: { system: 's', code: 'x' } }), answers)).toBe(true);
    expect(enabled(when({ question: 'a', operator: '=', answerCoding: { system: 't', code: 'x' } }), answers)).toBe(false);
    expect(enabled(when({ question: 'a', operator: '=', answerCoding: { code: 'x' } }), answers)).toBe(true);
  });

  it('compares dates as ISO strings and booleans by equality', () => {
    expect(enabled(when({ question: 'd', operator: '>', answerDate: '2024-01-01' }), { d: [{ valueDate: '2024-03-01' }] })).toBe(true);
    expect(enabled(when({ question: 'b', operator: '=', answerBoolean: true }), { b: [{ valueBoolean: false }] })).toBe(false);
  });
});

describe('enableBehavior', () => {
  const conditions: QuestionnaireItemEnableWhen[] = [
    { question: 'a', operator: '=', answerBoolean: true },
    { question: 'b', operator: '=', answerBoolean: true },
  ];
  const oneTrue = { a: [{ valueBoolean: true }], b: [{ valueBoolean: false }] };
  it('all (the default) needs every condition, any needs one', () => {
    expect(enabled({ ...when(...conditions), enableBehavior: 'all' }, oneTrue)).toBe(false);
    expect(enabled(when(...conditions), oneTrue)).toBe(false);
    expect(enabled({ ...when(...conditions), enableBehavior: 'any' }, oneTrue)).toBe(true);
  });
});

describe('enableWhenExpression', () => {
  const item = (expression: string): QuestionnaireItem => ({
    linkId: 'target',
    type: 'string',
    extension: [{ url: EXT.enableWhenExpression, valueExpression: { language: 'text/fhirpath', expression } }],
  });
  it('enables the item when the FHIRPath expression is true', () => {
    const expression = "%resource.item.where(linkId = 'a').answer.value > 3";
    expect(enabled(item(expression), { a: [{ valueInteger: 4 }] })).toBe(true);
    expect(enabled(item(expression), { a: [{ valueInteger: 3 }] })).toBe(false);
  });

  it('keeps the item enabled when the expression cannot be evaluated', () => {
    expect(enabled(item('%resource.item.nosuchfn()'), {})).toBe(true);
  });
});
