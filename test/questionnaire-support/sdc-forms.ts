import type { Questionnaire } from 'fhir/r4.js';
import { EXT, LAUNCH_CONTEXT_SYSTEM } from '../../src/questionnaires/engine/codes.js';

// Two clinic Questionnaires written the SDC way, as a clinic's form tool would export them: not from this
// repository's instruments, nothing of the module's own score metadata. Synthetic.

const fhirpath = (expression: string) => ({ language: 'text/fhirpath', expression });
const weight = (w: number, code: string, display: string) => ({
  valueCoding: { system: 'urn:clinic:breathing', code, display }, extension: [{ url: EXT.itemWeight, valueDecimal: w }],
});
const LEVELS = [weight(0, 'none', 'None'), weight(1, 'some', 'Some'), weight(2, 'a-lot', 'A lot')];
const SUM = "%resource.item.where(linkId in ('br-1' | 'br-2')).answer.value.weight().sum()";
const VITAL_SIGNS = { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs', display: 'Vital Signs' }] };

/** Breathing check: observationExtract at the root; a calculated total, a weight in kg, a symptom choice; a private note excluded. */
export const BREATHING_URL = 'https://clinic.example.org/fhir/Questionnaire/breathing-check';
export const breathingCheck: Questionnaire = {
  resourceType: 'Questionnaire', url: BREATHING_URL, version: '2026.3', status: 'active', title: 'Breathing check', subjectType: ['Patient'],
  extension: [{ url: EXT.observationExtract, valueBoolean: true }],
  item: [
    { linkId: 'br-1', text: 'Short of breath lying flat?', type: 'choice', required: true, answerOption: LEVELS },
    { linkId: 'br-2', text: 'Short of breath talking?', type: 'choice', required: true, answerOption: LEVELS, code: [{ system: 'urn:clinic:codes', code: 'dyspnoea-talking', display: 'Breathless when talking' }] },
    {
      linkId: 'br-total', text: 'Breathing score', type: 'integer', readOnly: true, code: [{ system: 'urn:clinic:codes', code: 'breathing-total', display: 'Breathing score' }],
      extension: [{ url: EXT.calculatedExpression, valueExpression: fhirpath(SUM) }],
    },
    {
      linkId: 'br-weight', text: 'Weight today (kg)', type: 'decimal', code: [{ system: 'http://loinc.org', code: '29463-7', display: 'Body weight' }],
      extension: [
        { url: EXT.unit, valueCoding: { system: 'http://unitsofmeasure.org', code: 'kg', display: 'kg' } },
        { url: EXT.observationExtractCategory, valueCodeableConcept: VITAL_SIGNS },
      ],
    },
    { linkId: 'br-note', text: 'Anything else?', type: 'string', code: [{ system: 'urn:clinic:codes', code: 'note' }], extension: [{ url: EXT.observationExtract, valueBoolean: false }] },
  ],
};

const launchContext = (name: string, ...types: string[]) => ({
  url: EXT.launchContext,
  extension: [{ url: 'name', valueCoding: { system: LAUNCH_CONTEXT_SYSTEM, code: name } }, ...types.map((valueCode) => ({ url: 'type', valueCode }))],
});
const ROLE = 'http://terminology.hl7.org/CodeSystem/v3-RoleCode';
const GENDER = 'http://hl7.org/fhir/administrative-gender';

/** A caregiver's own intake, pre-filled from the EHR: the patient's demographics, the caregiver's relationship, the visit. */
export const CARER_URL = 'https://clinic.example.org/fhir/Questionnaire/carer-intake';
export const carerIntake: Questionnaire = {
  resourceType: 'Questionnaire', url: CARER_URL, version: '1.0', status: 'active', title: 'Carer intake', subjectType: ['RelatedPerson', 'Patient'],
  extension: [launchContext('patient', 'Patient'), launchContext('user', 'RelatedPerson', 'Practitioner'), launchContext('encounter', 'Encounter')],
  item: [
    { linkId: 'pt-birth', text: "The patient's date of birth", type: 'date', extension: [{ url: EXT.initialExpression, valueExpression: fhirpath('%patient.birthDate') }] },
    {
      linkId: 'pt-sex', text: "The patient's sex", type: 'choice', extension: [{ url: EXT.initialExpression, valueExpression: fhirpath('%patient.gender') }],
      answerOption: [{ valueCoding: { system: GENDER, code: 'female', display: 'Female' } }, { valueCoding: { system: GENDER, code: 'male', display: 'Male' } }, { valueCoding: { system: GENDER, code: 'other', display: 'Other' } }],
    },
    {
      linkId: 'relationship', text: 'Your relationship to the patient', type: 'choice',
      extension: [{ url: EXT.initialExpression, valueExpression: fhirpath(`%user.relationship.coding.where(system = '${ROLE}')`) }],
      answerOption: [{ valueCoding: { system: ROLE, code: 'SPS', display: 'Spouse or partner' } }, { valueCoding: { system: ROLE, code: 'CHILD', display: 'Son or daughter' } }, { valueCoding: { system: ROLE, code: 'FRND', display: 'Friend' } }],
    },
    { linkId: 'visit', text: 'Visit', type: 'reference', extension: [{ url: EXT.initialExpression, valueExpression: fhirpath('%encounter') }] },
    { linkId: 'hours', text: 'Hours of care a week', type: 'integer', required: true },
  ],
};
