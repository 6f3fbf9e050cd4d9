import { describe, expect, it } from '@jest/globals';
import { SnakeNamingStrategy } from './snake-naming.strategy.js';

describe('SnakeNamingStrategy', () => {
  const naming = new SnakeNamingStrategy();

  it('names a column in snake_case from its property, unless the entity names it', () => {
    expect(naming.columnName('patientId', undefined, [])).toBe('patient_id');
    expect(naming.columnName('needPatientBanner', undefined, [])).toBe('need_patient_banner');
    expect(naming.columnName('id', undefined, [])).toBe('id');
    expect(naming.columnName('fhirUser', 'fhir_user_ref', [])).toBe('fhir_user_ref');
  });

  it('prefixes an embedded column with its embedding in snake_case', () => {
    expect(naming.columnName('givenName', undefined, ['contactPerson'])).toBe('contact_person_given_name');
  });

  it('names a join column after its relation and the referenced column', () => {
    expect(naming.joinColumnName('programVersion', 'id')).toBe('program_version_id');
    expect(naming.joinColumnName('registration', 'id')).toBe('registration_id');
  });
});
