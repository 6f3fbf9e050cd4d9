import { describe, expect, it } from '@jest/globals';
import { FHIR_ID, isFhirId, referencePattern } from './fhir-id.js';

describe('the FHIR id pattern', () => {
  it('is 1 to 64 letters, digits, "-" or "."', () => {
    expect(['p-1', 'rp.2', 'A', 'x'.repeat(64)].every((id) => FHIR_ID.test(id))).toBe(true);
    expect(['', 'x'.repeat(65), 'a/b', 'a_b', 'a b', 'Patient/1'].some((id) => isFhirId(id))).toBe(false);
    expect(isFhirId(7)).toBe(false);
  });

  it('makes whole-string references to the given types: group 1 the type, group 2 the id', () => {
    const ref = referencePattern('Patient', 'RelatedPerson');
    expect(ref.exec('RelatedPerson/rp.2')?.slice(1)).toEqual(['RelatedPerson', 'rp.2']);
    expect(ref.test('Practitioner/1')).toBe(false);
    expect(ref.test('Patient/1/_history/2')).toBe(false);
    expect(ref.test('https://ehr.example/fhir/Patient/1')).toBe(false);
  });
});
