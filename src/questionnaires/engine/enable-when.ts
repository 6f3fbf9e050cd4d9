import type {
  Questionnaire,
  QuestionnaireItem,
  QuestionnaireItemEnableWhen,
  QuestionnaireResponse,
  QuestionnaireResponseItemAnswer,
} from 'fhir/r4.js';
import { evaluateOnResponse, FhirPathBudgetExceeded, isTrue } from './fhirpath-engine.js';
import { enableWhenExpressionOf } from './questionnaire-index.js';
import { allResponseItems, listOf } from './response-tree.js';
import { variablesFor, type VariableCache } from './variables.js';

// enableWhen / enableWhenExpression evaluation. Answers are looked up by linkId across the whole
// response: inside repeating groups this does not scope to the group instance (none of ours repeat).

export interface EnableContext {
  questionnaire: Questionnaire;
  response: QuestionnaireResponse;
  answers: Map<string, QuestionnaireResponseItemAnswer[]>;
  /** Variables computed over this response, shared by its items' expressions (the response must not change meanwhile). */
  variables: VariableCache;
}

export function enableContext(questionnaire: Questionnaire, response: QuestionnaireResponse): EnableContext {
  const answers = new Map<string, QuestionnaireResponseItemAnswer[]>();
  // Appended in place: copying the list for each item with a linkId seen before grew with the square of the copies
  // (a hostile body of 20 000 copies of one item took 20 s here).
  for (const item of allResponseItems(response.item)) {
    const list = answers.get(item.linkId);
    if (list) for (const a of listOf(item.answer)) list.push(a);
    else answers.set(item.linkId, [...listOf(item.answer)]);
  }
  return { questionnaire, response, answers, variables: new Map() };
}

/** Whether the item is enabled (its ancestors are the caller's concern). */
export function isEnabled(item: QuestionnaireItem, ctx: EnableContext): boolean {
  const expression = enableWhenExpressionOf(item);
  if (expression !== undefined) {
    try {
      return isTrue(evaluateOnResponse(expression, ctx.response, ctx.questionnaire, variablesFor(ctx.questionnaire, item.linkId, ctx.response, expression, ctx.variables)));
    } catch (err) {
      if (err instanceof FhirPathBudgetExceeded) throw err; // a runaway form is refused, not answered around
      return true; // a broken condition must not hide a question; import validation reports it
    }
  }
  const conditions = item.enableWhen ?? [];
  if (conditions.length === 0) return true;
  const met = (c: QuestionnaireItemEnableWhen) => conditionMet(c, ctx.answers.get(c.question) ?? []);
  return item.enableBehavior === 'any' ? conditions.some(met) : conditions.every(met);
}

/** linkIds of every item enabled in the response: enabled itself and inside enabled items only, as validateResponse walks them. */
export function enabledItems(questionnaire: Questionnaire, response: QuestionnaireResponse): Set<string> {
  const ctx = enableContext(questionnaire, response);
  const enabled = new Set<string>();
  const visit = (items: QuestionnaireItem[] | undefined): void =>
    items?.forEach((item) => {
      if (!isEnabled(item, ctx)) return;
      enabled.add(item.linkId);
      visit(item.item);
    });
  visit(questionnaire.item);
  return enabled;
}

function conditionMet(condition: QuestionnaireItemEnableWhen, answers: QuestionnaireResponseItemAnswer[]): boolean {
  if (condition.operator === 'exists') return condition.answerBoolean === answers.length > 0;
  if (answers.length === 0) return false;
  const expected = valueOf(condition, 'answer');
  const comparisons = answers.map((a) => compare(valueOf(a, 'value'), expected));
  switch (condition.operator) {
    case '=': return comparisons.includes(0);
    // "!=": answered, and no answer equals the value.
    case '!=': return !comparisons.includes(0);
    case '>': return comparisons.some((c) => c !== undefined && c > 0);
    case '<': return comparisons.some((c) => c !== undefined && c < 0);
    case '>=': return comparisons.some((c) => c !== undefined && c >= 0);
    case '<=': return comparisons.some((c) => c !== undefined && c <= 0);
    default: return false;
  }
}

/** The single value[x] (or answer[x]) of an answer or enableWhen. */
export function valueOf(element: object, prefix: 'value' | 'answer'): unknown {
  const key = Object.keys(element).find((k) => k.startsWith(prefix) && k.length > prefix.length);
  return key === undefined ? undefined : (element as Record<string, unknown>)[key];
}

type Comparable = { code?: string; system?: string; value?: number; reference?: string };

/** -1/0/1, 0 for equal codings (system checked only when the condition names one); undefined when not comparable. */
function compare(actual: unknown, expected: unknown): number | undefined {
  if (typeof actual === 'number' && typeof expected === 'number') return Math.sign(actual - expected);
  if (typeof actual === 'string' && typeof expected === 'string') return actual === expected ? 0 : actual < expected ? -1 : 1;
  if (typeof actual === 'boolean' && typeof expected === 'boolean') return actual === expected ? 0 : undefined;
  if (actual && expected && typeof actual === 'object' && typeof expected === 'object') {
    const [a, e] = [actual as Comparable, expected as Comparable];
    if (e.code !== undefined) return a.code === e.code && (e.system === undefined || a.system === e.system) ? 0 : undefined;
    if (e.reference !== undefined) return a.reference === e.reference ? 0 : undefined;
    if (typeof a.value === 'number' && typeof e.value === 'number') return Math.sign(a.value - e.value);
  }
  return undefined;
}
