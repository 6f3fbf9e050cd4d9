import type { Coding, Questionnaire } from 'fhir/r4.js';
import { ALS_CODE_SYSTEM, SDC_QUESTIONNAIRE_PROFILE, alsCoding, questionnaireUrl } from '../codes.js';
import type { InstrumentDefinition, ScoreDefinition } from '../instrument.types.js';
import { choiceItem, displayItem, scoreItem, weightedOptions } from './builders.js';
import { answerValue, weightSum } from './expressions.js';

// WHO-5 Well-Being Index (1998 version). No verified LOINC code (71969-0 is NOT WHO-5):
// everything is coded in the module's own CodeSystem.

const STATEMENTS: readonly string[] = [
  'I have felt cheerful and in good spirits',
  'I have felt calm and relaxed',
  'I have felt active and vigorous',
  'I woke up feeling fresh and rested',
  'My daily life has been filled with things that interest me',
];

/** Published order, "All of the time" (5) down to "At no time" (0). */
const ANSWERS: readonly Coding[] = [
  alsCoding('who5-answer-5', 'All of the time'),
  alsCoding('who5-answer-4', 'Most of the time'),
  alsCoding('who5-answer-3', 'More than half of the time'),
  alsCoding('who5-answer-2', 'Less than half of the time'),
  alsCoding('who5-answer-1', 'Some of the time'),
  alsCoding('who5-answer-0', 'At no time'),
];

export const WHO5_ITEM_IDS = STATEMENTS.map((_, i) => `who5-${i + 1}`);
const TOTAL = alsCoding('who5-total', 'WHO-5 Well-Being Index percentage score');

export const who5Questionnaire: Questionnaire = {
  resourceType: 'Questionnaire',
  id: 'who-5',
  meta: { profile: [SDC_QUESTIONNAIRE_PROFILE] },
  url: questionnaireUrl('who-5'),
  version: '1.0.0',
  name: 'WHO5',
  title: 'WHO-5 Well-Being Index',
  status: 'active',
  subjectType: ['Patient', 'RelatedPerson'],
  publisher: 'ALS Wellness Care Module',
  code: [alsCoding('who5', 'WHO-5 Well-Being Index')],
  description:
    'Wellbeing, 5 items scored 0–5; raw sum 0–25 multiplied by 4 gives 0–100. Topp CW, Østergaard SD, ' +
    'Søndergaard S, Bech P. The WHO-5 Well-Being Index: a systematic review of the literature. ' +
    'Psychother Psychosom 2015;84(3):167–176.',
  copyright:
    '© Psychiatric Research Unit, WHO Collaborating Centre in Mental Health, Frederiksborg General Hospital, ' +
    'Hillerød, Denmark, 1998. Free to use without permission.',
  item: [
    displayItem(
      'who5-stem',
      'Please indicate for each of the five statements which is closest to how you have been feeling over the ' +
        'last two weeks. Notice that higher numbers mean better well-being.',
    ),
    ...STATEMENTS.map((text, i) =>
      choiceItem(WHO5_ITEM_IDS[i], `Over the last two weeks: ${text}`, alsCoding(`who5-item-${i + 1}`, text),
        weightedOptions(ANSWERS, [5, 4, 3, 2, 1, 0])),
    ),
    // The raw sum comes first: calculated items are evaluated in document order, so the total can use it. Only the
    // published percentage is written to the EHR.
    scoreItem('who5-raw', 'WHO-5 raw score', alsCoding('who5-raw', 'WHO-5 raw score'), 'integer', weightSum(WHO5_ITEM_IDS), { extract: false }),
    scoreItem('who5-total', 'WHO-5 percentage score', TOTAL, 'integer', `${answerValue('who5-raw')} * 4`),
  ],
};

export const who5Scores: ScoreDefinition[] = [
  {
    linkId: 'who5-total',
    code: TOTAL,
    unit: '%',
    min: 0,
    max: 100,
    direction: 'higher-is-better',
    // Assumption the clinic can change: a 10-point change is clinically relevant (Topp et al. 2015).
    mcid: 10,
    bandSystem: ALS_CODE_SYSTEM,
    // Topp et al. 2015: <= 50 poor wellbeing; <= 28 likely depression, screen further (e.g. PHQ-9).
    bands: [
      { code: 'who5-likely-depression', display: 'Poor wellbeing, likely depression: screen for depression', min: 0, max: 28 },
      { code: 'who5-poor-wellbeing', display: 'Poor wellbeing', min: 29, max: 50 },
      { code: 'who5-adequate-wellbeing', display: 'Adequate wellbeing', min: 51, max: 100 },
    ],
  },
];

export const who5: InstrumentDefinition = { questionnaire: who5Questionnaire, scores: who5Scores, safetyRules: [] };
