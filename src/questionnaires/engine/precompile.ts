import type { Extension, Questionnaire, QuestionnaireItem } from 'fhir/r4.js';
import { EXT } from './codes.js';
import { compileExpression, FhirPathBudgetExceeded, isCompiled } from './fhirpath-engine.js';
import type { InstrumentDefinition } from './instrument.types.js';

/** The extensions whose FHIRPath a save evaluates (initialExpression runs only at pre-population, elsewhere). */
const EVALUATED_ON_SAVE = new Set<string>([EXT.calculatedExpression, EXT.enableWhenExpression, EXT.variable]);

/**
 * The FHIRPath expressions a save evaluates: the Questionnaire's and its items' calculatedExpression,
 * enableWhenExpression and variables, and the definition's safety rules. Nothing else (an answerExpression, a
 * contained resource's, an unknown extension's): the save would not run it, and its import did not check it.
 */
export function formExpressions(definition: InstrumentDefinition): string[] {
  const found = new Set<string>();
  const take = (extensions: Extension[] | undefined) => {
    for (const e of extensions ?? []) {
      if (EVALUATED_ON_SAVE.has(e.url) && e.valueExpression?.language === 'text/fhirpath' && typeof e.valueExpression.expression === 'string') {
        found.add(e.valueExpression.expression);
      }
    }
  };
  const walk = (items: QuestionnaireItem[] | undefined) => {
    for (const item of items ?? []) {
      take(item.extension);
      walk(item.item);
    }
  };
  const q: Questionnaire = definition.questionnaire;
  take(q.extension);
  walk(q.item);
  for (const rule of definition.safetyRules) {
    found.add(rule.expression);
    if (typeof rule.level === 'string') found.add(rule.level);
  }
  return [...found];
}

/** Per definition object, the expressions of formExpressions that compiled (a syntax error is the save's to report). */
const ready = new WeakMap<InstrumentDefinition, string[]>();

/**
 * Compiles a stored definition's save-time expressions once (per definition object: the library keeps one per form
 * version), before the save runs them under its own deadline. The caller runs this under a budget of its own (the
 * service gives it an import's, which bounded the same compilation when the form was imported): fhirpath.js's parser
 * is slow on long expressions (a 17-expression risk calculator: 250–400 ms of CPU cold), and a person's first save of
 * such a form after a start must not be refused for the form's compile cost. An expression that does not compile is
 * left to the save, which reports it; running out of the budget is not swallowed: the caller refuses.
 * The compile cache is shared by every form and bounded (MAX_CACHED_EXPRESSIONS, first in, first out): other clinics'
 * forms can push this one's expressions out, so `isPrecompiled` checks they are still there and this compiles again
 * only those that were dropped — never inside the save's own budget.
 */
export function precompileForm(definition: InstrumentDefinition): void {
  let compiled = ready.get(definition);
  if (compiled && compiled.every(isCompiled)) return;
  if (!compiled) {
    compiled = [];
    for (const expression of formExpressions(definition)) {
      try {
        compileExpression(expression);
        compiled.push(expression);
      } catch (err) {
        if (err instanceof FhirPathBudgetExceeded) throw err;
        // A syntax error: reported by the save itself.
      }
    }
  } else {
    for (const expression of compiled) compileExpression(expression);
  }
  ready.set(definition, compiled);
}

/**
 * Whether `definition`'s save-time expressions are compiled and still cached in this process (the service's fast
 * path: a few Map lookups a save).
 */
export function isPrecompiled(definition: InstrumentDefinition): boolean {
  const compiled = ready.get(definition);
  return compiled !== undefined && compiled.every(isCompiled);
}
