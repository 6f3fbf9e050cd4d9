import type { SessionUser } from '../../common/auth/session-user.js';
import { DomainError } from '../../common/errors/domain-error.js';
import { resolveAnswering } from './answering.rules.js';
import { canSeeResponse, searchScope } from './response-access.rules.js';

type User = Pick<SessionUser, 'role' | 'fhirUser' | 'patientId'>;
const patient: User = { role: 'patient', fhirUser: 'Patient/p1', patientId: 'p1' };
const caregiver: User = { role: 'caregiver', fhirUser: 'RelatedPerson/rp1', patientId: 'p1' };
const clinician: User = { role: 'clinician', fhirUser: 'Practitioner/c1', patientId: 'p1' };

function refusal(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return (e as DomainError).code;
  }
  return 'none';
}

describe('who answered', () => {
  it('a patient answers their own forms alone', () => {
    expect(resolveAnswering(patient, 'Patient/p1')).toEqual({ subjectType: 'Patient', subjectId: 'p1', patientId: 'p1', author: 'Patient/p1', source: 'Patient/p1', mode: 'self' });
    expect(refusal(() => resolveAnswering(patient, 'Patient/p2'))).toBe('AUTH.PATIENT_NOT_IN_CONTEXT');
    expect(refusal(() => resolveAnswering(patient, 'RelatedPerson/rp1'))).toBe('QUESTIONNAIRES.SUBJECT_NOT_ALLOWED');
    expect(refusal(() => resolveAnswering(patient, 'Patient/p1', 'proxy'))).toBe('QUESTIONNAIRES.ANSWER_MODE_NOT_ALLOWED');
  });

  it('a caregiver enters the patient’s answers, reports as proxy, or answers their own forms', () => {
    expect(resolveAnswering(caregiver, 'Patient/p1')).toMatchObject({ author: 'RelatedPerson/rp1', source: 'Patient/p1', mode: 'caregiver-entered', patientId: 'p1' });
    expect(resolveAnswering(caregiver, 'Patient/p1', 'proxy')).toMatchObject({ author: 'RelatedPerson/rp1', source: 'RelatedPerson/rp1', mode: 'proxy' });
    expect(resolveAnswering(caregiver, 'RelatedPerson/rp1')).toMatchObject({ subjectType: 'RelatedPerson', source: 'RelatedPerson/rp1', mode: 'self', patientId: 'p1' });
    expect(refusal(() => resolveAnswering(caregiver, 'RelatedPerson/rp2'))).toBe('QUESTIONNAIRES.SUBJECT_NOT_ALLOWED');
    expect(refusal(() => resolveAnswering(caregiver, 'Patient/p2'))).toBe('AUTH.PATIENT_NOT_IN_CONTEXT');
    expect(refusal(() => resolveAnswering(caregiver, 'Patient/p1', 'clinician-read-aloud'))).toBe('QUESTIONNAIRES.ANSWER_MODE_NOT_ALLOWED');
  });

  it('a clinician reads the items aloud or gives a proxy report, for the patient in context only', () => {
    expect(resolveAnswering(clinician, 'Patient/p1')).toMatchObject({ author: 'Practitioner/c1', source: 'Patient/p1', mode: 'clinician-read-aloud' });
    expect(resolveAnswering(clinician, 'Patient/p1', 'proxy')).toMatchObject({ source: 'Practitioner/c1', mode: 'proxy' });
    expect(resolveAnswering(clinician, 'RelatedPerson/rp9')).toMatchObject({ patientId: 'p1', source: 'RelatedPerson/rp9' });
    expect(refusal(() => resolveAnswering(clinician, 'Patient/p2'))).toBe('AUTH.PATIENT_NOT_IN_CONTEXT');
    expect(refusal(() => resolveAnswering(clinician, 'Patient/p1', 'self'))).toBe('QUESTIONNAIRES.ANSWER_MODE_NOT_ALLOWED');
  });

  it('refuses a subject that is not a Patient or RelatedPerson reference, and roles that do not answer', () => {
    expect(refusal(() => resolveAnswering(patient, undefined))).toBe('QUESTIONNAIRES.INVALID_RESPONSE');
    expect(refusal(() => resolveAnswering(patient, 'Group/g1'))).toBe('QUESTIONNAIRES.INVALID_RESPONSE');
    expect(refusal(() => resolveAnswering({ ...clinician, role: 'quality' }, 'Patient/p1'))).toBe('AUTH.FORBIDDEN');
  });
});

describe('who sees a response', () => {
  const own = { patientId: 'p1', subjectType: 'Patient', subjectId: 'p1', author: 'Patient/p1' };
  const carers = { patientId: 'p1', subjectType: 'RelatedPerson', subjectId: 'rp1', author: 'RelatedPerson/rp1' };

  it('keeps a patient’s own answers from their caregiver unless the caregiver typed them', () => {
    expect(canSeeResponse(patient, own)).toBe(true);
    expect(canSeeResponse(caregiver, own)).toBe(false);
    expect(canSeeResponse(caregiver, { ...own, author: 'RelatedPerson/rp1' })).toBe(true);
    expect(canSeeResponse(caregiver, carers)).toBe(true);
    expect(canSeeResponse(patient, carers)).toBe(false);
    expect(canSeeResponse(clinician, carers)).toBe(true);
    expect(canSeeResponse({ ...clinician, patientId: 'p2' }, own)).toBe(false);
    expect(canSeeResponse({ ...clinician, role: 'coordinator' }, own)).toBe(false);
  });

  it('scopes searches the same way', () => {
    expect(searchScope(patient).params).toMatchObject({ patientId: 'p1', meType: 'Patient', meId: 'p1' });
    expect(searchScope(caregiver).where).toContain('r.author = :me');
    expect(searchScope({ ...clinician, role: 'quality' }).where).toBe('1 = 0');
  });
});
