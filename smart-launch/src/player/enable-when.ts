import type { QuestionnaireItem, QuestionnaireItemEnableWhen } from 'fhir/r4';
import { answerValue, sameAnswer, type Answer, type Answers } from './model';

// enableWhen as the server evaluates it (src/questionnaires/enable-when.ts): answers looked up by linkId
// across the whole response; `!=` holds when the question is answered and no answer equals the value;
// an unanswered question makes every operator false except `exists`.

function expected(w: QuestionnaireItemEnableWhen): Answer {
  if (w.answerCoding) return { valueCoding: w.answerCoding };
  if (w.answerInteger !== undefined) return { valueInteger: w.answerInteger };
  if (w.answerDecimal !== undefined) return { valueDecimal: w.answerDecimal };
  if (w.answerBoolean !== undefined) return { valueBoolean: w.answerBoolean };
  if (w.answerDate !== undefined) return { valueDate: w.answerDate };
  return { valueString: w.answerString ?? '' };
}

function compare(a: Answer, b: Answer): number | undefined {
  const x = answerValue(a);
  const y = answerValue(b);
  if (typeof x === 'number' && typeof y === 'number') return x - y;
  if (typeof x === 'string' && typeof y === 'string') return x < y ? -1 : x > y ? 1 : 0;
  return undefined;
}

function holds(w: QuestionnaireItemEnableWhen, answers: Answers): boolean {
  const given = answers[w.question] ?? [];
  if (w.operator === 'exists') return given.length > 0 === (w.answerBoolean ?? true);
  if (!given.length) return false;
  const value = expected(w);
  switch (w.operator) {
    case '=':
      return given.some((a) => sameAnswer(a, value));
    case '!=':
      return !given.some((a) => sameAnswer(a, value));
    default: {
      const test = (d: number) => (w.operator === '>' ? d > 0 : w.operator === '<' ? d < 0 : w.operator === '>=' ? d >= 0 : d <= 0);
      return given.some((a) => {
        const d = compare(a, value);
        return d !== undefined && test(d);
      });
    }
  }
}

/** Whether an item is shown, given the answers so far (items without enableWhen always are). */
export function isEnabled(item: QuestionnaireItem, answers: Answers): boolean {
  const rules = item.enableWhen ?? [];
  if (!rules.length) return true;
  return item.enableBehavior === 'any' ? rules.some((w) => holds(w, answers)) : rules.every((w) => holds(w, answers));
}
