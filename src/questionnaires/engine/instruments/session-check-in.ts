import type { Questionnaire } from 'fhir/r4.js';
import { EXT, SDC_QUESTIONNAIRE_PROFILE, alsCoding, questionnaireUrl } from '../codes.js';
import type { InstrumentDefinition, SafetyRule, ScoreDefinition } from '../instrument.types.js';
import { scoreItem, textItem } from './builders.js';
import { answerValue } from './expressions.js';

// The module's own short check-in before or after a session: distress 0–10 and a free-text note.

const DISTRESS = alsCoding('checkin-distress', 'Session check-in distress rating');

export const sessionCheckInQuestionnaire: Questionnaire = {
  resourceType: 'Questionnaire',
  id: 'session-check-in',
  meta: { profile: [SDC_QUESTIONNAIRE_PROFILE] },
  url: questionnaireUrl('session-check-in'),
  version: '1.0.0',
  name: 'SessionCheckIn',
  title: 'Session check-in',
  status: 'active',
  subjectType: ['Patient', 'RelatedPerson'],
  publisher: 'ALS Wellness Care Module',
  code: [alsCoding('session-check-in', 'Session check-in')],
  description: "The module's own session check-in: current distress from 0 (none) to 10 (extreme) and a note.",
  copyright: 'ALS Wellness Care Module; free to use.',
  item: [
    {
      linkId: 'checkin-distress',
      code: [DISTRESS],
      text: 'How much distress are you feeling right now, from 0 (no distress) to 10 (extreme distress)?',
      type: 'integer',
      required: true,
      repeats: false,
      extension: [
        { url: EXT.minValue, valueInteger: 0 },
        { url: EXT.maxValue, valueInteger: 10 },
      ],
    },
    textItem('checkin-note', 'Is there anything you would like the facilitator to know today?', alsCoding('checkin-note', 'Check-in note'), 1000),
    scoreItem('checkin-distress-score', 'Distress', DISTRESS, 'integer', answerValue('checkin-distress')),
  ],
};

export const sessionCheckInScores: ScoreDefinition[] = [
  {
    linkId: 'checkin-distress-score',
    code: DISTRESS,
    unit: '{score}',
    min: 0,
    max: 10,
    direction: 'higher-is-worse',
    // Assumption the clinic can change: 2 points on a 0–10 rating.
    mcid: 2,
    // Assumption the clinic can change: 4+ mirrors the NCCN Distress Thermometer cut-off.
    bands: [
      { code: 'checkin-distress-low', display: 'Low distress', min: 0, max: 3 },
      { code: 'checkin-distress-elevated', display: 'Elevated distress', min: 4, max: 10 },
    ],
  },
];

export const sessionCheckInSafetyRules: SafetyRule[] = [
  {
    id: 'high-distress',
    // Assumption the clinic can change: 8+ asks the facilitator to check in before the session ends.
    expression: `${answerValue('checkin-distress')} >= 8`,
    severity: 'routine',
    message: 'Session check-in: distress rated 8 or higher. Check in with the participant.',
  },
];

export const sessionCheckIn: InstrumentDefinition = {
  questionnaire: sessionCheckInQuestionnaire,
  scores: sessionCheckInScores,
  safetyRules: sessionCheckInSafetyRules,
};
