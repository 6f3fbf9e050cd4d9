import type { Questionnaire, QuestionnaireItem } from 'fhir/r4.js';
import { COMPUTABLE_TYPES } from './answer-values.js';
import { EXT, SDC_LAUNCH_CONTEXTS } from './codes.js';
import { checkExpression } from './fhirpath-engine.js';
import { dryRunSave } from './import-dry-run.js';
import { checkSafetyRules, checkScores } from './import-validation.metadata.js';
import type { InstrumentDefinition, SafetyRule, ScoreDefinition } from './instrument.types.js';
import { launchContextsOf, unsupportedPopulationNames } from './population.js';
import { indexQuestionnaire, optionWeight } from './questionnaire-index.js';
import type { ValidationIssue, ValidationRule } from './validation.types.js';
import { variablesInScope } from './variables.js';

const ITEM_TYPES = ['group', 'display', 'boolean', 'decimal', 'integer', 'date', 'dateTime', 'time', 'string',
  'text', 'url', 'choice', 'open-choice', 'attachment', 'reference', 'quantity'];
const EXPRESSION_EXTENSIONS = [EXT.calculatedExpression, EXT.enableWhenExpression];

export interface ImportResult {
  ok: boolean;
  issues: ValidationIssue[];
  /** Present when ok: ready for InstrumentLibrary.register. */
  definition?: InstrumentDefinition;
}

/**
 * Checks a clinic's own Questionnaire before it is stored: either a bare Questionnaire or
 * `{ questionnaire, scores?, safetyRules? }`. Every expression must compile and dry-run, and every
 * option of an item that a weight()-based expression reads must carry a weight. A form that passes is then run once
 * as a save would, on a fully answered response (import-dry-run.ts): under the caller's deadline, a form too costly
 * to save throws FhirPathBudgetExceeded (FhirPathDeadline.within: 422 FORM_TOO_COSTLY).
 */
export function validateQuestionnaireImport(json: unknown, { dryRun = true }: { dryRun?: boolean } = {}): ImportResult {
  const body = (json ?? {}) as { resourceType?: string; questionnaire?: Questionnaire; scores?: unknown; safetyRules?: unknown };
  const questionnaire = (body.resourceType === 'Questionnaire' ? body : body.questionnaire) as Questionnaire | undefined;
  const issues: ValidationIssue[] = [];
  const add = (rule: ValidationRule, message: string, expression: string, severity: ValidationIssue['severity'] = 'error') =>
    issues.push({ severity, rule, message, expression });
  if (questionnaire?.resourceType !== 'Questionnaire') {
    add('resource-type', 'Expected a Questionnaire, or { questionnaire, scores, safetyRules }', 'Questionnaire');
    return { ok: false, issues };
  }
  for (const field of ['url', 'version', 'status'] as const) {
    if (!questionnaire[field]) add('missing-element', `Questionnaire.${field} is required`, `Questionnaire.${field}`);
  }
  const items = new Map<string, { item: QuestionnaireItem; path: string }>();
  checkItems(questionnaire.item, 'Questionnaire', items, add);
  for (const { item, path } of items.values()) {
    for (const condition of item.enableWhen ?? []) {
      if (!items.has(condition.question)) add('invalid-metadata', `enableWhen refers to unknown item ${condition.question}`, `${path}.enableWhen`);
    }
    for (const ext of item.extension?.filter((e) => EXPRESSION_EXTENSIONS.includes(e.url as never)) ?? []) {
      const at = `${path}.extension.where(url='${ext.url}')`;
      const { language, expression } = ext.valueExpression ?? {};
      const problem = language !== 'text/fhirpath' ? 'only text/fhirpath expressions are supported'
        : checkExpression(expression ?? '', questionnaire, variablesInScope(questionnaire, item.linkId).map((v) => v.name));
      if (problem) add('invalid-expression', `${item.linkId}: ${problem}`, at);
      if (ext.url === EXT.calculatedExpression) checkCalculated(item, expression ?? '', path, items, add);
    }
  }
  checkVariables(questionnaire, items, add);
  checkSdcExtensions(questionnaire, items, add);
  for (const { item, ancestors } of indexQuestionnaire(questionnaire).calculated) {
    // The engine writes computed values into the response, which it can do through plain groups only.
    if (ancestors.some((a) => a.type !== 'group' || a.repeats)) {
      add('invalid-metadata', `Calculated item ${item.linkId} must sit at the top level or in non-repeating groups`, items.get(item.linkId)?.path ?? 'Questionnaire');
    }
  }
  const scores = (body.resourceType === 'Questionnaire' ? [] : body.scores ?? []) as ScoreDefinition[];
  const safetyRules = (body.resourceType === 'Questionnaire' ? [] : body.safetyRules ?? []) as SafetyRule[];
  if (!Array.isArray(scores) || !Array.isArray(safetyRules)) {
    add('invalid-metadata', 'scores and safetyRules must be lists', 'scores');
  } else {
    checkScores(questionnaire, scores, add);
    checkSafetyRules(questionnaire, safetyRules, add);
  }
  if (issues.some((i) => i.severity === 'error')) return { ok: false, issues };
  const definition = { questionnaire, scores, safetyRules };
  // Once as a save would, on every question answered (the service runs it apart, under a save's own budget:
  // `dryRun: false` here, then `importDryRunIssue`), so a form too costly to save is refused at its import.
  if (dryRun) {
    const issue = importDryRunIssue(definition);
    if (issue) issues.push(issue);
  }
  const ok = !issues.some((i) => i.severity === 'error');
  return ok ? { ok, issues, definition } : { ok, issues };
}

type Add = (rule: ValidationRule, message: string, expression: string, severity?: ValidationIssue['severity']) => void;

function checkItems(items: QuestionnaireItem[] | undefined, base: string, seen: Map<string, { item: QuestionnaireItem; path: string }>, add: Add): void {
  items?.forEach((item, i) => {
    const path = item?.linkId ? `${base}.item.where(linkId='${item.linkId}')` : `${base}.item[${i}]`;
    if (!item?.linkId) add('missing-element', 'Every item needs a linkId', path);
    else if (seen.has(item.linkId)) add('duplicate-link-id', `linkId ${item.linkId} is used more than once`, path);
    else seen.set(item.linkId, { item, path });
    if (!ITEM_TYPES.includes(item?.type)) add('unknown-item-type', `Item type ${item?.type} is not an R4 item type`, `${path}.type`);
    checkItems(item?.item, path, seen, add);
  });
}

/** A calculated item must take a value, and every option of the items its weight() reads must weigh something. */
function checkCalculated(item: QuestionnaireItem, expression: string, path: string, items: Map<string, { item: QuestionnaireItem; path: string }>, add: Add): void {
  if (!COMPUTABLE_TYPES.includes(item.type)) add('invalid-metadata', `Calculated item ${item.linkId}: a ${item.type} item takes no computed answer`, `${path}.type`);
  if (!/\b(weight|ordinal)\(\)/.test(expression)) return;
  // The linkIds an expression reads appear in it as string literals.
  const literals = [...expression.matchAll(/'((?:[^'\\]|\\.)*)'/g)].map((m) => m[1]);
  for (const linkId of new Set(literals)) {
    const target = items.get(linkId);
    if (!target || target.item === item) continue;
    if (!target.item.answerOption?.length && target.item.answerValueSet) {
      add('missing-weight', `${linkId} takes answers from a ValueSet: weights there are not checked`, target.path, 'warning');
    }
    target.item.answerOption?.forEach((option, i) => {
      if (optionWeight(option) === undefined) {
        add('missing-weight', `${linkId}: option ${i} needs an itemWeight (valueDecimal), read by ${item.linkId}`, `${target.path}.answerOption[${i}]`);
      }
    });
  }
}

/**
 * Each FHIRPath `variable` must compile and dry-run, seeing the launch contexts, the population names and the variables declared before it
 * (on the Questionnaire, the enclosing items, the item). Another language (x-fhir-query) is left to pre-population,
 * which reports it.
 */
function checkVariables(questionnaire: Questionnaire, items: Map<string, { item: QuestionnaireItem; path: string }>, add: Add): void {
  // Launch contexts, itemPopulationContext and sourceQueries names: empty here, as at a save.
  const contexts = [...launchContextsOf(questionnaire).map((c) => c.name),
    ...[questionnaire.extension, ...[...items.values()].map((i) => i.item.extension)].flatMap((list) => unsupportedPopulationNames(list).map((n) => n.name))];
  const owners = [{ ext: questionnaire.extension, path: 'Questionnaire', linkId: undefined as string | undefined }, ...[...items.values()].map(({ item, path }) => ({ ext: item.extension, path, linkId: item.linkId }))];
  for (const { ext, path, linkId } of owners) {
    const mine = (ext ?? []).filter((e) => e.url === EXT.variable);
    if (!mine.length) continue;
    const before = linkId === undefined ? [] : variablesInScope(questionnaire, linkId).filter((v) => v.owner?.linkId !== linkId).map((v) => v.name);
    mine.forEach((e, i) => {
      const { name, language, expression } = e.valueExpression ?? {};
      const at = `${path}.extension.where(url='${EXT.variable}')[${i}]`;
      if (!name) add('invalid-expression', 'A variable needs a name', at);
      else if (language === 'text/fhirpath') {
        const problem = checkExpression(expression ?? '', questionnaire, [...contexts, ...before]);
        if (problem) add('invalid-expression', `Variable ${name}: ${problem}`, at);
      }
      if (name) before.push(name);
    });
  }
}

/** Values an Observation can hold (R4 Observation.value[x]) for the item types that answer with them. */
const EXTRACTABLE = ['boolean', 'decimal', 'integer', 'date', 'dateTime', 'time', 'string', 'text', 'choice', 'open-choice', 'quantity'];

/**
 * SDC extraction and population as this module runs them: observationExtract true/false (or `independent`: no
 * parent Observations), on items that have a code and a value an Observation can hold; initialExpressions in
 * FHIRPath that compile, with the form's launch contexts and variables known.
 */
function checkSdcExtensions(questionnaire: Questionnaire, items: Map<string, { item: QuestionnaireItem; path: string }>, add: Add): void {
  const flags = [{ ext: questionnaire.extension, path: 'Questionnaire', item: undefined as QuestionnaireItem | undefined }, ...[...items.values()].map(({ item, path }) => ({ ext: item.extension, path, item }))];
  for (const { ext, path, item } of flags) {
    const flag = ext?.find((e) => e.url === EXT.observationExtract);
    if (!flag) continue;
    const at = `${path}.extension.where(url='${EXT.observationExtract}')`;
    if (flag.valueBoolean === undefined && flag.valueCode !== 'independent') {
      add('invalid-metadata', 'observationExtract must be true, false or independent (Observations related to a parent are not built)', at);
    } else if (item && flag.valueBoolean !== false && item.type !== 'group' && (!item.code?.length || !EXTRACTABLE.includes(item.type))) {
      add('invalid-metadata', `${item.linkId} is marked for extraction but ${item.code?.length ? `a ${item.type} answer is no Observation value` : 'has no code'}`, at);
    }
  }
  for (const { name } of launchContextsOf(questionnaire)) {
    if (!SDC_LAUNCH_CONTEXTS.includes(name)) {
      add('invalid-metadata', `Launch context ${name} is not one of SDC's (${SDC_LAUNCH_CONTEXTS.join(', ')})`, `Questionnaire.extension.where(url='${EXT.launchContext}')`);
    }
  }
  const extensionLists = [questionnaire.extension, ...[...items.values()].map((i) => i.item.extension)];
  const names = [...launchContextsOf(questionnaire).map((c) => c.name),
    ...extensionLists.flatMap((list) => (list ?? []).filter((e) => e.url === EXT.variable).map((e) => e.valueExpression?.name ?? '')),
    ...extensionLists.flatMap((list) => unsupportedPopulationNames(list).map((n) => n.name))];
  for (const { item, path } of items.values()) {
    const initial = item.extension?.find((e) => e.url === EXT.initialExpression);
    if (!initial) continue;
    const at = `${path}.extension.where(url='${EXT.initialExpression}')`;
    const { language, expression } = initial.valueExpression ?? {};
    const problem = language !== 'text/fhirpath' ? 'only text/fhirpath initialExpressions are supported' : checkExpression(expression ?? '', questionnaire, names);
    if (problem) add('invalid-expression', `${item.linkId}: ${problem}`, at);
  }
}

/** The issue the import's run as a save finds (an error), if any; FhirPathBudgetExceeded passes through. */
export function importDryRunIssue(definition: InstrumentDefinition): ValidationIssue | undefined {
  const failure = dryRunSave(definition);
  return failure ? { severity: 'error', rule: 'invalid-expression', message: `The form fails on a fully answered response: ${failure.slice(0, 200)}`, expression: 'Questionnaire' } : undefined;
}
