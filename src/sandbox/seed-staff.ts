import type { Practitioner } from 'fhir/r4.js';

/** Synthetic staff identifiers; the OID arc `3.0000` is a placeholder, not a real assigning authority. */
export const STAFF_ID_SYSTEM = 'urn:oid:2.16.840.1.113883.3.0000.2';

function practitioner(n: number, given: string, family: string, role: string, prefix?: string): Practitioner & { id: string } {
  return {
    resourceType: 'Practitioner',
    id: `sbx-prac-${n}`,
    active: true,
    identifier: [{ system: STAFF_ID_SYSTEM, value: `SBX-STAFF-${String(n).padStart(3, '0')}` }],
    name: [{ use: 'official', given: [given], family, ...(prefix ? { prefix: [prefix] } : {}) }],
    qualification: [{ code: { text: role } }],
  };
}

/**
 * The ALS clinic's team, all fictional. The neurologist is the default user of `/sandbox/launch`; the
 * quality lead is the admin-ish user for report and administration screens.
 */
export const SEED_STAFF: (Practitioner & { id: string })[] = [
  practitioner(1, 'Quinn', 'Example', 'Neurologist', 'Dr'),
  practitioner(2, 'Robin', 'Mockwell', 'Nurse coordinator'),
  practitioner(3, 'Alex', 'Demo', 'Psychologist', 'Dr'),
  practitioner(4, 'Harper', 'Synthetic', 'Music therapist'),
  practitioner(5, 'Jamie', 'Dummy', 'Quality lead'),
];
