import type { Coding } from 'fhir/r4.js';

/** Base of every canonical URL this module publishes. */
export const ALS_FHIR_BASE = 'https://als-wellness.example.org/fhir';

/** The module's own CodeSystem: used for every code that has no verified LOINC code (see docs/architecture.md). */
export const ALS_CODE_SYSTEM = `${ALS_FHIR_BASE}/CodeSystem/als-wellness`;

export const LOINC = 'http://loinc.org';

export const SDC_QUESTIONNAIRE_PROFILE = 'http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire';

/** Extension URLs the engine reads or writes. */
export const EXT = {
  itemWeight: 'http://hl7.org/fhir/StructureDefinition/itemWeight',
  ordinalValue: 'http://hl7.org/fhir/StructureDefinition/ordinalValue',
  calculatedExpression: 'http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-calculatedExpression',
  enableWhenExpression: 'http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-enableWhenExpression',
  hidden: 'http://hl7.org/fhir/StructureDefinition/questionnaire-hidden',
  minValue: 'http://hl7.org/fhir/StructureDefinition/minValue',
  maxValue: 'http://hl7.org/fhir/StructureDefinition/maxValue',
  // SDC observation-based extraction (https://hl7.org/fhir/uv/sdc/extraction.html#obs-extract)
  observationExtract: 'http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-observationExtract',
  observationExtractCategory: 'http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-observation-extract-category',
  unit: 'http://hl7.org/fhir/StructureDefinition/questionnaire-unit',
  // SDC expression-based population (https://hl7.org/fhir/uv/sdc/populate.html#exp-pop)
  initialExpression: 'http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-initialExpression',
  launchContext: 'http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-launchContext',
  variable: 'http://hl7.org/fhir/StructureDefinition/variable',
  // Declared by forms, not run here: their names are known (empty) so such a form imports and pre-fills the rest.
  itemPopulationContext: 'http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-itemPopulationContext',
  sourceQueries: 'http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-sourceQueries',
} as const;

/** The SDC launch-context names (CodeSystem http://hl7.org/fhir/uv/sdc/CodeSystem/launchContext) the server fills. */
export const LAUNCH_CONTEXT_SYSTEM = 'http://hl7.org/fhir/uv/sdc/CodeSystem/launchContext';
/** That CodeSystem's codes (SDC 3.0): the only launch-context names a form may declare. */
export const SDC_LAUNCH_CONTEXTS: readonly string[] = ['patient', 'encounter', 'location', 'user', 'study'];

/** US Core's screening-assessment category: the Observation category when a form declares none. */
export const SURVEY_CATEGORY = {
  coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'survey', display: 'Survey' }],
};

/** Extensions fhirpath.js's weight() reads a score from (it only reads `valueDecimal`). */
export const WEIGHT_EXTENSIONS: readonly string[] = [EXT.itemWeight, EXT.ordinalValue];

export function questionnaireUrl(name: string): string {
  return `${ALS_FHIR_BASE}/Questionnaire/${name}`;
}

export function alsCoding(code: string, display: string): Coding {
  return { system: ALS_CODE_SYSTEM, code, display };
}

export function loincCoding(code: string, display: string): Coding {
  return { system: LOINC, code, display };
}
