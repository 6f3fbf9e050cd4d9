import type { Extension, Questionnaire, QuestionnaireItem, QuestionnaireResponse } from 'fhir/r4.js';
import { BoundedMap } from './bounded-map.js';
import { EXT } from './codes.js';
import { evaluateOnResponse, FhirPathBudgetExceeded } from './fhirpath-engine.js';
import { launchContextsOf, unsupportedPopulationNames } from './population-names.js';
import { indexQuestionnaire } from './questionnaire-index.js';

// SDC `variable`s (https://hl7.org/fhir/uv/sdc/expressions.html#variable) for a calculatedExpression or an
// enableWhenExpression: the Questionnaire's, then each enclosing item's, then the item's own, in document order,
// each seeing those before it. A variable on an item is evaluated with that item's answers as its context (SDC:
// the item's QuestionnaireResponse.item, its first instance), one on the Questionnaire with the response. Forms
// written for other SDC fillers (LHC-Forms, SMART Forms) compute their scores and BMI through them.

export interface VariableInScope {
  name: string;
  /** FHIRPath text; undefined for another language (an x-fhir-query runs only at pre-population). */
  expression: string | undefined;
  /** The item that declares it, outermost first; undefined: the Questionnaire. */
  owner: QuestionnaireItem | undefined;
  /** The declaring item's linkId path from the top (empty for the Questionnaire). */
  path: string[];
}

const scopes = new WeakMap<Questionnaire, Map<string, VariableInScope[]>>();

function declared(extensions: Extension[] | undefined, owner: QuestionnaireItem | undefined, path: string[]): VariableInScope[] {
  return (extensions ?? [])
    .filter((e) => e.url === EXT.variable && e.valueExpression?.name)
    .map((e) => ({
      name: e.valueExpression!.name!,
      expression: e.valueExpression!.language === 'text/fhirpath' ? e.valueExpression!.expression : undefined,
      owner,
      path,
    }));
}

/** The variables an item's expressions see, in the order they are evaluated (cached per Questionnaire object). */
export function variablesInScope(questionnaire: Questionnaire, linkId: string): VariableInScope[] {
  let byItem = scopes.get(questionnaire);
  if (!byItem) scopes.set(questionnaire, (byItem = new Map()));
  let found = byItem.get(linkId);
  if (!found) {
    const entry = indexQuestionnaire(questionnaire).byLinkId.get(linkId);
    const chain = entry ? [...entry.ancestors, entry.item] : [];
    found = declared(questionnaire.extension, undefined, []);
    chain.forEach((item, i) => found!.push(...declared(item.extension, item, chain.slice(0, i + 1).map((a) => a.linkId))));
    byItem.set(linkId, found);
  }
  return found;
}

/** The FHIRPath that finds the answers of the item at `path` (linkIds from the top): a variable's context there. */
export function variableContextExpression(path: readonly string[]): string {
  return `%resource${path.map((id) => `.item.where(linkId = ${quoted(id)})`).join('')}.first()`;
}

const quoted = (linkId: string) => `'${linkId.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/**
 * The `%names` an expression reads: `%name`, %`name` and %'name' (FHIRPath's external constants), outside string
 * literals and comments. Read from the text (cached): a variable is evaluated only when an expression reads it.
 */
export function referencedNames(expression: string): Set<string> {
  let names = referenced.get(expression);
  if (!names) {
    names = new Set();
    const pattern = /%`((?:[^`\\]|\\.)*)`|%'((?:[^'\\]|\\.)*)'|%([A-Za-z_][A-Za-z0-9_]*)|'(?:[^'\\]|\\.)*'|`(?:[^`\\]|\\.)*`|\/\/[^\n]*|\/\*[\s\S]*?\*\//g;
    for (const m of expression.matchAll(pattern)) {
      const name = m[1] ?? m[2] ?? m[3];
      if (name !== undefined) names.add(name.replace(/\\(.)/g, '$1'));
    }
    referenced.set(expression, names);
  }
  return names;
}
const referenced = new BoundedMap<string, Set<string>>(2000);

const emptyNames = new WeakMap<Questionnaire, Record<string, unknown>>();

/**
 * Names a save does not fill: the launch contexts (%patient, %user, %encounter: pre-population's) and the
 * itemPopulationContext / sourceQueries names this module does not evaluate, all empty, as the import's checks see them.
 */
function namesEmptyAtSave(questionnaire: Questionnaire): Record<string, unknown> {
  let names = emptyNames.get(questionnaire);
  if (!names) {
    names = {};
    for (const { name } of launchContextsOf(questionnaire)) names[name] = [];
    const lists = [questionnaire.extension, ...[...indexQuestionnaire(questionnaire).byLinkId.values()].map((e) => e.item.extension)];
    for (const list of lists) for (const { name } of unsupportedPopulationNames(list)) names[name] = [];
    emptyNames.set(questionnaire, names);
  }
  return names;
}

/**
 * Values of variables already computed over one state of a response, by declaration: create one per response and
 * drop it (or clear it) when that response changes (calculateResponse places each computed answer).
 */
/** A variable whose expression failed: its readers fail with the same error (cached like a value). */
interface VariableFailure {
  failed: unknown;
}
export type VariableCache = Map<string, unknown[] | VariableFailure>;

/**
 * The FHIRPath environment (`%name` entries) for `expression` on the item: the variables in scope that it reads,
 * following chains through the variables' own expressions (each sees only those declared before it; a later
 * declaration of a name shadows an earlier one), and nothing else. A variable in another language is empty. One
 * whose expression fails makes the expression that reads it fail with the same error (not empty): a broken condition
 * must not hide a question (an enableWhenExpression that fails enables its item) and a broken score reports an
 * error, not missing answers. Variables the expression does not read cannot make it fail. Launch contexts and
 * population names are empty here (namesEmptyAtSave).
 */
export function variablesFor(
  questionnaire: Questionnaire,
  linkId: string,
  response: QuestionnaireResponse,
  expression: string,
  cache: VariableCache = new Map(),
): Record<string, unknown> {
  const scope = variablesInScope(questionnaire, linkId);
  const base = namesEmptyAtSave(questionnaire);
  const envFor = (text: string, before: number): Record<string, unknown> => {
    const env: Record<string, unknown> = { ...base };
    for (const name of referencedNames(text)) {
      let j = before - 1;
      while (j >= 0 && scope[j].name !== name) j--;
      if (j >= 0) env[name] = valueAt(j);
    }
    return env;
  };
  const valueAt = (i: number): unknown[] => {
    const v = scope[i];
    // The same declaration has the same place in the scope of every item under its owner.
    const key = `${i}|${JSON.stringify(v.path)}`;
    let value = cache.get(key);
    if (value === undefined) {
      try {
        value = v.expression === undefined ? [] : evaluateVariable(v, v.expression, envFor(v.expression, i), response, questionnaire);
      } catch (err) {
        if (err instanceof FhirPathBudgetExceeded) throw err; // a runaway form is refused, not answered around
        value = { failed: err };
      }
      cache.set(key, value);
    }
    if (!Array.isArray(value)) throw value.failed;
    return value;
  };
  return envFor(expression, scope.length);
}

function evaluateVariable(v: VariableInScope, expression: string, env: Record<string, unknown>, response: QuestionnaireResponse, questionnaire: Questionnaire): unknown[] {
  // An item not (yet) in the response (unanswered, or a calculated item before its value) is an empty item there.
  const context = v.owner
    ? (evaluateOnResponse(variableContextExpression(v.path), response, questionnaire)[0] ?? { linkId: v.owner.linkId })
    : response;
  return evaluateOnResponse(expression, response, questionnaire, env, context);
}
