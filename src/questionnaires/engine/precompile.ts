import type { Extension, Questionnaire, QuestionnaireItem } from 'fhir/r4.js';
import { EXT } from './codes.js';
import { compileForForm, FhirPathBudgetExceeded } from './fhirpath-engine.js';
import type { InstrumentDefinition } from './instrument.types.js';
import { variableContextExpression } from './variables.js';

/** The extensions whose FHIRPath a save evaluates (initialExpression runs only at pre-population, elsewhere). */
const EVALUATED_ON_SAVE = new Set<string>([EXT.calculatedExpression, EXT.enableWhenExpression, EXT.variable]);

/**
 * The FHIRPath expressions a save evaluates: the Questionnaire's and its items' calculatedExpression,
 * enableWhenExpression and variables (with an item variable's context path, variables.ts), and the definition's
 * safety rules. Nothing else (an answerExpression, a
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
  const walk = (items: QuestionnaireItem[] | undefined, path: string[]) => {
    for (const item of items ?? []) {
      const here = [...path, item.linkId];
      take(item.extension);
      if (item.extension?.some((e) => e.url === EXT.variable && e.valueExpression?.name)) found.add(variableContextExpression(here));
      walk(item.item, here);
    }
  };
  const q: Questionnaire = definition.questionnaire;
  take(q.extension);
  walk(q.item, []);
  for (const rule of definition.safetyRules) {
    found.add(rule.expression);
    if (typeof rule.level === 'string') found.add(rule.level);
  }
  return [...found];
}

const ready = new WeakSet<InstrumentDefinition>();

/**
 * Compiles a stored definition's save-time expressions once (per definition object: the library keeps one per form
 * version), before the save runs them under its own deadline. The caller runs this under a budget of its own (the
 * service gives it an import's, which bounded the same compilation when the form was imported): fhirpath.js's parser
 * is slow on long expressions (a 17-expression risk calculator: 250–400 ms of CPU cold), and a person's first save of
 * such a form after a start must not be refused for the form's compile cost. An expression that does not compile is
 * left to the save, which reports it; running out of the budget is not swallowed: the caller refuses.
 * What is compiled is held by the form (compileForForm), not only in the shared, bounded compile cache: other
 * clinics' forms can push expressions out of that one, never out of this form's own.
 */
export function precompileForm(definition: InstrumentDefinition): void {
  if (ready.has(definition)) return;
  for (const expression of formExpressions(definition)) {
    try {
      compileForForm(expression, definition.questionnaire);
    } catch (err) {
      if (err instanceof FhirPathBudgetExceeded) throw err;
      // A syntax error: reported by the save itself.
    }
  }
  ready.add(definition);
}

/** Whether `definition` has been precompiled in this process (for the service's fast path and the spec). */
export function isPrecompiled(definition: InstrumentDefinition): boolean {
  return ready.has(definition);
}
