import type {
  Extension,
  Questionnaire,
  QuestionnaireItem,
  QuestionnaireResponse,
  QuestionnaireResponseItemAnswer,
} from 'fhir/r4.js';
import { withContainedOptions } from './answer-options.js';
import { answerFor } from './answer-values.js';
import { answeredResponse } from './answered-response.js';
import { EXT, SDC_LAUNCH_CONTEXTS } from './codes.js';
import { launchContextsOf, unsupportedPopulationNames } from './population-names.js';
import { compileExpression } from './fhirpath-engine.js';
import { calculatedExpressionOf } from './questionnaire-index.js';
import { validateResponse } from './validation.js';

// SDC expression-based pre-population (https://hl7.org/fhir/uv/sdc/populate.html#exp-pop), "full population"
// only: the launch contexts the form declares (patient, user, encounter…), then its `variable`s, then each item's
// initialExpression (or static `initial`) gives its first answers. The caller reads the context resources from the
// EHR; this module only evaluates. Best effort, as SDC asks: what cannot be filled is left empty and reported.


export { launchContextsOf, unsupportedPopulationNames, type LaunchContextDeclaration } from './population-names.js';

export interface PopulationIssue {
  linkId?: string;
  message: string;
}

export interface Population {
  /** An in-progress response holding the pre-filled answers (only answers to items enabled in it). */
  response: QuestionnaireResponse;
  /** linkIds answered by population. */
  filled: string[];
  issues: PopulationIssue[];
}

export function initialExpressionOf(item: QuestionnaireItem): Extension['valueExpression'] | undefined {
  return item.extension?.find((e) => e.url === EXT.initialExpression)?.valueExpression;
}

/** Whether the form asks for any pre-population at all. */
export function populates(q: Questionnaire): boolean {
  const any = (items: QuestionnaireItem[] | undefined): boolean =>
    (items ?? []).some((i) => initialExpressionOf(i) !== undefined || (i.initial?.length ?? 0) > 0 || any(i.item));
  return any(q.item);
}

type Env = Record<string, unknown>;

/** A variable extension's value (FHIRPath only; an x-fhir-query cannot run here and is reported). */
function evaluateVariables(extensions: Extension[] | undefined, context: unknown, env: Env, issues: PopulationIssue[], linkId?: string): Env {
  let out = env;
  for (const { name, message } of unsupportedPopulationNames(extensions)) {
    issues.push({ ...(linkId ? { linkId } : {}), message });
    out = { ...out, [name]: [] };
  }
  for (const ext of extensions ?? []) {
    if (ext.url !== EXT.variable || !ext.valueExpression?.name) continue;
    const { name, language, expression } = ext.valueExpression;
    if (language !== 'text/fhirpath' || !expression) {
      issues.push({ ...(linkId ? { linkId } : {}), message: `Variable ${name}: only text/fhirpath expressions are evaluated` });
      out = { ...out, [name]: [] };
      continue;
    }
    try {
      out = { ...out, [name]: compileExpression(expression)(context, out) };
    } catch (err) {
      issues.push({ ...(linkId ? { linkId } : {}), message: `Variable ${name}: ${err instanceof Error ? err.message : String(err)}` });
      out = { ...out, [name]: [] };
    }
  }
  return out;
}

/** The linkId an issue path points into (its innermost `where(linkId='…')`). */
function linkIdOfIssue(expression: string): string | undefined {
  const found = [...expression.matchAll(/linkId='((?:[^'\\]|\\.)*)'/g)];
  return found.length ? found[found.length - 1][1] : undefined;
}

/**
 * Pre-fills a new response. `contexts` holds the launch-context resources by name (a declared one the caller could
 * not read is simply absent: its expressions yield nothing); `base` the response's other fields (subject…).
 * Never throws on a form's expressions; an answer the engine's own validation would refuse is left out.
 */
export function populateResponse(q: Questionnaire, contexts: Record<string, unknown>, base: Partial<QuestionnaireResponse> = {}): Population {
  const issues: PopulationIssue[] = [];
  const shell: QuestionnaireResponse = { resourceType: 'QuestionnaireResponse', status: 'in-progress', ...base, item: [] };
  const declared = launchContextsOf(q);
  const env0: Env = { resource: shell, questionnaire: q };
  for (const { name, types } of declared) {
    // Only SDC's names (refused at import since; a form stored before may still carry `constructor`, `__proto__`…).
    if (!SDC_LAUNCH_CONTEXTS.includes(name)) {
      issues.push({ message: `Launch context ${name} is not one of SDC's; ignored` });
      continue;
    }
    const value = (Object.hasOwn(contexts, name) ? contexts[name] : undefined) as { resourceType?: string } | undefined;
    if (value && types.length && !types.includes(value.resourceType ?? '')) issues.push({ message: `Launch context ${name} is a ${value.resourceType}, not ${types.join(' or ')}` });
    env0[name] = value && (!types.length || types.includes(value.resourceType ?? '')) ? value : [];
  }
  const answers: Record<string, QuestionnaireResponseItemAnswer[]> = {};
  const visit = (items: QuestionnaireItem[] | undefined, env: Env) => {
    for (const item of items ?? []) {
      const here = evaluateVariables(item.extension, shell, env, issues, item.linkId);
      const expr = initialExpressionOf(item);
      if (expr && item.type !== 'group' && item.type !== 'display' && calculatedExpressionOf(item) === undefined) {
        const filled = initialAnswers(withContainedOptions(q, item), expr, here, shell, issues);
        if (filled.length) answers[item.linkId] = filled;
      } else if (expr) {
        issues.push({ linkId: item.linkId, message: `initialExpression is not used on a ${item.type === 'group' || item.type === 'display' ? item.type : 'calculated'} item` });
      } else if (item.initial?.length) {
        answers[item.linkId] = item.initial.map((i) => ({ ...i }));
      }
      visit(item.item, here);
    }
  };
  visit(q.item, evaluateVariables(q.extension, shell, env0, issues));
  // What the engine would refuse in a draft (a value outside the options, too long…) is left for the person to answer.
  let kept = answers;
  for (let round = 0; round <= Object.keys(answers).length; round++) {
    const { response } = answeredResponse(q, kept, { ...base, status: 'in-progress' });
    const refused = new Set(validateResponse(q, response).filter((i) => i.severity === 'error').map((i) => linkIdOfIssue(i.expression)).filter((id): id is string => !!id && id in kept));
    if (!refused.size) return { response, filled: filledIn(response, kept), issues };
    for (const linkId of refused) issues.push({ linkId, message: 'The pre-filled answer does not fit the item; left empty' });
    kept = Object.fromEntries(Object.entries(kept).filter(([id]) => !refused.has(id)));
  }
  const { response } = answeredResponse(q, {}, { ...base, status: 'in-progress' });
  return { response, filled: [], issues };
}

function initialAnswers(item: QuestionnaireItem, expr: NonNullable<Extension['valueExpression']>, env: Env, context: QuestionnaireResponse, issues: PopulationIssue[]): QuestionnaireResponseItemAnswer[] {
  if (expr.language !== 'text/fhirpath' || !expr.expression) {
    issues.push({ linkId: item.linkId, message: 'Only text/fhirpath initialExpressions are evaluated' });
    return [];
  }
  let result: unknown[];
  try {
    result = compileExpression(expr.expression)(context, env);
  } catch (err) {
    issues.push({ linkId: item.linkId, message: err instanceof Error ? err.message : String(err) });
    return [];
  }
  if (result.length > 1 && !item.repeats) {
    // SDC: more values than the item takes may be left for the person to choose.
    issues.push({ linkId: item.linkId, message: `${result.length} values for an item that takes one; left empty` });
    return [];
  }
  const out: QuestionnaireResponseItemAnswer[] = [];
  for (const v of result) {
    const a = answerFor(item, v);
    if (typeof a === 'string') issues.push({ linkId: item.linkId, message: a });
    else out.push(a);
  }
  return out;
}

function filledIn(response: QuestionnaireResponse, answers: Record<string, unknown>): string[] {
  const out: string[] = [];
  const walk = (items: QuestionnaireResponse['item']) => items?.forEach((i) => (i.answer?.length && i.linkId in answers ? out.push(i.linkId) : undefined, walk(i.item)));
  walk(response.item);
  return out;
}
