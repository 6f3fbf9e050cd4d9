import type { Coding, Questionnaire, QuestionnaireItem } from 'fhir/r4.js';
import { SDC_QUESTIONNAIRE_PROFILE, alsCoding, questionnaireUrl } from '../codes.js';
import type { InstrumentDefinition, ScoreDefinition } from '../instrument.types.js';
import { choiceItem, scoreItem, textItem, weightedOptions } from './builders.js';
import { answerValue, weightSum } from './expressions.js';

// The program's own music-therapy session log, one per person and session: what the session aimed at, what was
// done, how engaged the person was, and their mood at the start and at the end. Short texts and labelled options
// for the one-question-per-screen player. Scored: engagement, mood before, mood after, and mood change. Like the
// other forms it carries no date of its own: the response's `authored` is when it was logged.

function options(prefix: string, labels: Readonly<Record<string, string>>) {
  return Object.entries(labels).map(([code, display]) => ({ valueCoding: alsCoding(`${prefix}-${code}`, display) }));
}

function manyOf(linkId: string, text: string, answerOption: QuestionnaireItem['answerOption']): QuestionnaireItem {
  return { linkId, code: [alsCoding(linkId, text)], text, type: 'choice', required: true, repeats: true, answerOption };
}

const GOALS = options('mt-goal', {
  relaxation: 'Relaxation and stress relief',
  mood: 'Mood and wellbeing',
  expression: 'Expressing feelings',
  communication: 'Communication, voice and breath',
  connection: 'Connection with others',
  legacy: 'Reminiscence and legacy',
  comfort: 'Comfort and pain relief',
  other: 'Other goal',
});

const ACTIVITIES = options('mt-activity', {
  rhythm: 'Rhythm and percussion',
  singing: 'Singing or vocal work',
  instrument: 'Instrument play',
  listening: 'Receptive listening',
  songwriting: 'Songwriting or lyric analysis',
  movement: 'Movement to music',
  other: 'Other activity',
});

const ONE_TO_FIVE = [1, 2, 3, 4, 5];
const ENGAGEMENT_LEVELS: readonly Coding[] = ['Not engaged', 'A little engaged', 'Partly engaged', 'Mostly engaged', 'Fully engaged']
  .map((display, i) => alsCoding(`mt-engagement-${i + 1}`, display));
const MOODS: readonly Coding[] = ['Very low', 'Low', 'Okay', 'Good', 'Very good'].map((display, i) => alsCoding(`mt-mood-${i + 1}`, display));

const ENGAGEMENT = alsCoding('mt-engagement', 'Music therapy engagement rating');
const MOOD_BEFORE = alsCoding('mt-mood-before', 'Mood at the start of a music therapy session');
const MOOD_AFTER = alsCoding('mt-mood-after', 'Mood at the end of a music therapy session');
const MOOD_CHANGE = alsCoding('mt-mood-change', 'Mood change over a music therapy session');

export const musicTherapyLogQuestionnaire: Questionnaire = {
  resourceType: 'Questionnaire',
  id: 'music-therapy-log',
  meta: { profile: [SDC_QUESTIONNAIRE_PROFILE] },
  url: questionnaireUrl('music-therapy-log'),
  version: '1.0.0',
  name: 'MusicTherapySessionLog',
  title: 'Music therapy session log',
  status: 'active',
  subjectType: ['Patient', 'RelatedPerson'],
  publisher: 'ALS Wellness Care Module',
  code: [alsCoding('music-therapy-log', 'Music therapy session log')],
  description:
    "The program's own music-therapy session log, one per person and session: goals, " +
    'activities (rhythm, singing, instrument play, receptive listening, songwriting or lyric analysis, movement ' +
    'to music, other), engagement (1–5), mood at the start and at the end (1 Very low – 5 Very good) and notes. ' +
    'Scores: engagement, mood before, mood after, and mood change = after − before (−4 to 4), each only when ' +
    'its ratings are answered.',
  copyright: 'ALS Wellness Care Module; free to use.',
  item: [
    manyOf('mt-goals', 'Goals for this session', GOALS),
    textItem('mt-goals-detail', 'Other goals or details', alsCoding('mt-goals-detail', 'Goal details'), 500),
    manyOf('mt-activities', 'What was done in the session?', ACTIVITIES),
    {
      linkId: 'mt-activities-other',
      code: [alsCoding('mt-activities-other', 'Other activity')],
      text: 'Which other activity?',
      type: 'string',
      required: false,
      repeats: false,
      maxLength: 200,
      enableWhen: [{ question: 'mt-activities', operator: '=', answerCoding: alsCoding('mt-activity-other', 'Other activity') }],
    },
    choiceItem('mt-engagement', 'How engaged was the participant?', ENGAGEMENT, weightedOptions(ENGAGEMENT_LEVELS, ONE_TO_FIVE)),
    // Not required: a participant may be unable to rate their mood; the change then has no score.
    choiceItem('mt-mood-before', 'Mood at the start of the session', MOOD_BEFORE, weightedOptions(MOODS, ONE_TO_FIVE), false),
    choiceItem('mt-mood-after', 'Mood at the end of the session', MOOD_AFTER, weightedOptions(MOODS, ONE_TO_FIVE), false),
    textItem('mt-notes', 'Session notes', alsCoding('mt-notes', 'Session notes'), 2000),
    scoreItem('mt-engagement-score', 'Engagement', ENGAGEMENT, 'integer', weightSum(['mt-engagement'])),
    scoreItem('mt-mood-before-score', 'Mood before', MOOD_BEFORE, 'integer', weightSum(['mt-mood-before'])),
    scoreItem('mt-mood-after-score', 'Mood after', MOOD_AFTER, 'integer', weightSum(['mt-mood-after'])),
    // Empty (no score) unless both moods are rated: FHIRPath arithmetic on an empty operand is empty.
    scoreItem('mt-mood-change', 'Mood change', MOOD_CHANGE, 'integer',
      `${answerValue('mt-mood-after-score')} - ${answerValue('mt-mood-before-score')}`),
  ],
};

const rating = (linkId: string, code: Coding): ScoreDefinition => ({
  linkId, code, unit: '{score}', min: 1, max: 5, direction: 'higher-is-better', bands: [],
});

export const musicTherapyLogScores: ScoreDefinition[] = [
  rating('mt-engagement-score', ENGAGEMENT),
  rating('mt-mood-before-score', MOOD_BEFORE),
  rating('mt-mood-after-score', MOOD_AFTER),
  {
    linkId: 'mt-mood-change',
    code: MOOD_CHANGE,
    unit: '{score}',
    min: -4,
    max: 4,
    direction: 'higher-is-better',
    bands: [
      { code: 'mt-mood-lower', display: 'Mood lower after the session', min: -4, max: -1 },
      { code: 'mt-mood-unchanged', display: 'Mood unchanged', min: 0, max: 0 },
      { code: 'mt-mood-better', display: 'Mood better after the session', min: 1, max: 4 },
    ],
  },
];

export const musicTherapyLog: InstrumentDefinition = {
  questionnaire: musicTherapyLogQuestionnaire,
  scores: musicTherapyLogScores,
  safetyRules: [],
};
