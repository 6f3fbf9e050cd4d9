import type { Coding, QuestionnaireItem, QuestionnaireResponse, QuestionnaireResponseItemAnswer } from 'fhir/r4.js';
import { withContainedOptions } from './answer-options.js';
import { answerFor } from './answer-values.js';
import { ALS_CODE_SYSTEM } from './codes.js';
import { evaluateOnResponse, FhirPathBudgetExceeded } from './fhirpath-engine.js';
import type { InstrumentDefinition, ScoreDefinition } from './instrument.types.js';
import { calculatedExpressionOf, indexQuestionnaire, type QuestionnaireIndex } from './questionnaire-index.js';
import { placeCalculatedAnswer, withoutCalculatedItems } from './response-tree.js';
import { variablesFor, type VariableCache } from './variables.js';

/** Why a score has no value: answers missing (the expression yields nothing), or a failure. */
export type ScoreGap = 'incomplete' | 'error' | 'out-of-range';

export interface ScoreResult {
  linkId: string;
  code: Coding;
  /** null when the score cannot be computed; see `gap`. */
  value: number | null;
  unit: string;
  band?: Coding;
  gap?: ScoreGap;
  message?: string;
}

export interface CalculatedValue {
  value: number | null;
  error?: string;
}

export interface CalculatedResponse {
  /** The response with client-sent calculated answers replaced by computed ones: store and write back this. */
  response: QuestionnaireResponse;
  values: Map<string, CalculatedValue>;
}

/**
 * Evaluates every calculatedExpression of the form, in document order, each seeing the values
 * computed before it (WHO-5's percentage reads its raw sum). Never throws on bad input.
 * `values` holds each calculated item's number (null for a value that is no number: a choice, a boolean…).
 */
export function calculateResponse(definition: InstrumentDefinition, response: QuestionnaireResponse): CalculatedResponse {
  const { questionnaire } = definition;
  const index = indexQuestionnaire(questionnaire);
  const working = withoutCalculatedItems(response, index);
  const values = new Map<string, CalculatedValue>();
  // Variables computed over `working` as it stands: cleared whenever a computed answer is placed in it.
  const variables: VariableCache = new Map();
  for (const { item } of index.calculated) {
    const computed = evaluate(item, calculatedExpressionOf(item) as string, working, definition, variables);
    if ('error' in computed) {
      values.set(item.linkId, { value: null, error: computed.error });
    } else if (computed.answer === undefined) {
      values.set(item.linkId, { value: null });
    } else {
      values.set(item.linkId, { value: computed.value });
      placeOrReport(working, index, item.linkId, computed.answer, values);
      variables.clear();
    }
  }
  return { response: working, values };
}

function placeOrReport(
  working: QuestionnaireResponse,
  index: QuestionnaireIndex,
  linkId: string,
  answer: QuestionnaireResponseItemAnswer,
  values: Map<string, CalculatedValue>,
): void {
  try {
    placeCalculatedAnswer(working, index, linkId, answer);
  } catch (err) {
    values.set(linkId, { value: null, error: err instanceof Error ? err.message : String(err) });
  }
}

type Evaluated = { value: number | null; answer?: QuestionnaireResponseItemAnswer } | { error: string };

/**
 * The item's answer from its expression: a number for an integer or decimal item (a score), else any value the
 * item's type takes (SDC: a choice computed as one of its options, a boolean, a string, a number in a quantity
 * item's unit…); `value` is the number, for scores. Nothing computed (answers missing) is no answer, not an error.
 */
function evaluate(item: QuestionnaireItem, expression: string, working: QuestionnaireResponse, definition: InstrumentDefinition, variables: VariableCache): Evaluated {
  try {
    const { questionnaire } = definition;
    const result = evaluateOnResponse(expression, working, questionnaire, variablesFor(questionnaire, item.linkId, working, expression, variables));
    if (result.length === 0) return { value: null };
    const [value] = result;
    if (item.type === 'integer' || item.type === 'decimal') {
      if (result.length !== 1 || typeof value !== 'number' || !Number.isFinite(value)) return { error: `Expected one number, got ${JSON.stringify(result)}` };
      const answer = item.type === 'integer' ? (Number.isInteger(value) ? { valueInteger: value } : undefined) : { valueDecimal: value };
      return answer ? { value, answer } : { error: `${value} is not a valid ${item.type}` };
    }
    if (result.length !== 1) return { error: `Expected one value for a ${item.type} item, got ${JSON.stringify(result).slice(0, 120)}` };
    const answer = answerFor(withContainedOptions(questionnaire, item), value);
    if (typeof answer === 'string') return { error: answer };
    return { value: answer.valueQuantity?.value ?? null, answer };
  } catch (err) {
    if (err instanceof FhirPathBudgetExceeded) throw err; // a runaway form is refused, not scored around
    return { error: err instanceof Error ? err.message : String(err) };
  }
}

/** Scores of the definition, recomputed from the answers alone (client-sent scores are ignored). */
export function scoreResponse(definition: InstrumentDefinition, response: QuestionnaireResponse): ScoreResult[] {
  return scoresFrom(definition, calculateResponse(definition, response));
}

/** Same as scoreResponse when the response was already calculated (avoids computing twice). */
export function scoresFrom(definition: InstrumentDefinition, calculated: CalculatedResponse): ScoreResult[] {
  return definition.scores.map((score) => {
    const base = { linkId: score.linkId, code: score.code, unit: score.unit };
    const computed = calculated.values.get(score.linkId) ?? { value: null, error: `No calculated item ${score.linkId}` };
    if (computed.error !== undefined) return { ...base, value: null, gap: 'error', message: computed.error };
    if (computed.value === null) return { ...base, value: null, gap: 'incomplete' };
    if (computed.value < score.min || computed.value > score.max) {
      return { ...base, value: null, gap: 'out-of-range', message: `${computed.value} outside ${score.min}–${score.max}` };
    }
    return { ...base, value: computed.value, band: bandFor(score, computed.value) };
  });
}

/** The first band (ascending) whose upper cut-off the value does not exceed. */
export function bandFor(score: ScoreDefinition, value: number): Coding | undefined {
  const band = score.bands.find((b) => value <= b.max);
  return band && { system: score.bandSystem ?? ALS_CODE_SYSTEM, code: band.code, display: band.display };
}
