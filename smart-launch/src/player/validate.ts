import { EXT } from '@engine/codes';
import { extensionValue } from '@engine/questionnaire-index';
import { checkQuestion } from '@engine/validation.answers';
import type { ValidationRule } from '@engine/validation.types';
import type { Answer, Question } from './model';

// Checks one question before moving on with the engine's own checks (src/questionnaires/engine, the ones the
// server applies on submit), so people learn of a problem on the screen where they can fix it. Only the wording
// is the player's: the engine's messages are written for the clinic's staff. The server stays the authority.

function wording(rule: ValidationRule, q: Question): string {
  const bound = (url: string) => extensionValue(q.item, url);
  switch (rule) {
    case 'required':
      return 'An answer is needed to go on.';
    case 'answer-type':
      if (q.item.type === 'integer') return 'Please enter a whole number, such as 4.';
      if (q.item.type === 'decimal') return 'Please enter a number, such as 2.5.';
      if (q.item.type === 'date') return 'Please enter a date, such as 2026-03-31.';
      return 'Please give another answer: this one does not fit the question.';
    case 'min-value':
      return `Please enter ${bound(EXT.minValue)} or ${typeof bound(EXT.minValue) === 'string' ? 'later' : 'more'}.`;
    case 'max-value':
      return `Please enter ${bound(EXT.maxValue)} or ${typeof bound(EXT.maxValue) === 'string' ? 'earlier' : 'less'}.`;
    case 'max-length':
      return `Please keep it to ${q.item.maxLength} characters.`;
    case 'repeats':
      return 'Please choose one answer only.';
    case 'answer-option':
      return 'Please choose one of the answers shown.';
    default:
      return 'Please check this answer.';
  }
}

/** The first problem with a question's answers, in the person's words; undefined when the server would accept them. */
export function checkAnswer(q: Question, answers: Answer[]): string | undefined {
  let first: ValidationRule | undefined;
  checkQuestion(q.item, answers, q.linkId, true, (rule) => (first ??= rule));
  return first && wording(first, q);
}
