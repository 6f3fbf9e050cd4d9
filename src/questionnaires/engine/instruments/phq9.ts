import type { Questionnaire } from 'fhir/r4.js';
import { ALS_CODE_SYSTEM, SDC_QUESTIONNAIRE_PROFILE, alsCoding, loincCoding, questionnaireUrl } from '../codes.js';
import type { InstrumentDefinition, SafetyRule, ScoreDefinition } from '../instrument.types.js';
import { displayItem, scoreItem } from './builders.js';
import { answerValue, weightAbove, weightSum } from './expressions.js';
import { difficultyItem, frequencyItem } from './phq-answers.js';

// PHQ-9 (Kroenke, Spitzer & Williams 2001): published wording, LOINC codes only where docs/architecture.md
// lists them as verified (panel 44249-1, total 44261-6, answers LL358-3).

const PROBLEMS: readonly string[] = [
  'Little interest or pleasure in doing things',
  'Feeling down, depressed, or hopeless',
  'Trouble falling or staying asleep, or sleeping too much',
  'Feeling tired or having little energy',
  'Poor appetite or overeating',
  'Feeling bad about yourself — or that you are a failure or have let yourself or your family down',
  'Trouble concentrating on things, such as reading the newspaper or watching television',
  'Moving or speaking so slowly that other people could have noticed? Or the opposite — being so fidgety or restless that you have been moving around a lot more than usual',
  'Thoughts that you would be better off dead or of hurting yourself in some way',
];

export const PHQ9_ITEM_IDS = PROBLEMS.map((_, i) => `phq9-${i + 1}`);
const TOTAL = loincCoding('44261-6', 'Patient Health Questionnaire 9 item (PHQ-9) total score [Reported]');

export const phq9Questionnaire: Questionnaire = {
  resourceType: 'Questionnaire',
  id: 'phq-9',
  meta: { profile: [SDC_QUESTIONNAIRE_PROFILE] },
  url: questionnaireUrl('phq-9'),
  version: '1.0.0',
  name: 'PHQ9',
  title: 'Patient Health Questionnaire-9 (PHQ-9)',
  status: 'active',
  subjectType: ['Patient', 'RelatedPerson'],
  publisher: 'ALS Wellness Care Module',
  code: [loincCoding('44249-1', 'PHQ-9 quick depression assessment panel [Reported.PHQ]')],
  description:
    'Depression severity, 9 items scored 0–3, total 0–27. Kroenke K, Spitzer RL, Williams JB. The PHQ-9: ' +
    'validity of a brief depression severity measure. J Gen Intern Med 2001;16(9):606–613. ' +
    'Item 10 (difficulty) is not scored. In ALS, somatic items (3, 4, 5, 8) are confounded by the disease.',
  copyright:
    'Developed by Drs. Robert L. Spitzer, Janet B.W. Williams, Kurt Kroenke and colleagues, with an ' +
    'educational grant from Pfizer Inc. No permission required to reproduce, translate, display or distribute.',
  item: [
    displayItem('phq9-stem', 'Over the last 2 weeks, how often have you been bothered by any of the following problems?'),
    ...PROBLEMS.map((text, i) => frequencyItem(PHQ9_ITEM_IDS[i], text, alsCoding(`phq9-item-${i + 1}`, text))),
    difficultyItem(
      'phq9-10',
      'If you checked off any problems, how difficult have these problems made it for you to do your work, ' +
        'take care of things at home, or get along with other people?',
      alsCoding('phq9-item-10', 'PHQ-9 difficulty'),
      PHQ9_ITEM_IDS,
    ),
    scoreItem('phq9-total', 'PHQ-9 total score', TOTAL, 'integer', weightSum(PHQ9_ITEM_IDS)),
  ],
};

export const phq9Scores: ScoreDefinition[] = [
  {
    linkId: 'phq9-total',
    code: TOTAL,
    unit: '{score}',
    min: 0,
    max: 27,
    direction: 'higher-is-worse',
    // Assumption the clinic can change: 5 points (Löwe et al., Med Care 2004;42:1194–1201).
    mcid: 5,
    bandSystem: ALS_CODE_SYSTEM,
    bands: [
      { code: 'phq9-minimal', display: 'Minimal depression', min: 0, max: 4 },
      { code: 'phq9-mild', display: 'Mild depression', min: 5, max: 9 },
      { code: 'phq9-moderate', display: 'Moderate depression', min: 10, max: 14 },
      { code: 'phq9-moderately-severe', display: 'Moderately severe depression', min: 15, max: 19 },
      { code: 'phq9-severe', display: 'Severe depression', min: 20, max: 27 },
    ],
    note: 'Somatic items (sleep, energy, appetite, psychomotor) overlap with ALS symptoms and may inflate the total.',
  },
];

export const phq9SafetyRules: SafetyRule[] = [
  {
    id: 'self-harm-risk',
    // Any answer above "Not at all" to item 9 needs same-day clinical follow-up.
    expression: weightAbove('phq9-9', 0),
    severity: 'urgent',
    message: 'PHQ-9 item 9: thoughts of being better off dead or of self-harm reported. Assess suicide risk today.',
    level: `${answerValue('phq9-9')}.weight()`,
    crisis: true,
  },
];

export const phq9: InstrumentDefinition = {
  questionnaire: phq9Questionnaire,
  scores: phq9Scores,
  safetyRules: phq9SafetyRules,
};
