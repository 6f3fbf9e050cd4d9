import { describe, expect, it } from '@jest/globals';
import { ALS_CODE_SYSTEM } from '../codes.js';
import { buildResponse, type AnswerInput } from '../response-builder.js';
import { scoreResponse } from '../scoring.js';
import { validateResponse } from '../validation.js';
import { musicTherapyLog } from './music-therapy-log.js';

const q = musicTherapyLog.questionnaire;
const session = (extra: Record<string, AnswerInput | AnswerInput[]> = {}) => ({
  'mt-goals': [{ code: 'mt-goal-relaxation' }, { code: 'mt-goal-communication' }],
  'mt-activities': [{ code: 'mt-activity-singing' }, { code: 'mt-activity-listening' }],
  'mt-engagement': { code: 'mt-engagement-4' },
  'mt-mood-before': { code: 'mt-mood-2' },
  'mt-mood-after': { code: 'mt-mood-4' },
  'mt-notes': 'Sang two verses with breath support; relaxed afterwards.',
  ...extra,
});
const scores = (answers: Record<string, AnswerInput | AnswerInput[]>) =>
  Object.fromEntries(scoreResponse(musicTherapyLog, buildResponse(musicTherapyLog, answers)).map((s) => [s.linkId, s]));
const rules = (answers: Record<string, AnswerInput | AnswerInput[]>, status: 'completed' | 'in-progress' = 'completed') =>
  validateResponse(q, buildResponse(musicTherapyLog, answers, { status })).map((i) => [i.rule, i.linkId]);

describe('music-therapy session log content', () => {
  it('offers the program’s activities and goals as several-answer choices in its own CodeSystem', () => {
    const item = (linkId: string) => q.item!.find((i) => i.linkId === linkId)!;
    expect(item('mt-activities')).toMatchObject({ type: 'choice', repeats: true, required: true });
    expect(item('mt-activities').answerOption!.map((o) => o.valueCoding!.display)).toEqual([
      'Rhythm and percussion', 'Singing or vocal work', 'Instrument play', 'Receptive listening',
      'Songwriting or lyric analysis', 'Movement to music', 'Other activity',
    ]);
    expect(item('mt-goals')).toMatchObject({ type: 'choice', repeats: true, required: true });
    expect(item('mt-mood-before').answerOption!.map((o) => o.valueCoding!.display)).toEqual(['Very low', 'Low', 'Okay', 'Good', 'Very good']);
    expect(JSON.stringify(q)).not.toContain('loinc');
    expect(musicTherapyLog.scores.every((s) => s.code.system === ALS_CODE_SYSTEM)).toBe(true);
  });

  it('keeps question texts short for one question per screen', () => {
    const asked = q.item!.filter((i) => !i.readOnly);
    expect(Math.max(...asked.map((i) => i.text!.length))).toBeLessThanOrEqual(40);
  });
});

describe('music-therapy session log scoring', () => {
  it('scores engagement, mood before and after, and the change (after − before) with its band', () => {
    const s = scores(session());
    expect(s['mt-engagement-score']).toMatchObject({ value: 4 });
    expect(s['mt-mood-before-score']).toMatchObject({ value: 2 });
    expect(s['mt-mood-after-score']).toMatchObject({ value: 4 });
    expect(s['mt-mood-change']).toMatchObject({ value: 2, band: { code: 'mt-mood-better' } });
  });

  it.each([
    ['mt-mood-5', 'mt-mood-1', -4, 'mt-mood-lower'],
    ['mt-mood-3', 'mt-mood-3', 0, 'mt-mood-unchanged'],
    ['mt-mood-1', 'mt-mood-5', 4, 'mt-mood-better'],
  ])('mood %s → %s changes by %i (%s)', (before, after, change, bandCode) => {
    const s = scores(session({ 'mt-mood-before': { code: before }, 'mt-mood-after': { code: after } }));
    expect(s['mt-mood-change']).toMatchObject({ value: change, band: { code: bandCode } });
  });

  it('gives no mood change when a mood was not rated, and keeps the other scores', () => {
    const { 'mt-mood-before': _skipped, ...answers } = session();
    const s = scores(answers);
    expect(s['mt-mood-change']).toMatchObject({ value: null, gap: 'incomplete' });
    expect(s['mt-mood-before-score']).toMatchObject({ value: null, gap: 'incomplete' });
    expect(s['mt-mood-after-score']).toMatchObject({ value: 4 });
    expect(s['mt-engagement-score']).toMatchObject({ value: 4 });
  });
});

describe('music-therapy session log validation', () => {
  it('accepts a complete log, several goals and activities, and moods left out', () => {
    expect(rules(session())).toEqual([]);
    const { 'mt-mood-before': _a, 'mt-mood-after': _b, 'mt-notes': _c, ...minimal } = session();
    expect(rules(minimal)).toEqual([]);
  });

  it('asks what the other activity was only when "Other activity" is ticked', () => {
    const other = session({ 'mt-activities': [{ code: 'mt-activity-rhythm' }, { code: 'mt-activity-other' }], 'mt-activities-other': 'Vibroacoustic bed' });
    expect(rules(other)).toEqual([]);
    expect(rules(session({ 'mt-activities-other': 'Vibroacoustic bed' }))).toEqual([['disabled-answered', 'mt-activities-other']]);
  });

  it('needs goals, activities and engagement to submit, not to save a draft', () => {
    const { 'mt-goals': _a, 'mt-activities': _b, 'mt-engagement': _c, ...rest } = session();
    expect(rules(rest)).toEqual([['required', 'mt-goals'], ['required', 'mt-activities'], ['required', 'mt-engagement']]);
    expect(rules(rest, 'in-progress')).toEqual([]);
  });

  it('refuses an activity that is not one of the options and two answers to a single rating', () => {
    const response = buildResponse(musicTherapyLog, session());
    response.item!.find((i) => i.linkId === 'mt-activities')!.answer = [{ valueCoding: { system: ALS_CODE_SYSTEM, code: 'mt-activity-karaoke' } }];
    expect(validateResponse(q, response).map((i) => [i.rule, i.linkId])).toEqual([['answer-option', 'mt-activities']]);
    expect(rules(session({ 'mt-engagement': [{ code: 'mt-engagement-1' }, { code: 'mt-engagement-5' }] }))).toEqual([['repeats', 'mt-engagement']]);
  });
});
