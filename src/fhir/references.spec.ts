import { describe, expect, it } from '@jest/globals';
import { businessIdentifier } from './business-identifier.js';
import { FHIR_ID, isFhirId, referencePattern } from './ids.js';
import { logicalRef, parseReference, patientRef, ref } from './references.js';

describe('FHIR ids and references (one pattern, one helper)', () => {
  it('accepts ids as R4 allows them: letters, digits, - and ., at most 64', () => {
    for (const ok of ['p-1', 'A.b-9', 'x'.repeat(64)]) expect(isFhirId(ok)).toBe(true);
    for (const bad of ['', 'x'.repeat(65), 'a/b', 'a_b', 'a b', 'é', 7, null]) expect(isFhirId(bad)).toBe(false);
    expect(FHIR_ID.test('Patient/1')).toBe(false);
  });

  it('matches a relative reference to the types named, with the type and id as groups', () => {
    const subject = referencePattern('Patient', 'RelatedPerson');
    expect(subject.exec('RelatedPerson/rp.2')?.slice(1)).toEqual(['RelatedPerson', 'rp.2']);
    for (const bad of ['Practitioner/1', 'Patient/', 'Patient/a/b', 'https://ehr/Patient/1', 'Patient/1 ']) expect(subject.test(bad)).toBe(false);
  });

  it('parses a relative reference, and nothing else', () => {
    expect(parseReference('Patient/p-1')).toEqual({ type: 'Patient', id: 'p-1' });
    for (const bad of [undefined, null, '', 'Patient', 'patient/1', 'Patient/1/_history/2', 'urn:uuid:1', 'Patient/a_b']) expect(parseReference(bad)).toBeNull();
  });

  it('builds the references the mappers write', () => {
    expect(ref('Practitioner/clin-1')).toEqual({ reference: 'Practitioner/clin-1', type: 'Practitioner' });
    expect(patientRef('p-1')).toEqual({ reference: 'Patient/p-1' });
    expect(patientRef('p-1', 'Ann')).toEqual({ reference: 'Patient/p-1', display: 'Ann' });
    const id = businessIdentifier('appointment', 's-1');
    expect(logicalRef('Appointment', id)).toEqual({ type: 'Appointment', identifier: { system: id.system, value: 's-1' } });
    expect(logicalRef('Appointment', id, 'Session 1')).toMatchObject({ display: 'Session 1' });
  });
});
