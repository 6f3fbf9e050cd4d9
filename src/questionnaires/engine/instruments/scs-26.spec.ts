import { describe, expect, it } from '@jest/globals';
import { optionWeight } from '../questionnaire-index.js';
import { buildResponse, type AnswerInput } from '../response-builder.js';
import { calculateResponse, scoreResponse } from '../scoring.js';
import { validateResponse } from '../validation.js';
import { SCS_ITEM_IDS, SCS_REVERSED_ITEMS, SCS_SUBSCALES, scs26 } from './scs-26.js';
import { scsSf } from './scs-sf.js';

/** Answers as the person ticks them (1 Almost never … 5 Almost always), by item number 1–26. */
const ticked = (answerOf: (n: number) => number): Record<string, AnswerInput> =>
  Object.fromEntries(SCS_ITEM_IDS.map((id, i) => [id, { code: `scs-answer-${answerOf(i + 1)}` }]));
const scores = (answers: Record<string, AnswerInput>) =>
  Object.fromEntries(scoreResponse(scs26, buildResponse(scs26, answers)).map((s) => [s.linkId, s.value]));
const band = (answers: Record<string, AnswerInput>) =>
  scoreResponse(scs26, buildResponse(scs26, answers)).find((s) => s.linkId === 'scs-total')!.band?.code;

describe('SCS-26 content', () => {
  it('has 26 items, six subscales that cover each item once, and reverses the negative subscales’ items', () => {
    expect(SCS_ITEM_IDS).toHaveLength(26);
    expect(SCS_SUBSCALES.flatMap((s) => s.items).sort((a, b) => a - b)).toEqual(Array.from({ length: 26 }, (_, i) => i + 1));
    expect([...SCS_REVERSED_ITEMS].sort((a, b) => a - b)).toEqual([1, 2, 4, 6, 8, 11, 13, 16, 18, 20, 21, 24, 25]);
    const items = scs26.questionnaire.item!;
    for (let n = 1; n <= 26; n++) {
      const weights = items.find((i) => i.linkId === `scs-${n}`)!.answerOption!.map(optionWeight);
      expect(weights).toEqual(SCS_REVERSED_ITEMS.includes(n) ? [5, 4, 3, 2, 1] : [1, 2, 3, 4, 5]);
    }
  });

  it('contains the 12 short-form statements word for word (the SCS-SF is drawn from it)', () => {
    const long = new Set(scs26.questionnaire.item!.map((i) => i.text));
    const short = scsSf.questionnaire.item!.filter((i) => i.type === 'choice').map((i) => i.text);
    expect(short.filter((t) => !long.has(t))).toEqual([]);
  });

  it('cites Neff (2003) in the description, copyright and a citation relatedArtifact', () => {
    const q = scs26.questionnaire;
    expect(q.description).toContain('Self and Identity, 2(3), 223–250');
    expect(q.copyright).toContain('Neff');
    expect(q.extension).toContainEqual({
      url: 'http://hl7.org/fhir/StructureDefinition/cqf-relatedArtifact',
      valueRelatedArtifact: expect.objectContaining({ type: 'citation', url: 'https://doi.org/10.1080/15298860309027' }),
    });
  });
});

describe('SCS-26 scoring', () => {
  it('all answers "Almost never": every subscale 1, total 3 (negative subscales reversed to 5)', () => {
    expect(scores(ticked(() => 1))).toEqual({
      'scs-self-kindness': 1, 'scs-self-judgment': 1, 'scs-common-humanity': 1, 'scs-isolation': 1,
      'scs-mindfulness': 1, 'scs-over-identification': 1, 'scs-total': 3,
    });
  });

  it('all answers "Almost always": every subscale 5, total 3', () => {
    expect(scores(ticked(() => 5))).toEqual({
      'scs-self-kindness': 5, 'scs-self-judgment': 5, 'scs-common-humanity': 5, 'scs-isolation': 5,
      'scs-mindfulness': 5, 'scs-over-identification': 5, 'scs-total': 3,
    });
  });

  it('the ends of the total: 5 when only the compassionate items are endorsed, 1 when only the others', () => {
    const compassionate = ticked((n) => (SCS_REVERSED_ITEMS.includes(n) ? 1 : 5));
    const critical = ticked((n) => (SCS_REVERSED_ITEMS.includes(n) ? 5 : 1));
    expect(scores(compassionate)['scs-total']).toBe(5);
    expect(band(compassionate)).toBe('scs-high');
    expect(scores(critical)).toMatchObject({ 'scs-self-judgment': 5, 'scs-total': 1 });
    expect(band(critical)).toBe('scs-low');
  });

  it('a mixed example, computed by hand', () => {
    // Item n answered ((n − 1) mod 5) + 1: 1, 2, 3, 4, 5, 1, 2, …
    // Self-Kindness 5,12,19,23,26 → 5+2+4+3+1 = 15/5 = 3.0; Self-Judgment 1,8,11,16,21 → 1+3+1+1+1 = 7/5 = 1.4;
    // Common Humanity 3,7,10,15 → 3+2+5+5 = 15/4 = 3.75; Isolation 4,13,18,25 → 4+3+3+5 = 15/4 = 3.75;
    // Mindfulness 9,14,17,22 → 4+4+2+2 = 12/4 = 3.0; Over-Identification 2,6,20,24 → 2+1+5+4 = 12/4 = 3.0.
    // Total = (3.0 + (6 − 1.4) + 3.75 + (6 − 3.75) + 3.0 + (6 − 3.0)) / 6 = 19.6 / 6 = 3.266… → 3.27 (moderate).
    const answers = ticked((n) => ((n - 1) % 5) + 1);
    expect(scores(answers)).toEqual({
      'scs-self-kindness': 3, 'scs-self-judgment': 1.4, 'scs-common-humanity': 3.75, 'scs-isolation': 3.75,
      'scs-mindfulness': 3, 'scs-over-identification': 3, 'scs-total': 3.27,
    });
    expect(band(answers)).toBe('scs-moderate');
  });

  it('is not prorated: an unanswered item leaves its subscale and the total unscored, the other subscales scored', () => {
    const { 'scs-16': _skipped, ...answers } = ticked(() => 2);
    const results = scoreResponse(scs26, buildResponse(scs26, answers));
    expect(results.find((s) => s.linkId === 'scs-self-judgment')).toMatchObject({ value: null, gap: 'incomplete' });
    expect(results.find((s) => s.linkId === 'scs-total')).toMatchObject({ value: null, gap: 'incomplete' });
    expect(results.find((s) => s.linkId === 'scs-isolation')).toMatchObject({ value: 2 });
  });

  it('ignores client-sent scores and writes the computed ones into the response', () => {
    const response = buildResponse(scs26, { ...ticked(() => 4), 'scs-total': 5 });
    const total = calculateResponse(scs26, response).response.item!.find((i) => i.linkId === 'scs-total');
    expect(total!.answer).toEqual([{ valueDecimal: 3 }]);
  });
});

describe('SCS-26 validation', () => {
  it('accepts a complete response and reports each missing item of a submitted one', () => {
    expect(validateResponse(scs26.questionnaire, buildResponse(scs26, ticked(() => 3)))).toEqual([]);
    const { 'scs-7': _a, 'scs-22': _b, ...partial } = ticked(() => 3);
    const issues = validateResponse(scs26.questionnaire, buildResponse(scs26, partial));
    expect(issues.map((i) => [i.rule, i.expression])).toEqual([
      ['required', "QuestionnaireResponse.item.where(linkId='scs-7').answer"],
      ['required', "QuestionnaireResponse.item.where(linkId='scs-22').answer"],
    ]);
    expect(validateResponse(scs26.questionnaire, buildResponse(scs26, partial, { status: 'in-progress' }))).toEqual([]);
  });

  it('refuses an answer that is not one of the options', () => {
    const response = buildResponse(scs26, ticked(() => 3));
    response.item![0].answer = [{ valueCoding: { system: 'https://als-wellness.example.org/fhir/CodeSystem/als-wellness', code: 'scs-answer-6' } }];
    expect(validateResponse(scs26.questionnaire, response).map((i) => i.rule)).toEqual(['answer-option']);
  });
});
