import { describe, expect, it } from '@jest/globals';
import type { InstrumentDefinition } from './instrument.types.js';
import { gad7, GAD7_ITEM_IDS } from './instruments/gad7.js';
import { phq9, PHQ9_ITEM_IDS } from './instruments/phq9.js';
import { programSatisfaction } from './instruments/program-satisfaction.js';
import { SCS_SF_ITEM_IDS, SCS_SF_REVERSED_ITEMS, scsSf } from './instruments/scs-sf.js';
import { sessionCheckIn } from './instruments/session-check-in.js';
import { WHO5_ITEM_IDS, who5 } from './instruments/who5.js';
import { buildResponse, type AnswerInput } from './response-builder.js';
import { calculateResponse, scoreResponse } from './scoring.js';

const same = (ids: readonly string[], value: AnswerInput) => Object.fromEntries(ids.map((id) => [id, value]));
/** Weights adding up to `total`, filled greedily item by item (each at most `max`). */
const summingTo = (ids: readonly string[], total: number, max: number) =>
  Object.fromEntries(ids.map((id, i) => [id, Math.max(0, Math.min(max, total - i * max))]));

function only(definition: InstrumentDefinition, answers: Record<string, AnswerInput>) {
  const results = scoreResponse(definition, buildResponse(definition, answers));
  expect(results).toHaveLength(1);
  return results[0];
}

describe('PHQ-9 scoring', () => {
  it.each([
    [0, 'phq9-minimal'], [4, 'phq9-minimal'], [5, 'phq9-mild'], [9, 'phq9-mild'], [10, 'phq9-moderate'],
    [14, 'phq9-moderate'], [15, 'phq9-moderately-severe'], [19, 'phq9-moderately-severe'], [20, 'phq9-severe'], [27, 'phq9-severe'],
  ])('total %i falls in %s', (total, band) => {
    const result = only(phq9, summingTo(PHQ9_ITEM_IDS, total, 3));
    expect(result).toMatchObject({ linkId: 'phq9-total', value: total, unit: '{score}', band: { code: band } });
    expect(result.code).toEqual(expect.objectContaining({ system: 'http://loinc.org', code: '44261-6' }));
  });

  it('sums a mixed answer set and ignores the unscored difficulty item', () => {
    const answers = { ...Object.fromEntries(PHQ9_ITEM_IDS.map((id, i) => [id, i % 4])), 'phq9-10': { code: 'difficulty-very' } };
    expect(only(phq9, answers).value).toBe(0 + 1 + 2 + 3 + 0 + 1 + 2 + 3 + 0);
  });

  it('gives no score (not a lower one) when an item is unanswered, since PHQ-9 is not prorated', () => {
    const answers = same(PHQ9_ITEM_IDS.slice(0, 8), 3);
    expect(only(phq9, answers)).toMatchObject({ value: null, gap: 'incomplete' });
    expect(only(phq9, answers).band).toBeUndefined();
  });

  it('ignores a score sent by the client and writes the computed one in its place', () => {
    const response = buildResponse(phq9, { ...same(PHQ9_ITEM_IDS, 1), 'phq9-total': 27 });
    const before = JSON.stringify(response);
    expect(scoreResponse(phq9, response)[0].value).toBe(9);
    const totals = calculateResponse(phq9, response).response.item!.filter((i) => i.linkId === 'phq9-total');
    expect(totals).toEqual([{ linkId: 'phq9-total', text: 'PHQ-9 total score', answer: [{ valueInteger: 9 }] }]);
    expect(JSON.stringify(response)).toBe(before);
  });

  it('does not count an answer code that is not one of the options', () => {
    const response = buildResponse(phq9, same(PHQ9_ITEM_IDS, 2));
    response.item![1].answer = [{ valueCoding: { system: 'http://loinc.org', code: 'LA0000-0' } }];
    expect(scoreResponse(phq9, response)[0]).toMatchObject({ value: null, gap: 'incomplete' });
  });
});

describe('GAD-7 scoring', () => {
  it.each([
    [0, 'gad7-minimal'], [4, 'gad7-minimal'], [5, 'gad7-mild'], [9, 'gad7-mild'],
    [10, 'gad7-moderate'], [14, 'gad7-moderate'], [15, 'gad7-severe'], [21, 'gad7-severe'],
  ])('total %i falls in %s', (total, band) => {
    expect(only(gad7, summingTo(GAD7_ITEM_IDS, total, 3))).toMatchObject({ value: total, band: { code: band } });
  });
});

describe('WHO-5 scoring', () => {
  it.each([
    [0, 0, 'who5-likely-depression'], [7, 28, 'who5-likely-depression'], [8, 32, 'who5-poor-wellbeing'],
    [12, 48, 'who5-poor-wellbeing'], [13, 52, 'who5-adequate-wellbeing'], [25, 100, 'who5-adequate-wellbeing'],
  ])('raw %i gives %i (%s)', (raw, percent, band) => {
    expect(only(who5, summingTo(WHO5_ITEM_IDS, raw, 5))).toMatchObject({ linkId: 'who5-total', value: percent, band: { code: band } });
  });

  it('keeps the raw sum in the calculated response beside the percentage', () => {
    const { response } = calculateResponse(who5, buildResponse(who5, summingTo(WHO5_ITEM_IDS, 12, 5)));
    const scored = Object.fromEntries(response.item!.map((i) => [i.linkId, i.answer?.[0].valueInteger]));
    expect(scored).toMatchObject({ 'who5-raw': 12, 'who5-total': 48 });
  });
});

describe('SCS-SF scoring', () => {
  const byAnswer = (pick: (itemNumber: number) => number) =>
    Object.fromEntries(SCS_SF_ITEM_IDS.map((id, i) => [id, { code: `scs-sf-answer-${pick(i + 1)}` }]));
  const reversed = (n: number) => SCS_SF_REVERSED_ITEMS.includes(n);

  it('reverses items 1, 4, 8, 9, 11, 12: all "Almost never" gives (6×1 + 6×5)/12 = 3.0', () => {
    expect(only(scsSf, byAnswer(() => 1))).toMatchObject({ value: 3, band: { code: 'scs-sf-moderate' } });
    expect(only(scsSf, byAnswer(() => 5)).value).toBe(3);
  });

  it('reaches 5 and 1 only when reversed items are answered the other way', () => {
    expect(only(scsSf, byAnswer((n) => (reversed(n) ? 1 : 5)))).toMatchObject({ value: 5, band: { code: 'scs-sf-high' } });
    expect(only(scsSf, byAnswer((n) => (reversed(n) ? 5 : 1)))).toMatchObject({ value: 1, band: { code: 'scs-sf-low' } });
  });

  it.each([
    [29, 2.42, 'scs-sf-low'], [30, 2.5, 'scs-sf-moderate'], [42, 3.5, 'scs-sf-moderate'], [43, 3.58, 'scs-sf-high'],
  ])('scored sum %i gives mean %d (%s), rounded to 2 decimals', (sum, mean, band) => {
    const answers = Object.fromEntries(SCS_SF_ITEM_IDS.map((id, i) => [id, 1 + Math.max(0, Math.min(4, sum - 12 - i * 4))]));
    expect(only(scsSf, answers)).toMatchObject({ value: mean, band: { code: band } });
  });

  it('gives no score with an item missing', () => {
    expect(only(scsSf, same(SCS_SF_ITEM_IDS.slice(1), 3))).toMatchObject({ value: null, gap: 'incomplete' });
  });
});

describe('program satisfaction scoring (prorated, nested group)', () => {
  it('averages the answered ratings when at least 3 of 5 are answered', () => {
    const answers = { 'satisfaction-overall': 5, 'satisfaction-helpful': 4, 'satisfaction-access': 2 };
    expect(only(programSatisfaction, answers)).toMatchObject({ value: 3.67, band: { code: 'satisfaction-neutral' } });
  });

  it('gives no score with only 2 ratings', () => {
    expect(only(programSatisfaction, { 'satisfaction-overall': 5, 'satisfaction-pace': 4 }).value).toBeNull();
  });
});

describe('session check-in scoring', () => {
  it.each([[3, 'checkin-distress-low'], [4, 'checkin-distress-elevated']])('distress %i is %s', (distress, band) => {
    expect(only(sessionCheckIn, { 'checkin-distress': distress })).toMatchObject({ value: distress, band: { code: band } });
  });
});

describe('scoring failures', () => {
  it('reports an expression error as a gap instead of throwing', () => {
    const broken = structuredClone(phq9);
    const total = broken.questionnaire.item!.find((i) => i.linkId === 'phq9-total')!;
    total.extension![1].valueExpression!.expression = "%resource.item.answer.value.nosuchfn()";
    expect(scoreResponse(broken, buildResponse(broken, same(PHQ9_ITEM_IDS, 1)))[0]).toMatchObject({ value: null, gap: 'error' });
  });

  it('survives malformed client JSON', () => {
    const response = buildResponse(phq9, same(PHQ9_ITEM_IDS, 1));
    response.item![0].answer = 'nonsense' as never;
    response.item!.push(null as never);
    expect(scoreResponse(phq9, response)[0]).toMatchObject({ value: null, gap: 'incomplete' });
  });

  it('refuses a value outside the declared range', () => {
    const narrow = { ...phq9, scores: [{ ...phq9.scores[0], max: 10 }] };
    expect(only(narrow, same(PHQ9_ITEM_IDS, 3))).toMatchObject({ value: null, gap: 'out-of-range' });
  });
});
