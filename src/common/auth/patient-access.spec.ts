import { canAccessPatient, patientScope } from './patient-access.js';
import type { SessionUser } from './session-user.js';

const base: SessionUser = {
  sessionId: 's',
  userId: 'u',
  registrationId: 'r',
  issuer: 'https://ehr.example/fhir',
  fhirUser: 'Practitioner/p1',
  role: 'clinician',
  displayName: 'Dr Synthetic',
  patientId: 'pat-1',
  encounterId: null,
  needPatientBanner: true,
  smartStyleUrl: null,
  csrfToken: 'x',
};

describe('canAccessPatient', () => {
  it('lets a clinician see only the patient in context', () => {
    expect(canAccessPatient(base, 'pat-1')).toBe(true);
    expect(canAccessPatient(base, 'pat-2')).toBe(false);
    expect(canAccessPatient({ ...base, patientId: null }, 'pat-1')).toBe(false);
  });
  it('lets a coordinator work any patient of their EHR', () => {
    expect(canAccessPatient({ ...base, role: 'coordinator', patientId: null }, 'pat-2')).toBe(true);
  });
  it('limits a coordinator launched with a patient in context to that patient (never another under its banner)', () => {
    expect(canAccessPatient({ ...base, role: 'coordinator' }, 'pat-1')).toBe(true);
    expect(canAccessPatient({ ...base, role: 'coordinator' }, 'pat-2')).toBe(false);
  });
  it('scopes lists: every patient for a coordinator without one in context, else the one in context or none', () => {
    expect(patientScope({ ...base, role: 'coordinator', patientId: null })).toBeUndefined();
    expect(patientScope({ ...base, role: 'coordinator' })).toBe('pat-1');
    expect(patientScope(base)).toBe('pat-1');
    expect(patientScope({ ...base, patientId: null })).toBe('');
    expect(patientScope({ ...base, role: 'admin' })).toBe('');
  });
  it('keeps quality and admin away from patient-level data', () => {
    expect(canAccessPatient({ ...base, role: 'quality' }, 'pat-1')).toBe(false);
    expect(canAccessPatient({ ...base, role: 'admin' }, 'pat-1')).toBe(false);
  });
  it('lets patients and caregivers see only their own patient', () => {
    expect(canAccessPatient({ ...base, role: 'patient' }, 'pat-1')).toBe(true);
    expect(canAccessPatient({ ...base, role: 'caregiver' }, 'pat-9')).toBe(false);
  });
});
