import { describe, expect, it } from '@jest/globals';
import { assessResponse } from './assessment.js';
import type { InstrumentDefinition } from './instrument.types.js';
import { PHQ9_ITEM_IDS, phq9 } from './instruments/phq9.js';
import { sessionCheckIn } from './instruments/session-check-in.js';
import { buildResponse } from './response-builder.js';
import { evaluateSafetyRules } from './safety.js';

const phq9With = (item9: number | undefined) => {
  const answers: Record<string, number> = Object.fromEntries(PHQ9_ITEM_IDS.slice(0, 8).map((id) => [id, 0]));
  if (item9 !== undefined) answers['phq9-9'] = item9;
  return buildResponse(phq9, answers);
};

describe('PHQ-9 self-harm rule', () => {
  it('raises no alert when item 9 is "Not at all"', () => {
    expect(evaluateSafetyRules(phq9, phq9With(0))).toEqual([]);
  });

  it.each([1, 2, 3])('raises an urgent self-harm-risk alert when item 9 weighs %i', (weight) => {
    expect(evaluateSafetyRules(phq9, phq9With(weight))).toEqual([
      expect.objectContaining({ ruleId: 'self-harm-risk', severity: 'urgent', message: expect.stringContaining('item 9') }),
    ]);
  });

  it('raises no alert while item 9 is unanswered (a draft)', () => {
    expect(evaluateSafetyRules(phq9, { ...phq9With(undefined), status: 'in-progress' })).toEqual([]);
  });

  it('alerts even when the other items are missing, so a partial form is still screened', () => {
    expect(evaluateSafetyRules(phq9, buildResponse(phq9, { 'phq9-9': 2 }, { status: 'in-progress' }))).toHaveLength(1);
  });

  it.each([1, 2, 3])('gives item 9 weight %i as the level (a later, higher answer is worse) and asks for crisis information', (weight) => {
    expect(evaluateSafetyRules(phq9, phq9With(weight))).toEqual([expect.objectContaining({ level: weight, crisis: true })]);
  });
});

describe('clinic-defined rules', () => {
  const withRule = (expression: string): InstrumentDefinition => ({
    ...phq9,
    safetyRules: [{ id: 'severe-total', expression, severity: 'asap', message: 'Severe depression score' }],
  });

  it('can use computed scores, never the score the client sent', () => {
    const rule = withRule("%resource.item.where(linkId = 'phq9-total').answer.value >= 20");
    const severe = buildResponse(phq9, Object.fromEntries(PHQ9_ITEM_IDS.map((id) => [id, 3])));
    const mild = buildResponse(phq9, { ...Object.fromEntries(PHQ9_ITEM_IDS.map((id) => [id, 0])), 'phq9-total': 27 });
    expect(evaluateSafetyRules(rule, severe).map((f) => f.ruleId)).toEqual(['severe-total']);
    expect(evaluateSafetyRules(rule, mild)).toEqual([]);
  });

  it('has no level and no crisis information unless the rule says so', () => {
    const rule = withRule("%resource.item.where(linkId = 'phq9-total').answer.value >= 20");
    const severe = buildResponse(phq9, Object.fromEntries(PHQ9_ITEM_IDS.map((id) => [id, 3])));
    expect(evaluateSafetyRules(rule, severe)).toEqual([expect.objectContaining({ level: null, crisis: false })]);
  });

  it('keeps the finding when its level cannot be computed', () => {
    const rule: InstrumentDefinition = { ...phq9, safetyRules: [{ id: 'x', expression: 'true', level: '%resource.item.nosuchfn()', severity: 'urgent', message: 'x' }] };
    expect(evaluateSafetyRules(rule, phq9With(0))).toEqual([expect.objectContaining({ ruleId: 'x', level: null })]);
    expect(evaluateSafetyRules(rule, phq9With(0))[0].error).toBeUndefined();
  });

  it('reports a rule that fails to evaluate instead of dropping it', () => {
    const [finding] = evaluateSafetyRules(withRule('%resource.item.nosuchfn()'), phq9With(0));
    expect(finding).toMatchObject({ ruleId: 'severe-total', severity: 'asap', error: expect.stringContaining('nosuchfn') });
  });
});

describe('session check-in distress rule', () => {
  it.each([[7, 0], [8, 1], [10, 1]])('distress %i raises %i finding(s)', (distress, count) => {
    expect(evaluateSafetyRules(sessionCheckIn, buildResponse(sessionCheckIn, { 'checkin-distress': distress }))).toHaveLength(count);
  });
});

describe('assessResponse', () => {
  it('returns the calculated response, its scores and its findings in one pass', () => {
    const assessment = assessResponse(phq9, phq9With(2));
    expect(assessment.scores[0]).toMatchObject({ linkId: 'phq9-total', value: 2, band: { code: 'phq9-minimal' } });
    expect(assessment.findings.map((f) => f.ruleId)).toEqual(['self-harm-risk']);
    expect(assessment.response.item!.at(-1)).toMatchObject({ linkId: 'phq9-total', answer: [{ valueInteger: 2 }] });
  });
});
