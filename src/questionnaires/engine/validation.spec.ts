import { describe, expect, it } from '@jest/globals';
import type { QuestionnaireResponse } from 'fhir/r4.js';
import { BUILT_IN_INSTRUMENTS } from './instrument-library.js';
import { PHQ9_ITEM_IDS, phq9 } from './instruments/phq9.js';
import { programSatisfaction } from './instruments/program-satisfaction.js';
import { sessionCheckIn } from './instruments/session-check-in.js';
import { buildResponse, type AnswerInput } from './response-builder.js';
import { validateResponse } from './validation.js';
import { toOperationOutcomeIssues } from './validation.types.js';

const PHQ = phq9.questionnaire;
const item = (linkId: string) => `QuestionnaireResponse.item.where(linkId='${linkId}')`;
const phqAnswers = (weight: number): Record<string, AnswerInput> => Object.fromEntries(PHQ9_ITEM_IDS.map((id) => [id, weight]));
const completePhq = (extra: Record<string, AnswerInput> = {}) => buildResponse(phq9, { ...phqAnswers(0), ...extra });
const itemOf = (qr: QuestionnaireResponse, linkId: string) => qr.item!.find((i) => i.linkId === linkId)!;
const rulesAndPaths = (issues: ReturnType<typeof validateResponse>) => issues.map((i) => [i.rule, i.expression]);

describe('valid responses', () => {
  it.each(BUILT_IN_INSTRUMENTS.map((d) => [d.questionnaire.name, d] as const))('%s: a complete response has no issues', (_name, definition) => {
    // Every question answered with its first option (or a valid value), no extras.
    const answers: Record<string, AnswerInput> = {};
    const fill = (items: typeof definition.questionnaire.item): void =>
      items?.forEach((q) => {
        if (q.readOnly || q.type === 'display' || q.enableWhen) return fill(q.item);
        if (q.type === 'group') return fill(q.item);
        answers[q.linkId] = q.answerOption?.[0].valueCoding ? { code: q.answerOption[0].valueCoding.code! } : q.type === 'integer' ? 5 : 'fine';
      });
    fill(definition.questionnaire.item);
    expect(validateResponse(definition.questionnaire, buildResponse(definition, answers))).toEqual([]);
  });

  it('accepts the difficulty item once a problem was reported, and a client-sent score of any shape', () => {
    const qr = completePhq({ 'phq9-1': 1, 'phq9-10': { code: 'difficulty-somewhat' } });
    qr.item!.push({ linkId: 'phq9-total', answer: [{ valueString: 'whatever' }] });
    expect(validateResponse(PHQ, qr)).toEqual([]);
  });
});

describe('invalid responses', () => {
  it('flags an unknown linkId', () => {
    const qr = completePhq();
    qr.item!.push({ linkId: 'phq9-99', answer: [{ valueInteger: 1 }] });
    expect(rulesAndPaths(validateResponse(PHQ, qr))).toEqual([['unknown-item', item('phq9-99')]]);
  });

  it('flags a wrong answer type', () => {
    const qr = completePhq();
    itemOf(qr, 'phq9-2').answer = [{ valueInteger: 2 }];
    expect(rulesAndPaths(validateResponse(PHQ, qr))).toEqual([['answer-type', `${item('phq9-2')}.answer`]]);
  });

  it.each([
    ['an unknown code', { system: 'http://loinc.org', code: 'LA0000-0' }],
    ['a known code from another system', { system: 'http://example.org', code: 'LA6569-3' }],
  ])('flags %s as outside the options', (_case, valueCoding) => {
    const qr = completePhq();
    itemOf(qr, 'phq9-4').answer = [{ valueCoding }];
    expect(rulesAndPaths(validateResponse(PHQ, qr))).toEqual([['answer-option', `${item('phq9-4')}.answer`]]);
  });

  it('flags an answer to an item disabled by enableWhen (an error when completed, a warning in a draft)', () => {
    const qr = completePhq({ 'phq9-10': { code: 'difficulty-very' } });
    expect(validateResponse(PHQ, qr)).toEqual([expect.objectContaining({ rule: 'disabled-answered', severity: 'error', expression: `${item('phq9-10')}.answer` })]);
    expect(validateResponse(PHQ, { ...qr, status: 'in-progress' })).toEqual([expect.objectContaining({ rule: 'disabled-answered', severity: 'warning' })]);
  });

  it('flags a missing required item in a completed response but not in a draft', () => {
    const qr = completePhq();
    qr.item = qr.item!.filter((i) => i.linkId !== 'phq9-3');
    expect(rulesAndPaths(validateResponse(PHQ, qr))).toEqual([['required', `${item('phq9-3')}.answer`]]);
    expect(validateResponse(PHQ, { ...qr, status: 'in-progress' })).toEqual([]);
  });

  it.each([
    ['another version', `${PHQ.url}|0.9.0`, 'version 0.9.0'],
    ['no version', PHQ.url, 'version (none)'],
    ['another questionnaire', `${PHQ.url}-x|1.0.0`, 'phq-9-x'],
    ['no questionnaire', undefined, 'missing'],
  ])('flags a reference to %s', (_case, reference, text) => {
    const issues = validateResponse(PHQ, { ...completePhq(), questionnaire: reference });
    expect(issues).toEqual([expect.objectContaining({ rule: 'questionnaire-reference', expression: 'QuestionnaireResponse.questionnaire', message: expect.stringContaining(text) })]);
  });

  it('flags too many answers to a non-repeating item, and a duplicated item', () => {
    const qr = completePhq();
    itemOf(qr, 'phq9-1').answer!.push({ valueCoding: { system: 'http://loinc.org', code: 'LA6569-3' } });
    qr.item!.push({ ...itemOf(qr, 'phq9-5') });
    expect(rulesAndPaths(validateResponse(PHQ, qr))).toEqual([
      ['repeats', `${item('phq9-1')}.answer`],
      ['duplicate-item', `${item('phq9-5')}[1]`],
    ]);
  });

  it('flags free text over maxLength', () => {
    const qr = buildResponse(programSatisfaction, { 'satisfaction-overall': 4, 'satisfaction-comments': 'x'.repeat(2001) });
    expect(rulesAndPaths(validateResponse(programSatisfaction.questionnaire, qr))).toEqual([['max-length', `${item('satisfaction-comments')}.answer`]]);
  });

  it.each([[11, 'max-value'], [-1, 'min-value']])('flags distress %i (%s)', (distress, rule) => {
    const qr = buildResponse(sessionCheckIn, { 'checkin-distress': distress });
    expect(rulesAndPaths(validateResponse(sessionCheckIn.questionnaire, qr))).toEqual([[rule, `${item('checkin-distress')}.answer`]]);
  });

  it('checks nesting: paths through the group, misplaced items, answers on a group, a missing required group', () => {
    const q = programSatisfaction.questionnaire;
    const qr = buildResponse(programSatisfaction, { 'satisfaction-overall': 4, 'satisfaction-helpful': 3 });
    const group = itemOf(qr, 'satisfaction-ratings');
    group.item![1].answer = [{ valueCoding: { system: 'x', code: 'y' } }];
    group.answer = [{ valueString: 'no' }];
    qr.item!.push({ linkId: 'satisfaction-pace', answer: [{ valueCoding: { code: 'agree-4' } }] });
    expect(rulesAndPaths(validateResponse(q, qr))).toEqual([
      ['answer-not-allowed', `${item('satisfaction-ratings')}.answer`],
      ['answer-option', `${item('satisfaction-ratings')}.item.where(linkId='satisfaction-helpful').answer`],
      ['misplaced-item', item('satisfaction-pace')],
    ]);
    expect(rulesAndPaths(validateResponse(q, buildResponse(programSatisfaction, { 'satisfaction-comments': 'hi' })))).toEqual([
      ['required', item('satisfaction-ratings')],
    ]);
  });

  it('flags an answer to a display item and a refused status', () => {
    const qr = { ...completePhq(), status: 'stopped' as const };
    qr.item!.unshift({ linkId: 'phq9-stem', answer: [{ valueString: 'hello' }] });
    expect(rulesAndPaths(validateResponse(PHQ, qr))).toEqual([
      ['status', 'QuestionnaireResponse.status'],
      ['answer-not-allowed', `${item('phq9-stem')}.answer`],
    ]);
  });

  it('returns every issue at once, and maps them to OperationOutcome issues', () => {
    const qr = completePhq();
    qr.item = qr.item!.filter((i) => i.linkId !== 'phq9-1');
    itemOf(qr, 'phq9-2').answer = [{ valueString: 'often' }];
    itemOf(qr, 'phq9-3').answer!.push({ valueCoding: { system: 'http://loinc.org', code: 'LA6568-5' } });
    qr.item!.push({ linkId: 'nope' });
    const issues = validateResponse(PHQ, { ...qr, questionnaire: `${PHQ.url}|2.0.0` });
    expect(issues.map((i) => i.rule).sort()).toEqual(['answer-type', 'questionnaire-reference', 'repeats', 'required', 'unknown-item']);
    expect(toOperationOutcomeIssues(issues).map((i) => i.code).sort()).toEqual(['required', 'structure', 'structure', 'value', 'value']);
  });
});
