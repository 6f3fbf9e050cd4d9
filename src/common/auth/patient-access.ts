import { DomainError } from '../errors/domain-error.js';
import type { SessionUser } from './session-user.js';

/**
 * May this user see this patient's data? A clinician only the patient in the EHR's context; a coordinator
 * any patient of their EHR (they run the program's worklists) — unless the EHR launched them with a patient
 * in context: then, like a clinician, only that patient, so no other patient ever shows under that patient's
 * banner; a patient themself; a caregiver the patient they care for. Quality and admin never see
 * patient-level data through patient routes.
 */
export function canAccessPatient(user: SessionUser, patientId: string): boolean {
  switch (user.role) {
    case 'coordinator':
      return user.patientId === null || user.patientId === patientId;
    case 'clinician':
    case 'patient':
    case 'caregiver':
      return user.patientId !== null && user.patientId === patientId;
    case 'quality':
    case 'admin':
      return false;
  }
}

export function assertCanAccessPatient(user: SessionUser, patientId: string): void {
  if (!canAccessPatient(user, patientId)) {
    const refusal = new DomainError('AUTH.PATIENT_NOT_IN_CONTEXT', 'This patient is not in your context; open them from the EHR.');
    refusal.patientId = patientId || null; // the audit log says whose data was asked for
    throw refusal;
  }
}

/**
 * Which patients a list may show this user when the request names none: `undefined` = every patient of
 * their EHR (a coordinator without a patient in context), otherwise the one patient in context ('' = none).
 */
export function patientScope(user: SessionUser): string | undefined {
  if (user.role === 'coordinator' && user.patientId === null) return undefined;
  return canAccessPatient(user, user.patientId ?? '') ? (user.patientId ?? '') : '';
}
