// The framework-free questionnaire engine: what the Nest services import.
export { assessResponse, type Assessment } from './assessment.js';
export { ALS_CODE_SYSTEM, ALS_FHIR_BASE, EXT, questionnaireUrl } from './codes.js';
export { checkExpression } from './fhirpath-engine.js';
export { validateQuestionnaireImport, type ImportResult } from './import-validation.js';
export { BUILT_IN_INSTRUMENTS, InstrumentLibrary, canonicalOf, parseCanonical, type InstrumentSummary } from './instrument-library.js';
export type { InstrumentDefinition, SafetyPriority, SafetyRule, ScoreBand, ScoreDefinition, ScoreDirection } from './instrument.types.js';
export { buildResponse, type AnswerInput, type BuildResponseOptions } from './response-builder.js';
export { evaluateSafetyRules, type SafetyFinding } from './safety.js';
export { bandFor, calculateResponse, scoreResponse, type CalculatedResponse, type ScoreResult } from './scoring.js';
export { validateResponse } from './validation.js';
export { ISSUE_TYPE, toOperationOutcomeIssues, type ValidationIssue, type ValidationRule } from './validation.types.js';
