import type { Coding, Questionnaire } from 'fhir/r4.js';
import { ALS_CODE_SYSTEM, SDC_QUESTIONNAIRE_PROFILE, alsCoding, questionnaireUrl } from '../codes.js';
import type { InstrumentDefinition, ScoreDefinition } from '../instrument.types.js';
import { choiceItem, displayItem, scoreItem, weightedOptions } from './builders.js';
import { weightMean } from './expressions.js';

// Self-Compassion Scale short form (Raes, Pommier, Neff & Van Gucht 2011). Reverse-scored items
// (1, 4, 8, 9, 11, 12) simply carry reversed weights (6 − x), so the score is a plain mean.

const STATEMENTS: readonly string[] = [
  'When I fail at something important to me I become consumed by feelings of inadequacy.',
  "I try to be understanding and patient towards those aspects of my personality I don't like.",
  'When something painful happens I try to take a balanced view of the situation.',
  "When I'm feeling down, I tend to feel like most other people are probably happier than I am.",
  'I try to see my failings as part of the human condition.',
  "When I'm going through a very hard time, I give myself the caring and tenderness I need.",
  'When something upsets me I try to keep my emotions in balance.',
  "When I fail at something that's important to me, I tend to feel alone in my failure.",
  "When I'm feeling down I tend to obsess and fixate on everything that's wrong.",
  'When I feel inadequate in some way, I try to remind myself that feelings of inadequacy are shared by most people.',
  "I'm disapproving and judgmental about my own flaws and inadequacies.",
  "I'm intolerant and impatient towards those aspects of my personality I don't like.",
];

export const SCS_SF_REVERSED_ITEMS: readonly number[] = [1, 4, 8, 9, 11, 12];

/** The published scale labels only its ends. */
const ANSWERS: readonly Coding[] = [
  alsCoding('scs-sf-answer-1', 'Almost never'),
  alsCoding('scs-sf-answer-2', '2'),
  alsCoding('scs-sf-answer-3', '3'),
  alsCoding('scs-sf-answer-4', '4'),
  alsCoding('scs-sf-answer-5', 'Almost always'),
];

export const SCS_SF_ITEM_IDS = STATEMENTS.map((_, i) => `scs-sf-${i + 1}`);
const MEAN = alsCoding('scs-sf-mean', 'Self-Compassion Scale short form mean score');

export const scsSfQuestionnaire: Questionnaire = {
  resourceType: 'Questionnaire',
  id: 'scs-sf',
  meta: { profile: [SDC_QUESTIONNAIRE_PROFILE] },
  url: questionnaireUrl('scs-sf'),
  version: '1.0.0',
  name: 'SCSSF',
  title: 'Self-Compassion Scale – Short Form (SCS-SF)',
  status: 'active',
  subjectType: ['Patient', 'RelatedPerson'],
  publisher: 'ALS Wellness Care Module',
  code: [alsCoding('scs-sf', 'Self-Compassion Scale short form')],
  description:
    'Self-compassion, 12 items scored 1–5; items 1, 4, 8, 9, 11 and 12 reverse-scored; total = mean (1–5). ' +
    'Raes F, Pommier E, Neff KD, Van Gucht D. Construction and factorial validation of a short form of the ' +
    'Self-Compassion Scale. Clin Psychol Psychother 2011;18(3):250–255.',
  copyright:
    '© Raes, Pommier, Neff & Van Gucht 2011. The authors allow use without permission (self-compassion.org).',
  item: [
    // "To the left of each item" in the paper form becomes "for each statement" on screen.
    displayItem(
      'scs-sf-stem',
      'How I typically act towards myself in difficult times. Please read each statement carefully before ' +
        'answering. For each statement, indicate how often you behave in the stated manner, using the scale ' +
        'from 1 (Almost never) to 5 (Almost always).',
    ),
    ...STATEMENTS.map((text, i) =>
      choiceItem(SCS_SF_ITEM_IDS[i], text, alsCoding(`scs-sf-item-${i + 1}`, text),
        weightedOptions(ANSWERS, SCS_SF_REVERSED_ITEMS.includes(i + 1) ? [5, 4, 3, 2, 1] : [1, 2, 3, 4, 5])),
    ),
    scoreItem('scs-sf-mean', 'SCS-SF mean score', MEAN, 'decimal', weightMean(SCS_SF_ITEM_IDS)),
  ],
};

export const scsSfScores: ScoreDefinition[] = [
  {
    linkId: 'scs-sf-mean',
    code: MEAN,
    unit: '{score}',
    min: 1,
    max: 5,
    direction: 'higher-is-better',
    // Assumption the clinic can change: no published MCID for the SCS-SF; 0.5 (about half an SD).
    mcid: 0.5,
    bandSystem: ALS_CODE_SYSTEM,
    // Neff's conventional ranges; the mean is rounded to 2 decimals, so the bands leave no gap.
    bands: [
      { code: 'scs-sf-low', display: 'Low self-compassion', min: 1, max: 2.49 },
      { code: 'scs-sf-moderate', display: 'Moderate self-compassion', min: 2.5, max: 3.5 },
      { code: 'scs-sf-high', display: 'High self-compassion', min: 3.51, max: 5 },
    ],
  },
];

export const scsSf: InstrumentDefinition = { questionnaire: scsSfQuestionnaire, scores: scsSfScores, safetyRules: [] };
