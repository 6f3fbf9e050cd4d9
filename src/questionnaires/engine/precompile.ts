import { compileExpression } from './fhirpath-engine.js';
import type { InstrumentDefinition } from './instrument.types.js';

/**
 * Every FHIRPath expression a definition carries: the Questionnaire's Expression values (calculatedExpression,
 * enableWhenExpression, variables, initialExpression… wherever an extension holds one) and its safety rules.
 */
export function formExpressions(definition: InstrumentDefinition): string[] {
  const found = new Set<string>();
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) {
      value.forEach(walk);
    } else if (value && typeof value === 'object') {
      const o = value as { language?: unknown; expression?: unknown };
      if (o.language === 'text/fhirpath' && typeof o.expression === 'string') found.add(o.expression);
      Object.values(value).forEach(walk);
    }
  };
  walk(definition.questionnaire);
  for (const rule of definition.safetyRules) {
    found.add(rule.expression);
    if (typeof rule.level === 'string') found.add(rule.level);
  }
  return [...found];
}

const ready = new WeakSet<InstrumentDefinition>();

/**
 * Compiles a stored definition's expressions once, each on its own (so each under its own FHIRPath deadline when
 * one is installed), before a save runs them all under one. A stored form passed its import's checks, compilation
 * included; compiling is its cost on the first save after a start, not the answers', and fhirpath.js's parser is
 * slow on long expressions (a 17-expression risk calculator: 250–400 ms of CPU cold), so a person's first save of
 * such a form must not be refused for it. An expression that does not compile is left to the save, which reports it.
 */
export function precompileForm(definition: InstrumentDefinition): void {
  if (ready.has(definition)) return;
  for (const expression of formExpressions(definition)) {
    try {
      compileExpression(expression);
    } catch {
      // Reported by the save itself.
    }
  }
  ready.add(definition);
}
