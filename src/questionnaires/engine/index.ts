// The framework-free questionnaire engine, shared by the Nest layer and the browser app. smart-launch/ imports its
// modules through the alias @engine, not this index (which would bring the built-in instruments along).
export { answeredResponse, type AnsweredResponse, type AnswersByLinkId } from './answered-response.js';
export { assessResponse, type Assessment } from './assessment.js';
export { canonicalOf, compareVersions, parseCanonical } from './canonical.js';
export { ALS_CODE_SYSTEM, ALS_FHIR_BASE, EXT, questionnaireUrl } from './codes.js';
export { enabledItems, isEnabled } from './enable-when.js';
export { checkExpression } from './fhirpath-engine.js';
export { validateQuestionnaireImport, type ImportResult } from './import-validation.js';
export { BUILT_IN_INSTRUMENTS, InstrumentLibrary, type InstrumentSummary } from './instrument-library.js';
export type { InstrumentDefinition, SafetyPriority, SafetyRule, ScoreBand, ScoreDefinition, ScoreDirection } from './instrument.types.js';
export { buildResponse, type AnswerInput, type BuildResponseOptions } from './response-builder.js';
export { evaluateSafetyRules, type SafetyFinding } from './safety.js';
export { bandFor, calculateResponse, scoreResponse, type CalculatedResponse, type ScoreResult } from './scoring.js';
export { validateResponse } from './validation.js';
export { checkQuestion } from './validation.answers.js';
export { ISSUE_TYPE, toOperationOutcomeIssues, type ValidationIssue, type ValidationRule } from './validation.types.js';
