import type { QuestionnaireResponse } from 'fhir/r4.js';
import { evaluateOnResponse, FhirPathBudgetExceeded, isTrue } from './fhirpath-engine.js';
import type { InstrumentDefinition, SafetyPriority, SafetyRule } from './instrument.types.js';
import { calculateResponse } from './scoring.js';

export interface SafetyFinding {
  ruleId: string;
  severity: SafetyPriority;
  message: string;
  expression: string;
  /** How strongly the rule fired (its `level` expression), null when the rule has none or it gave no number. */
  level: number | null;
  /** The person answering alone must be shown crisis information at once. */
  crisis: boolean;
  /** Set when the rule could not be evaluated: the finding is raised anyway, so nobody misses a risk. */
  error?: string;
}

/** Runs the definition's safety rules over the response, scores computed first so rules may use them. */
export function evaluateSafetyRules(definition: InstrumentDefinition, response: QuestionnaireResponse): SafetyFinding[] {
  return safetyFindingsOn(definition, calculateResponse(definition, response).response);
}

/** Same, over a response that calculateResponse already produced. */
export function safetyFindingsOn(definition: InstrumentDefinition, calculated: QuestionnaireResponse): SafetyFinding[] {
  const findings: SafetyFinding[] = [];
  for (const rule of definition.safetyRules) {
    const finding = { ruleId: rule.id, severity: rule.severity, message: rule.message, expression: rule.expression, level: null, crisis: rule.crisis === true };
    try {
      if (isTrue(evaluateOnResponse(rule.expression, calculated, definition.questionnaire))) {
        findings.push({ ...finding, level: levelOf(rule, calculated, definition) });
      }
    } catch (err) {
      // A runaway form is refused as a whole (the save answers 422 and stores nothing), never passed as screened.
      if (err instanceof FhirPathBudgetExceeded) throw err;
      // Fail safe: a rule that cannot run is reported for a human to look at, never silently dropped.
      findings.push({ ...finding, error: err instanceof Error ? err.message : String(err) });
    }
  }
  return findings;
}

/** The rule's level, or null: a level that cannot be computed never hides the finding itself. */
function levelOf(rule: SafetyRule, calculated: QuestionnaireResponse, definition: InstrumentDefinition): number | null {
  if (!rule.level) return null;
  try {
    const [value] = evaluateOnResponse(rule.level, calculated, definition.questionnaire);
    return typeof value === 'number' && Number.isFinite(value) ? value : null;
  } catch (err) {
    if (err instanceof FhirPathBudgetExceeded) throw err;
    return null;
  }
}
