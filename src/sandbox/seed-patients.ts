import type { Condition, Encounter, Patient, RelatedPerson, Resource } from 'fhir/r4.js';

/** Synthetic MRNs; the OID arc `3.0000` is a placeholder, not a real assigning authority. */
export const MRN_SYSTEM = 'urn:oid:2.16.840.1.113883.3.0000.1';

type WithId<T> = T & { id: string };

interface PatientSeed {
  given: string;
  family: string;
  gender: Patient['gender'];
  birthDate: string;
  diagnosed: string;
  stage: string;
  /** BCP-47 code of the language the person prefers (Patient.communication, preferred), when not English. */
  language?: string;
}

/** Four people living with ALS at different stages; every name and number is invented. */
const PATIENTS: PatientSeed[] = [
  { given: 'Avery', family: 'Sample', gender: 'female', birthDate: '1968-04-12', diagnosed: '2024-11-04', stage: 'Recently diagnosed; walks independently, mild hand weakness.' },
  { given: 'Jordan', family: 'Placeholder', gender: 'male', birthDate: '1959-09-30', diagnosed: '2022-06-17', stage: 'Uses a power wheelchair; speech mildly affected.' },
  { given: 'Casey', family: 'Fictitious', gender: 'female', birthDate: '1972-01-08', diagnosed: '2021-03-22', stage: 'PEG tube for nutrition; non-invasive ventilation at night.', language: 'es' },
  { given: 'Riley', family: 'Testcase', gender: 'male', birthDate: '1964-11-21', diagnosed: '2019-08-09', stage: 'Advanced; communicates with an eye-gaze device.' },
];

function patient(p: PatientSeed, n: number): WithId<Patient> {
  return {
    resourceType: 'Patient',
    id: `sbx-pat-${n}`,
    active: true,
    identifier: [{ use: 'usual', type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'MR' }] }, system: MRN_SYSTEM, value: `SBX-${100000 + n}` }],
    name: [{ use: 'official', given: [p.given], family: p.family }],
    gender: p.gender,
    birthDate: p.birthDate,
    ...(p.language && {
      communication: [{ language: { coding: [{ system: 'urn:ietf:bcp:47', code: p.language }] }, preferred: true }],
    }),
  };
}

function als(p: PatientSeed, n: number): WithId<Condition> {
  return {
    resourceType: 'Condition',
    id: `sbx-cond-${n}`,
    clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }] },
    verificationStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status', code: 'confirmed' }] },
    code: {
      coding: [
        { system: 'http://snomed.info/sct', code: '86044005', display: 'Amyotrophic lateral sclerosis' },
        { system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'G12.21', display: 'Amyotrophic lateral sclerosis' },
      ],
      text: 'Amyotrophic lateral sclerosis',
    },
    subject: { reference: `Patient/sbx-pat-${n}` },
    onsetDateTime: p.diagnosed,
    note: [{ text: p.stage }],
  };
}

const ROLE_CODES = 'http://terminology.hl7.org/CodeSystem/v3-RoleCode';

function caregiver(n: number, patientN: number, given: string, family: string, relationship: RelatedPerson['relationship']): WithId<RelatedPerson> {
  return {
    resourceType: 'RelatedPerson',
    id: `sbx-rp-${n}`,
    active: true,
    patient: { reference: `Patient/sbx-pat-${patientN}` },
    relationship,
    name: [{ use: 'official', given: [given], family }],
  };
}

const ENCOUNTER: WithId<Encounter> = {
  resourceType: 'Encounter',
  id: 'sbx-enc-1',
  status: 'in-progress',
  class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB', display: 'ambulatory' },
  type: [{ text: 'ALS multidisciplinary clinic visit' }],
  subject: { reference: 'Patient/sbx-pat-1' },
  participant: [{ individual: { reference: 'Practitioner/sbx-prac-1' } }],
  period: { start: '2025-01-15T09:00:00Z' },
};

/** Patients, their ALS diagnosis and stage, their caregivers, and one open clinic visit. */
export const SEED_PATIENT_DATA: WithId<Resource>[] = [
  ...PATIENTS.map((p, i) => patient(p, i + 1)),
  ...PATIENTS.map((p, i) => als(p, i + 1)),
  caregiver(1, 1, 'Morgan', 'Sample', [{ coding: [{ system: ROLE_CODES, code: 'SPS', display: 'spouse' }], text: 'Spouse' }]),
  caregiver(2, 3, 'Drew', 'Fictitious', [{ coding: [{ system: ROLE_CODES, code: 'CHILD', display: 'child' }], text: 'Adult child' }]),
  caregiver(3, 4, 'Sam', 'Hiredhelp', [{ text: 'Paid carer' }]),
  ENCOUNTER,
];
