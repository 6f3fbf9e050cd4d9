import { initialRole } from './users.service.js';

describe('initialRole', () => {
  const admins = ['https://ehr.clinic.example/fhir|Practitioner/it-lead'];

  it('makes a bootstrap admin only through the EHR named with it', () => {
    expect(initialRole('Practitioner', 'Practitioner/it-lead', admins, 'https://ehr.clinic.example/fhir')).toBe('admin');
    expect(initialRole('Practitioner', 'Practitioner/it-lead', admins, 'https://other-ehr.example/fhir')).toBe('clinician');
  });

  it('never makes an admin through a wildcard registration, where anyone can assert any id', () => {
    expect(initialRole('Practitioner', 'Practitioner/it-lead', ['https://launcher.example/v/*|Practitioner/it-lead'], 'https://launcher.example/v/*')).toBe('clinician');
  });

  it('gives patients and caregivers their own roles, practitioners the clinician role', () => {
    expect(initialRole('Patient', 'Patient/p1', admins, 'https://ehr.clinic.example/fhir')).toBe('patient');
    expect(initialRole('RelatedPerson', 'RelatedPerson/r1', admins, 'https://ehr.clinic.example/fhir')).toBe('caregiver');
    expect(initialRole('PractitionerRole', 'PractitionerRole/x', admins, 'https://ehr.clinic.example/fhir')).toBe('clinician');
  });
});
