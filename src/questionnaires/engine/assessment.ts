import type { QuestionnaireResponse } from 'fhir/r4.js';
import type { InstrumentDefinition } from './instrument.types.js';
import { safetyFindingsOn, type SafetyFinding } from './safety.js';
import { calculateResponse, scoresFrom, type ScoreResult } from './scoring.js';

export interface Assessment {
  /** The response with computed score items: what to store and write back to the EHR. */
  response: QuestionnaireResponse;
  scores: ScoreResult[];
  findings: SafetyFinding[];
}

/** Scores and safety findings in one pass: the entry point for submitting a (validated) response. */
export function assessResponse(definition: InstrumentDefinition, response: QuestionnaireResponse): Assessment {
  const calculated = calculateResponse(definition, response);
  return {
    response: calculated.response,
    scores: scoresFrom(definition, calculated),
    findings: safetyFindingsOn(definition, calculated.response),
  };
}
