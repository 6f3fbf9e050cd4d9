import { parseFhirUser } from './fhir-user.js';

describe('parseFhirUser', () => {
  it('keeps the relative reference of an absolute fhirUser URL', () => {
    expect(parseFhirUser('https://ehr.example/fhir/Practitioner/abc-1')).toEqual({ type: 'Practitioner', id: 'abc-1', reference: 'Practitioner/abc-1' });
    expect(parseFhirUser('RelatedPerson/rp1')?.reference).toBe('RelatedPerson/rp1');
  });
  it('refuses other resource types and junk', () => {
    expect(parseFhirUser('https://ehr.example/fhir/Organization/1')).toBeNull();
    expect(parseFhirUser(42)).toBeNull();
    expect(parseFhirUser('Practitioner/../../x')).toBeNull();
  });
});
