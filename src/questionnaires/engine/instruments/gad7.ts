import type { Questionnaire } from 'fhir/r4.js';
import { ALS_CODE_SYSTEM, SDC_QUESTIONNAIRE_PROFILE, alsCoding, loincCoding, questionnaireUrl } from '../codes.js';
import type { InstrumentDefinition, ScoreDefinition } from '../instrument.types.js';
import { displayItem, scoreItem } from './builders.js';
import { weightSum } from './expressions.js';
import { difficultyItem, frequencyItem } from './phq-answers.js';

// GAD-7 (Spitzer, Kroenke, Williams & Löwe 2006): published wording, LOINC panel 69737-5 and
// total 70274-6 (verified, DESIGN.md), answers LL358-3 like PHQ-9.

const PROBLEMS: readonly string[] = [
  'Feeling nervous, anxious or on edge',
  'Not being able to stop or control worrying',
  'Worrying too much about different things',
  'Trouble relaxing',
  'Being so restless that it is hard to sit still',
  'Becoming easily annoyed or irritable',
  'Feeling afraid as if something awful might happen',
];

export const GAD7_ITEM_IDS = PROBLEMS.map((_, i) => `gad7-${i + 1}`);
const TOTAL = loincCoding('70274-6', 'Generalized anxiety disorder 7 item (GAD-7) total score [Reported.PHQ]');

export const gad7Questionnaire: Questionnaire = {
  resourceType: 'Questionnaire',
  id: 'gad-7',
  meta: { profile: [SDC_QUESTIONNAIRE_PROFILE] },
  url: questionnaireUrl('gad-7'),
  version: '1.0.0',
  name: 'GAD7',
  title: 'Generalized Anxiety Disorder-7 (GAD-7)',
  status: 'active',
  subjectType: ['Patient', 'RelatedPerson'],
  publisher: 'ALS Wellness Care Module',
  code: [loincCoding('69737-5', 'Generalized anxiety disorder 7 item (GAD-7)')],
  description:
    'Anxiety severity, 7 items scored 0–3, total 0–21. Spitzer RL, Kroenke K, Williams JBW, Löwe B. A brief ' +
    'measure for assessing generalized anxiety disorder: the GAD-7. Arch Intern Med 2006;166(10):1092–1097. ' +
    'Item 8 (difficulty) is not scored.',
  copyright:
    'Developed by Drs. Robert L. Spitzer, Janet B.W. Williams, Kurt Kroenke and colleagues, with an ' +
    'educational grant from Pfizer Inc. No permission required to reproduce, translate, display or distribute.',
  item: [
    displayItem('gad7-stem', 'Over the last 2 weeks, how often have you been bothered by the following problems?'),
    ...PROBLEMS.map((text, i) => frequencyItem(GAD7_ITEM_IDS[i], text, alsCoding(`gad7-item-${i + 1}`, text))),
    difficultyItem(
      'gad7-8',
      'If you checked off any problems, how difficult have these made it for you to do your work, ' +
        'take care of things at home, or get along with other people?',
      alsCoding('gad7-item-8', 'GAD-7 difficulty'),
      GAD7_ITEM_IDS,
    ),
    scoreItem('gad7-total', 'GAD-7 total score', TOTAL, 'integer', weightSum(GAD7_ITEM_IDS)),
  ],
};

export const gad7Scores: ScoreDefinition[] = [
  {
    linkId: 'gad7-total',
    code: TOTAL,
    unit: '{score}',
    min: 0,
    max: 21,
    direction: 'higher-is-worse',
    // Assumption the clinic can change: 4 points (Toussaint et al., J Affect Disord 2020;265:395–401).
    mcid: 4,
    bandSystem: ALS_CODE_SYSTEM,
    bands: [
      { code: 'gad7-minimal', display: 'Minimal anxiety', min: 0, max: 4 },
      { code: 'gad7-mild', display: 'Mild anxiety', min: 5, max: 9 },
      { code: 'gad7-moderate', display: 'Moderate anxiety', min: 10, max: 14 },
      { code: 'gad7-severe', display: 'Severe anxiety', min: 15, max: 21 },
    ],
  },
];

export const gad7: InstrumentDefinition = { questionnaire: gad7Questionnaire, scores: gad7Scores, safetyRules: [] };
