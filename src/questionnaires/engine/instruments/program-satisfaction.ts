import type { Coding, Questionnaire } from 'fhir/r4.js';
import { SDC_QUESTIONNAIRE_PROFILE, alsCoding, questionnaireUrl } from '../codes.js';
import type { InstrumentDefinition, ScoreDefinition } from '../instrument.types.js';
import { choiceItem, scoreItem, textItem, weightedOptions } from './builders.js';
import { inGroup, weightMean } from './expressions.js';

// The module's own acceptability questionnaire: five ratings (1–5, higher is better) in one group,
// and free-text comments. Only the overall rating is required, to spare patients who tire.

function scale(prefix: string, labels: readonly string[]): Coding[] {
  return labels.map((display, i) => alsCoding(`${prefix}-${i + 1}`, display));
}

const SATISFIED = scale('satisfaction', ['Very dissatisfied', 'Dissatisfied', 'Neither satisfied nor dissatisfied', 'Satisfied', 'Very satisfied']);
const LIKELY = scale('recommend', ['Definitely not', 'Probably not', 'Not sure', 'Probably yes', 'Definitely yes']);
const HELPFUL = scale('helpful', ['Not at all helpful', 'Slightly helpful', 'Moderately helpful', 'Very helpful', 'Extremely helpful']);
const AGREE = scale('agree', ['Strongly disagree', 'Disagree', 'Neither agree nor disagree', 'Agree', 'Strongly agree']);
const ONE_TO_FIVE = [1, 2, 3, 4, 5];

const RATINGS: ReadonlyArray<[linkId: string, text: string, answers: Coding[]]> = [
  ['satisfaction-overall', 'Overall, how satisfied are you with the program?', SATISFIED],
  ['satisfaction-recommend', 'Would you recommend this program to other people living with ALS or to their caregivers?', LIKELY],
  ['satisfaction-helpful', 'How helpful were the sessions for you?', HELPFUL],
  ['satisfaction-pace', 'The pace of the sessions was manageable given my energy and fatigue.', AGREE],
  ['satisfaction-access', 'The online format was accessible to me (for example with my speech, breathing, hand function or devices).', AGREE],
];

export const SATISFACTION_ITEM_IDS = RATINGS.map(([linkId]) => linkId);
const MEAN = alsCoding('satisfaction-mean', 'Program satisfaction mean rating');

export const programSatisfactionQuestionnaire: Questionnaire = {
  resourceType: 'Questionnaire',
  id: 'program-satisfaction',
  meta: { profile: [SDC_QUESTIONNAIRE_PROFILE] },
  url: questionnaireUrl('program-satisfaction'),
  version: '1.0.0',
  name: 'ProgramSatisfaction',
  title: 'ALS wellness program satisfaction',
  status: 'active',
  subjectType: ['Patient', 'RelatedPerson'],
  publisher: 'ALS Wellness Care Module',
  code: [alsCoding('program-satisfaction', 'ALS wellness program satisfaction')],
  description:
    "The module's own acceptability questionnaire for the ALS wellness program: five ratings from 1 to 5 " +
    '(overall satisfaction, would recommend, helpfulness, pace given fatigue, accessibility of the online ' +
    'format) and comments. Score: mean of the answered ratings when at least 3 of 5 are answered.',
  copyright: 'ALS Wellness Care Module; free to use.',
  item: [
    {
      linkId: 'satisfaction-ratings',
      text: 'Please tell us about your experience of the program.',
      type: 'group',
      required: true,
      item: RATINGS.map(([linkId, text, answers], i) =>
        choiceItem(linkId, text, alsCoding(linkId, text), weightedOptions(answers, ONE_TO_FIVE), i === 0)),
    },
    textItem('satisfaction-comments', 'Any comments or suggestions?', alsCoding('satisfaction-comments', 'Comments'), 2000),
    // Prorated on purpose: this is our own measure, and a missing rating should not lose the others.
    scoreItem('satisfaction-mean', 'Mean satisfaction rating', MEAN, 'decimal', weightMean(SATISFACTION_ITEM_IDS, 3, inGroup('satisfaction-ratings'))),
  ],
};

export const programSatisfactionScores: ScoreDefinition[] = [
  {
    linkId: 'satisfaction-mean',
    code: MEAN,
    unit: '{score}',
    min: 1,
    max: 5,
    direction: 'higher-is-better',
    bands: [
      { code: 'satisfaction-low', display: 'Dissatisfied', min: 1, max: 2.99 },
      { code: 'satisfaction-neutral', display: 'Neutral', min: 3, max: 3.99 },
      { code: 'satisfaction-high', display: 'Satisfied', min: 4, max: 5 },
    ],
  },
];

export const programSatisfaction: InstrumentDefinition = {
  questionnaire: programSatisfactionQuestionnaire,
  scores: programSatisfactionScores,
  safetyRules: [],
};
