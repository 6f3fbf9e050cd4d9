import { describe, expect, it } from '@jest/globals';
import type { Coding, Extension, Questionnaire, QuestionnaireResponseItem, QuestionnaireResponseItemAnswer } from 'fhir/r4.js';
import { answeredResponse, type AnswersByLinkId } from './answered-response.js';
import { EXT } from './codes.js';
import { validateResponse } from './validation.js';

// The browser's player builds every draft and submission with answeredResponse and asks exactly the questions it
// reports enabled: enableWhenExpression included, evaluated by the engine the server validates with.

const YES: Coding = { system: 'urn:test:yes-no', code: 'yes', display: 'Yes' };
const NO: Coding = { system: 'urn:test:yes-no', code: 'no', display: 'No' };
const fhirpath = (url: string, expression: string): Extension => ({ url, valueExpression: { language: 'text/fhirpath', expression } });
const when = (expression: string) => fhirpath(EXT.enableWhenExpression, expression);
const answerTo = (linkId: string) => `%resource.item.where(linkId = '${linkId}').answer.value`;

/** A synthetic imported form: every condition is an enableWhenExpression, one of them on a group, one a chain. */
const form: Questionnaire = {
  resourceType: 'Questionnaire', url: 'urn:test:breathing', version: '2026.1', status: 'active',
  item: [
    { linkId: 'niv', text: 'Do you use a breathing machine at night?', type: 'choice', required: true, answerOption: [{ valueCoding: YES }, { valueCoding: NO }] },
    { linkId: 'niv-hours', text: 'How many hours a night?', type: 'integer', required: true, extension: [when(`${answerTo('niv')}.code = 'yes'`)] },
    { linkId: 'niv-comfort', text: 'What makes a whole night hard?', type: 'string', required: true, extension: [when(`${answerTo('niv-hours')} >= 8`)] },
    {
      linkId: 'rest', text: 'Resting without it', type: 'group', extension: [when(`${answerTo('niv')}.code = 'no'`)],
      item: [{ linkId: 'rest-1', text: 'How do you sleep?', type: 'string', required: true }],
    },
    { linkId: 'count', text: 'Answers given', type: 'integer', readOnly: true, extension: [fhirpath(EXT.calculatedExpression, '%resource.item.answer.count()')] },
  ],
};

const linkIds = (items: QuestionnaireResponseItem[] | undefined): string[] =>
  (items ?? []).flatMap((i) => [i.linkId, ...linkIds(i.item)]);
const problems = (answers: AnswersByLinkId) => validateResponse(form, answeredResponse(form, answers).response).map((i) => `${i.rule} ${i.linkId}`);

describe('answeredResponse: the response a form filler sends, enableWhenExpression decided by the engine', () => {
  it('asks what the expressions enable, and the server accepts the response it builds', () => {
    const answers = { niv: [{ valueCoding: YES }], 'niv-hours': [{ valueInteger: 9 }], 'niv-comfort': [{ valueString: 'The mask' }] };
    const { response, enabled } = answeredResponse(form, answers);
    expect([...enabled]).toEqual(['niv', 'niv-hours', 'niv-comfort', 'count']);
    expect(response).toMatchObject({ resourceType: 'QuestionnaireResponse', questionnaire: 'urn:test:breathing|2026.1', status: 'completed' });
    expect(linkIds(response.item)).toEqual(['niv', 'niv-hours', 'niv-comfort']);
    expect(validateResponse(form, response)).toEqual([]);
  });

  it('leaves out answers the expressions disable, down a chain, where a naive response is refused', () => {
    // "No" disables the hours, which disables the comfort question in turn; the answers to both are stale.
    const answers = { niv: [{ valueCoding: NO }], 'niv-hours': [{ valueInteger: 9 }], 'niv-comfort': [{ valueString: 'The mask' }], 'rest-1': [{ valueString: 'Badly' }] };
    const { response, enabled } = answeredResponse(form, answers);
    expect([...enabled]).toEqual(['niv', 'rest', 'rest-1', 'count']);
    expect(linkIds(response.item)).toEqual(['niv', 'rest', 'rest-1']);
    expect(validateResponse(form, response)).toEqual([]);
    // What a player that ignores enableWhenExpression sent, every answer given: the server refuses it.
    const { 'rest-1': rest, ...flat } = answers;
    const naive = { ...response, item: [...Object.entries(flat).map(([linkId, answer]) => ({ linkId, answer })), { linkId: 'rest', item: [{ linkId: 'rest-1', answer: rest }] }] };
    expect(validateResponse(form, naive).map((i) => `${i.severity} ${i.rule} ${i.linkId}`)).toEqual(['error disabled-answered niv-hours']);
  });

  it('never asks for a required question an expression hides, nor for the items of a hidden group', () => {
    expect(problems({ niv: [{ valueCoding: NO }], 'rest-1': [{ valueString: 'Well' }] })).toEqual([]);
    expect(problems({ niv: [{ valueCoding: YES }], 'niv-hours': [{ valueInteger: 4 }], 'rest-1': [{ valueString: 'Well' }] })).toEqual([]);
    expect(answeredResponse(form, { niv: [{ valueCoding: YES }] }).enabled.has('rest-1')).toBe(false);
    // Enabled required questions left unanswered are still the server's to refuse, and it does.
    expect(problems({ niv: [{ valueCoding: YES }] })).toEqual(['required niv-hours']);
  });

  it('agrees with the server on every combination of answers: nothing it sends is disabled, nothing enabled is dropped', () => {
    const choices: Record<string, (QuestionnaireResponseItemAnswer[] | undefined)[]> = {
      niv: [undefined, [{ valueCoding: YES }], [{ valueCoding: NO }]],
      'niv-hours': [undefined, [{ valueInteger: 4 }], [{ valueInteger: 8 }]],
      'niv-comfort': [undefined, [{ valueString: 'The mask' }]],
      'rest-1': [undefined, [{ valueString: 'Badly' }]],
    };
    const combinations = Object.entries(choices).reduce<AnswersByLinkId[]>(
      (all, [linkId, values]) => all.flatMap((answers) => values.map((v) => (v ? { ...answers, [linkId]: v } : answers))),
      [{}],
    );
    expect(combinations).toHaveLength(36);
    for (const answers of combinations) {
      const { response, enabled } = answeredResponse(form, { ...answers, count: [{ valueInteger: 99 }] }, { status: 'in-progress' });
      const sent = linkIds(response.item).filter((id) => id !== 'rest');
      expect(validateResponse(form, response).filter((i) => i.rule === 'disabled-answered')).toEqual([]);
      expect(sent).toEqual(Object.keys(answers).filter((id) => enabled.has(id)));
      expect(sent).not.toContain('count'); // calculated: the server computes it
    }
  });

  it('keeps the fields it is given and answers with copies', () => {
    const answer = { valueInteger: 9 };
    const { response } = answeredResponse(form, { niv: [{ valueCoding: YES }], 'niv-hours': [answer] }, { id: 'r1', status: 'in-progress', subject: { reference: 'Patient/p1' } });
    expect(response).toMatchObject({ id: 'r1', status: 'in-progress', subject: { reference: 'Patient/p1' }, questionnaire: 'urn:test:breathing|2026.1' });
    expect(response.item?.[1]).toEqual({ linkId: 'niv-hours', text: 'How many hours a night?', answer: [{ valueInteger: 9 }] });
    expect(response.item?.[1].answer?.[0]).not.toBe(answer);
  });
});
