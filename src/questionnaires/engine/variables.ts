import type { Extension, Questionnaire, QuestionnaireItem, QuestionnaireResponse } from 'fhir/r4.js';
import { EXT } from './codes.js';
import { evaluateOnResponse } from './fhirpath-engine.js';
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

const quoted = (linkId: string) => `'${linkId.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/**
 * The values of the variables in scope for the item, as FHIRPath environment entries (`%name`). A variable in
 * another language is empty here. Throws what the expressions throw: the caller decides (a score reports an error,
 * an enableWhenExpression enables its item).
 */
export function variablesFor(questionnaire: Questionnaire, linkId: string, response: QuestionnaireResponse): Record<string, unknown> {
  const variables = variablesInScope(questionnaire, linkId);
  const env: Record<string, unknown> = {};
  for (const v of variables) {
    if (v.expression === undefined) {
      env[v.name] = [];
      continue;
    }
    // An item not (yet) in the response (unanswered, or a calculated item before its value) is an empty item there.
    const context = v.owner
      ? (evaluateOnResponse(`%resource${v.path.map((id) => `.item.where(linkId = ${quoted(id)})`).join('')}.first()`, response, questionnaire)[0] ?? { linkId: v.owner.linkId })
      : response;
    env[v.name] = evaluateOnResponse(v.expression, response, questionnaire, env, context);
  }
  return env;
}
