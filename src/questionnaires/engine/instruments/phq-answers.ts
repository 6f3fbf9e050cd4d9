import type { Coding, QuestionnaireItem } from 'fhir/r4.js';
import { alsCoding, loincCoding } from '../codes.js';
import { choiceItem, weightedOptions } from './builders.js';

// Shared by PHQ-9 and GAD-7: the LOINC answer list LL358-3 (verified, docs/architecture.md) and the
// unscored "how difficult" item that closes both published forms.

export const NOT_AT_ALL = loincCoding('LA6568-5', 'Not at all');

/** LL358-3 in published order, weighted 0..3. */
export const FREQUENCY_ANSWERS: readonly Coding[] = [
  NOT_AT_ALL,
  loincCoding('LA6569-3', 'Several days'),
  loincCoding('LA6570-1', 'More than half the days'),
  loincCoding('LA6571-9', 'Nearly every day'),
];

export function frequencyItem(linkId: string, text: string, code: Coding): QuestionnaireItem {
  return choiceItem(linkId, text, code, weightedOptions(FREQUENCY_ANSWERS, [0, 1, 2, 3]));
}

// Not LOINC-coded: the difficulty answers' LOINC codes are not on the verified list in docs/architecture.md.
const DIFFICULTY_ANSWERS: readonly Coding[] = [
  alsCoding('difficulty-not-difficult', 'Not difficult at all'),
  alsCoding('difficulty-somewhat', 'Somewhat difficult'),
  alsCoding('difficulty-very', 'Very difficult'),
  alsCoding('difficulty-extremely', 'Extremely difficult'),
];

/**
 * "If you checked off any problems…": shown only once some problem was answered above "Not at all"
 * (enableWhen, any), optional and not scored, as in the published form.
 */
export function difficultyItem(linkId: string, text: string, code: Coding, problemLinkIds: readonly string[]): QuestionnaireItem {
  return {
    linkId,
    code: [code],
    text,
    type: 'choice',
    required: false,
    repeats: false,
    enableWhen: problemLinkIds.map((question) => ({ question, operator: '!=', answerCoding: NOT_AT_ALL })),
    enableBehavior: 'any',
    answerOption: DIFFICULTY_ANSWERS.map((valueCoding) => ({ valueCoding })),
  };
}
