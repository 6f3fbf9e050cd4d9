import type { CodeableConcept, Coding } from 'fhir/r4.js';

/** Base of every canonical URL this module publishes (the same base as the questionnaires'). */
export const FHIR_BASE = 'https://als-wellness.example.org/fhir';

/** `https://…/PlanDefinition/<slug>`: a program's canonical URL; the version travels beside it (`url|version`). */
export function planDefinitionUrl(slug: string): string {
  return `${FHIR_BASE}/PlanDefinition/${slug}`;
}

/** `url|version`, the form instantiatesCanonical and definitionCanonical take to pin one version. */
export function versionedCanonical(slug: string, version: string): string {
  return `${planDefinitionUrl(slug)}|${version}`;
}

/** The module's own CodeSystems: program stages, screening outcomes, withdrawal reasons, session kinds. */
export const PROGRAM_CODE_SYSTEM = `${FHIR_BASE}/CodeSystem/als-wellness-program`;
export const WITHDRAWAL_REASON_SYSTEM = `${FHIR_BASE}/CodeSystem/program-withdrawal-reason`;

/** Extensions for what PlanDefinition has no element for. */
export const EXTENSION = {
  kind: `${FHIR_BASE}/StructureDefinition/program-kind`,
  capacity: `${FHIR_BASE}/StructureDefinition/program-capacity`,
  completionRule: `${FHIR_BASE}/StructureDefinition/program-completion-rule`,
} as const;

export const SNOMED = 'http://snomed.info/sct';
export const TASK_CODE_SYSTEM = 'http://hl7.org/fhir/CodeSystem/task-code';
export const ACT_CODE_SYSTEM = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';
export const PARTICIPATION_TYPE_SYSTEM = 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType';
export const UCUM = 'http://unitsofmeasure.org';

/** SNOMED CT 3457005 "Patient referral (procedure)": ServiceRequest.category for a referral. */
export const REFERRAL_CATEGORY: CodeableConcept = {
  coding: [{ system: SNOMED, code: '3457005', display: 'Patient referral' }],
};

export function programCoding(code: string, display: string): Coding {
  return { system: PROGRAM_CODE_SYSTEM, code, display };
}
