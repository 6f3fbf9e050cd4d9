import { assertCanAccessPatient } from '../../common/auth/patient-access.js';
import type { SessionUser } from '../../common/auth/session-user.js';
import { DomainError } from '../../common/errors/domain-error.js';
import { parseReference } from '../../fhir/references.js';

/** The fields of a stored response that decide who may see it. */
export interface ResponseOwnership {
  patientId: string;
  subjectType: string;
  subjectId: string;
  author: string;
}

type User = Pick<SessionUser, 'role' | 'fhirUser' | 'patientId'>;

/**
 * May this user see (and so resume or amend) this response? Always the patient check first; then a patient
 * sees the forms about themself; a caregiver their own forms and those they typed, never the patient's private
 * answers (PHQ-9 item 9 is for the clinician); a clinician everything about the patient in context.
 * Quality, admin and coordinators never reach here (route roles).
 */
export function canSeeResponse(user: User, r: ResponseOwnership): boolean {
  try {
    assertCanAccessPatient(user as SessionUser, r.patientId);
  } catch {
    return false;
  }
  const subject = `${r.subjectType}/${r.subjectId}`;
  switch (user.role) {
    case 'patient':
      return subject === user.fhirUser;
    case 'caregiver':
      return subject === user.fhirUser || r.author === user.fhirUser;
    case 'clinician':
      return true;
    default:
      return false;
  }
}

/** Throws the refusal the error filter audits (patient outside context) or a plain one for the rest. */
export function assertCanSeeResponse(user: User, r: ResponseOwnership): void {
  assertCanAccessPatient(user as SessionUser, r.patientId);
  if (!canSeeResponse(user, r)) throw new DomainError('QUESTIONNAIRES.SUBJECT_NOT_ALLOWED', 'This response is not yours to see.');
}

/** SQL conditions (TypeORM query-builder syntax, alias `r`) that restrict a search to what `canSeeResponse` allows. */
export function searchScope(user: User): { where: string; params: Record<string, unknown> } {
  const patientId = user.patientId ?? '';
  const { type: meType, id: meId } = parseReference(user.fhirUser) ?? { type: '', id: '' };
  const mine = 'r.subjectType = :meType AND r.subjectId = :meId';
  switch (user.role) {
    case 'patient':
      return { where: `r.patientId = :patientId AND ${mine}`, params: { patientId, meType, meId } };
    case 'caregiver':
      return { where: `r.patientId = :patientId AND ((${mine}) OR r.author = :me)`, params: { patientId, meType, meId, me: user.fhirUser } };
    case 'clinician':
      return { where: 'r.patientId = :patientId', params: { patientId } };
    default:
      return { where: '1 = 0', params: {} };
  }
}
