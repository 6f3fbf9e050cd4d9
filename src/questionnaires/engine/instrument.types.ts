import type { Coding, Questionnaire } from 'fhir/r4.js';

/** FHIR request-priority codes, so a finding maps straight onto Flag / CommunicationRequest.priority. */
export type SafetyPriority = 'routine' | 'urgent' | 'asap' | 'stat';

/**
 * A clinic-editable safety rule: `expression` is a FHIRPath boolean evaluated over the
 * QuestionnaireResponse (%resource = the response with scores computed, %questionnaire = the form).
 */
export interface SafetyRule {
  id: string;
  expression: string;
  severity: SafetyPriority;
  message: string;
  /**
   * Optional FHIRPath number: how strongly the rule fires (PHQ-9: item 9's weight). After a follow-up, a later
   * save of the same response raises a new alert only when this grows; without it, only the first firing alerts.
   */
  level?: string;
  /** The rule is about the person's own safety: whoever answers alone is shown the clinic's crisis information at once. */
  crisis?: boolean;
}

/** One interpretation band; `min`/`max` are the published inclusive cut-offs. */
export interface ScoreBand {
  code: string;
  display: string;
  min: number;
  max: number;
}

export type ScoreDirection = 'higher-is-worse' | 'higher-is-better';

/** Metadata of a score item (a calculated item of the Questionnaire), used for Observations and reports. */
export interface ScoreDefinition {
  /** linkId of the hidden, read-only item that carries the calculatedExpression. */
  linkId: string;
  /** Observation.code: LOINC where verified, else the module's CodeSystem. */
  code: Coding;
  /** UCUM unit, e.g. `{score}`. */
  unit: string;
  min: number;
  max: number;
  direction: ScoreDirection;
  /** Minimal clinically important difference, in score units (an assumption the clinic can change). */
  mcid?: number;
  /** Ascending, non-overlapping; a value belongs to the first band whose `max` it does not exceed. */
  bands: ScoreBand[];
  /** CodeSystem of the band codes; defaults to the module's CodeSystem. */
  bandSystem?: string;
  /** Shown beside results in reports (e.g. ALS confounding of somatic PHQ-9 items). */
  note?: string;
}

/** Everything the engine needs to validate, score and screen responses to one Questionnaire version. */
export interface InstrumentDefinition {
  questionnaire: Questionnaire;
  scores: ScoreDefinition[];
  safetyRules: SafetyRule[];
}
