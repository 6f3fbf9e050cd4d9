import { EXT } from '@engine/codes';
import { extensionValue } from '@engine/questionnaire-index';
import { checkQuestion } from '@engine/validation.answers';
import type { ValidationRule } from '@engine/validation.types';
import type { T } from '../lib/i18n';
import type { Answer, Question } from './model';

// Checks one question before moving on with the engine's own checks (src/questionnaires/engine, the ones the
// server applies on submit), so people learn of a problem on the screen where they can fix it. Only the wording
// is the player's, in the person's language (t): the engine's messages are written for the clinic's staff. The
// server stays the authority.

function wording(rule: ValidationRule, q: Question, t: T): string {
  const bound = (url: string) => extensionValue(q.item, url);
  const isDate = (url: string) => typeof bound(url) === 'string';
  switch (rule) {
    case 'required':
      return t('An answer is needed to go on.');
    case 'answer-type':
      if (q.item.type === 'integer') return t('Please enter a whole number, such as 4.');
      if (q.item.type === 'decimal') return t('Please enter a number, such as 2.5.');
      if (q.item.type === 'date') return t('Please enter a date, such as 2026-03-31.');
      return t('Please give another answer: this one does not fit the question.');
    case 'min-value':
      return t(isDate(EXT.minValue) ? 'Please enter {bound} or later.' : 'Please enter {bound} or more.', { bound: String(bound(EXT.minValue)) });
    case 'max-value':
      return t(isDate(EXT.maxValue) ? 'Please enter {bound} or earlier.' : 'Please enter {bound} or less.', { bound: String(bound(EXT.maxValue)) });
    case 'max-length':
      return t('Please keep it to {max} characters.', { max: q.item.maxLength ?? '' });
    case 'repeats':
      return t('Please choose one answer only.');
    case 'answer-option':
      return t('Please choose one of the answers shown.');
    default:
      return t('Please check this answer.');
  }
}

/** The first problem with a question's answers, in the person's words; undefined when the server would accept them. */
export function checkAnswer(q: Question, answers: Answer[], t: T): string | undefined {
  let first: ValidationRule | undefined;
  checkQuestion(q.item, answers, q.linkId, true, (rule) => (first ??= rule));
  return first && wording(first, q, t);
}
