import { needsPatient, scopesFor, toV1 } from './scopes.js';

describe('scopesFor', () => {
  it('asks an EHR launch for launch, identity, offline access and the clinical v2 scopes', () => {
    const s = scopesFor('ehr', { v2: true }).split(' ');
    expect(s).toEqual(expect.arrayContaining(['launch', 'openid', 'fhirUser', 'offline_access', 'patient/QuestionnaireResponse.cru']));
    expect(s).not.toContain('launch/patient');
  });

  it('asks a quality user for identity only: no patient data, no patient picker', () => {
    expect(scopesFor('quality', { v2: true })).toBe('openid fhirUser');
    expect(needsPatient('quality')).toBe(false);
    expect(needsPatient('coordinator')).toBe(false);
    expect(needsPatient('patient')).toBe(true);
  });

  it('asks an admin for identity and the staff directory only (Practitioners, to give roles ahead of a sign-in)', () => {
    expect(scopesFor('admin', { v2: true })).toBe('openid fhirUser user/Practitioner.rs');
    expect(scopesFor('admin', { v2: false })).toBe('openid fhirUser user/Practitioner.read');
    expect(scopesFor('ehr', { v2: true }).split(' ')).toContain('user/Practitioner.rs');
  });

  it('translates to v1 for an EHR that only speaks v1', () => {
    expect(toV1('patient/Task.cru')).toEqual(['patient/Task.read', 'patient/Task.write']);
    expect(toV1('patient/Patient.r')).toEqual(['patient/Patient.read']);
    expect(toV1('openid')).toEqual(['openid']);
    const s = scopesFor('ehr', { v2: false });
    expect(s).toContain('patient/Observation.write');
    expect(s).not.toMatch(/\.c?r?u?d?s?(\s|$)(?<!read |write )/);
    expect(s).not.toContain('.cru');
  });

  it('asks to read Questionnaires wherever a launch can name a form (fhirContext), in v2 and v1', () => {
    for (const workflow of ['ehr', 'patient', 'caregiver'] as const) {
      expect(scopesFor(workflow, { v2: true }).split(' ')).toContain('user/Questionnaire.rs');
      expect(scopesFor(workflow, { v2: false }).split(' ')).toContain('user/Questionnaire.read');
    }
  });

  it('narrows clinical scopes to what the registration allows', () => {
    const s = scopesFor('ehr', { v2: true, registrationScopes: 'patient/Patient.r patient/QuestionnaireResponse.cru' }).split(' ');
    expect(s).toEqual(['launch', 'openid', 'fhirUser', 'offline_access', 'patient/Patient.r', 'patient/QuestionnaireResponse.cru']);
  });
});
