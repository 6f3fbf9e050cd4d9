import type { QuestionnaireResponse } from 'fhir/r4.js';
import { evaluateOnResponse, isTrue } from './fhirpath-engine.js';
import type { InstrumentDefinition, SafetyPriority } from './instrument.types.js';
import { calculateResponse } from './scoring.js';

export interface SafetyFinding {
  ruleId: string;
  severity: SafetyPriority;
  message: string;
  expression: string;
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
    const finding = { ruleId: rule.id, severity: rule.severity, message: rule.message, expression: rule.expression };
    try {
      if (isTrue(evaluateOnResponse(rule.expression, calculated, definition.questionnaire))) findings.push(finding);
    } catch (err) {
      // Fail safe: a rule that cannot run is reported for a human to look at, never silently dropped.
      findings.push({ ...finding, error: err instanceof Error ? err.message : String(err) });
    }
  }
  return findings;
}
