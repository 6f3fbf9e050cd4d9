import { EXT, numberBound, type Answer, type Question } from './model';

// Checks one question before moving on, with the same rules the server applies on submit, so people
// learn of a problem on the screen where they can fix it. The server stays the authority.

export function checkAnswer(q: Question, answers: Answer[]): string | undefined {
  if (!answers.length) return q.item.required ? 'An answer is needed to go on.' : undefined;
  const min = numberBound(q.item, EXT.minValue);
  const max = numberBound(q.item, EXT.maxValue);
  for (const a of answers) {
    const n = a.valueInteger ?? a.valueDecimal;
    if (q.item.type === 'integer' && (n === undefined || !Number.isInteger(n))) return 'Please enter a whole number, such as 4.';
    if (q.item.type === 'decimal' && (n === undefined || Number.isNaN(n))) return 'Please enter a number, such as 2.5.';
    if (n !== undefined && min !== undefined && n < min) return `Please enter ${min} or more.`;
    if (n !== undefined && max !== undefined && n > max) return `Please enter ${max} or less.`;
    const text = a.valueString;
    if (text !== undefined && q.item.maxLength && text.length > q.item.maxLength) return `Please keep it to ${q.item.maxLength} characters.`;
  }
  return undefined;
}
