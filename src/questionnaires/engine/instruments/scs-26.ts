import type { Coding, Questionnaire } from 'fhir/r4.js';
import { ALS_CODE_SYSTEM, SDC_QUESTIONNAIRE_PROFILE, alsCoding, questionnaireUrl } from '../codes.js';
import type { InstrumentDefinition, ScoreDefinition } from '../instrument.types.js';
import { choiceItem, displayItem, scoreItem, weightedOptions } from './builders.js';
import { answerValue, weightMean } from './expressions.js';

// Self-Compassion Scale, 26 items (Neff 2003), beside the short form. Items of the three negative subscales
// carry reversed weights (6 − x), as in SCS-SF, so each weight is the item's share of self-compassion. The
// published subscale scores are means of the answers as given: a negative subscale is 6 − its weights' mean.
// The total is the mean of the six subscale means with the negative ones reversed (Neff's scoring key).

/** Item wording as published by Neff (2003); numbered 1–26 in this order. */
const STATEMENTS: readonly string[] = [
  "I'm disapproving and judgmental about my own flaws and inadequacies.",
  "When I'm feeling down I tend to obsess and fixate on everything that's wrong.",
  'When things are going badly for me, I see the difficulties as part of life that everyone goes through.',
  'When I think about my inadequacies, it tends to make me feel more separate and cut off from the rest of the world.',
  "I try to be loving towards myself when I'm feeling emotional pain.",
  'When I fail at something important to me I become consumed by feelings of inadequacy.',
  "When I'm down and out, I remind myself that there are lots of other people in the world feeling like I am.",
  'When times are really difficult, I tend to be tough on myself.',
  'When something upsets me I try to keep my emotions in balance.',
  'When I feel inadequate in some way, I try to remind myself that feelings of inadequacy are shared by most people.',
  "I'm intolerant and impatient towards those aspects of my personality I don't like.",
  "When I'm going through a very hard time, I give myself the caring and tenderness I need.",
  "When I'm feeling down, I tend to feel like most other people are probably happier than I am.",
  'When something painful happens I try to take a balanced view of the situation.',
  'I try to see my failings as part of the human condition.',
  "When I see aspects of myself that I don't like, I get down on myself.",
  'When I fail at something important to me I try to keep things in perspective.',
  "When I'm really struggling, I tend to feel like other people must be having an easier time of it.",
  "I'm kind to myself when I'm experiencing suffering.",
  'When something upsets me I get carried away with my feelings.',
  "I can be a bit cold-hearted towards myself when I'm experiencing suffering.",
  "When I'm feeling down I try to approach my feelings with curiosity and openness.",
  "I'm tolerant of my own flaws and inadequacies.",
  'When something painful happens I tend to blow the incident out of proportion.',
  "When I fail at something that's important to me, I tend to feel alone in my failure.",
  "I try to be understanding and patient towards those aspects of my personality I don't like.",
];

export interface ScsSubscale {
  linkId: string;
  title: string;
  items: readonly number[];
  /** Self-Judgment, Isolation, Over-Identification: higher means less self-compassion; reversed in the total. */
  negative: boolean;
}

/** Neff's coding key. */
export const SCS_SUBSCALES: readonly ScsSubscale[] = [
  { linkId: 'scs-self-kindness', title: 'Self-Kindness', items: [5, 12, 19, 23, 26], negative: false },
  { linkId: 'scs-self-judgment', title: 'Self-Judgment', items: [1, 8, 11, 16, 21], negative: true },
  { linkId: 'scs-common-humanity', title: 'Common Humanity', items: [3, 7, 10, 15], negative: false },
  { linkId: 'scs-isolation', title: 'Isolation', items: [4, 13, 18, 25], negative: true },
  { linkId: 'scs-mindfulness', title: 'Mindfulness', items: [9, 14, 17, 22], negative: false },
  { linkId: 'scs-over-identification', title: 'Over-Identification', items: [2, 6, 20, 24], negative: true },
];

export const SCS_REVERSED_ITEMS: readonly number[] = SCS_SUBSCALES.filter((s) => s.negative).flatMap((s) => s.items);
export const SCS_ITEM_IDS = STATEMENTS.map((_, i) => `scs-${i + 1}`);
const itemId = (n: number) => `scs-${n}`;

/** The published scale labels only its ends (as SCS-SF). */
const ANSWERS: readonly Coding[] = [
  alsCoding('scs-answer-1', 'Almost never'),
  alsCoding('scs-answer-2', '2'),
  alsCoding('scs-answer-3', '3'),
  alsCoding('scs-answer-4', '4'),
  alsCoding('scs-answer-5', 'Almost always'),
];

const subscaleCode = (s: ScsSubscale) => alsCoding(s.linkId, `Self-Compassion Scale ${s.title} subscale mean`);
const TOTAL = alsCoding('scs-total', 'Self-Compassion Scale total score');

/** Mean of the answers as given; not prorated: one unanswered item gives no subscale score. */
function subscaleExpression(s: ScsSubscale): string {
  const weights = weightMean(s.items.map(itemId));
  return s.negative ? `(6 - (${weights})).round(2)` : weights;
}

/** Mean of the six subscale means, the negative ones reversed; empty unless all six are scored. */
function totalExpression(): string {
  const terms = SCS_SUBSCALES.map((s) => (s.negative ? `(6 - ${answerValue(s.linkId)})` : answerValue(s.linkId)));
  return `((${terms.join(' + ')}) / 6).round(2)`;
}

const CITATION =
  'Neff, K. D. (2003). The development and validation of a scale to measure self-compassion. ' +
  'Self and Identity, 2(3), 223–250. https://doi.org/10.1080/15298860309027';

export const scs26Questionnaire: Questionnaire = {
  resourceType: 'Questionnaire',
  id: 'scs-26',
  meta: { profile: [SDC_QUESTIONNAIRE_PROFILE] },
  extension: [
    {
      url: 'http://hl7.org/fhir/StructureDefinition/cqf-relatedArtifact',
      valueRelatedArtifact: { type: 'citation', citation: CITATION, url: 'https://doi.org/10.1080/15298860309027' },
    },
  ],
  url: questionnaireUrl('scs-26'),
  version: '1.0.0',
  name: 'SCS26',
  title: 'Self-Compassion Scale (SCS, 26 items)',
  status: 'active',
  subjectType: ['Patient', 'RelatedPerson'],
  publisher: 'ALS Wellness Care Module',
  code: [alsCoding('scs-26', 'Self-Compassion Scale (26 items)')],
  description:
    'Self-compassion, 26 items scored 1–5. Subscale scores are the means of their answers: Self-Kindness ' +
    '(items 5, 12, 19, 23, 26), Self-Judgment (1, 8, 11, 16, 21), Common Humanity (3, 7, 10, 15), Isolation ' +
    '(4, 13, 18, 25), Mindfulness (9, 14, 17, 22), Over-Identification (2, 6, 20, 24). Total = mean of the six ' +
    'subscale means after reversing the Self-Judgment, Isolation and Over-Identification items (6 − x), 1–5. ' +
    `Not prorated: a subscale with an unanswered item has no score, nor then has the total. ${CITATION}`,
  copyright:
    '© Kristin D. Neff 2003. The author allows use of the Self-Compassion Scale without permission for research ' +
    'and clinical work (self-compassion.org); cite Neff (2003).',
  item: [
    // "To the left of each item" in the paper form becomes "for each statement" on screen, as in SCS-SF.
    displayItem(
      'scs-stem',
      'How I typically act towards myself in difficult times. Please read each statement carefully before ' +
        'answering. For each statement, indicate how often you behave in the stated manner, using the scale ' +
        'from 1 (Almost never) to 5 (Almost always).',
    ),
    ...STATEMENTS.map((text, i) =>
      choiceItem(SCS_ITEM_IDS[i], text, alsCoding(`scs-item-${i + 1}`, text),
        weightedOptions(ANSWERS, SCS_REVERSED_ITEMS.includes(i + 1) ? [5, 4, 3, 2, 1] : [1, 2, 3, 4, 5])),
    ),
    ...SCS_SUBSCALES.map((s) => scoreItem(s.linkId, `SCS ${s.title}`, subscaleCode(s), 'decimal', subscaleExpression(s))),
    scoreItem('scs-total', 'SCS total score', TOTAL, 'decimal', totalExpression()),
  ],
};

export const scs26Scores: ScoreDefinition[] = [
  // Neff publishes no cut-offs per subscale: no bands. Negative subscales read "higher is worse".
  ...SCS_SUBSCALES.map((s): ScoreDefinition => ({
    linkId: s.linkId,
    code: subscaleCode(s),
    unit: '{score}',
    min: 1,
    max: 5,
    direction: s.negative ? 'higher-is-worse' : 'higher-is-better',
    bands: [],
  })),
  {
    linkId: 'scs-total',
    code: TOTAL,
    unit: '{score}',
    min: 1,
    max: 5,
    direction: 'higher-is-better',
    // Assumption the clinic can change: no published MCID; 0.5 (about half an SD), as for SCS-SF.
    mcid: 0.5,
    bandSystem: ALS_CODE_SYSTEM,
    // Neff's rough guide (1–2.5 low, 2.5–3.5 moderate, 3.5–5 high); the total is rounded to 2 decimals.
    bands: [
      { code: 'scs-low', display: 'Low self-compassion', min: 1, max: 2.49 },
      { code: 'scs-moderate', display: 'Moderate self-compassion', min: 2.5, max: 3.5 },
      { code: 'scs-high', display: 'High self-compassion', min: 3.51, max: 5 },
    ],
  },
];

export const scs26: InstrumentDefinition = { questionnaire: scs26Questionnaire, scores: scs26Scores, safetyRules: [] };
