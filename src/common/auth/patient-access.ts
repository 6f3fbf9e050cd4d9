import { DomainError } from '../errors/domain-error.js';
import type { SessionUser } from './session-user.js';

/**
 * May this user see this patient's data? A clinician only the patient in the EHR's context; a coordinator
 * any patient of their EHR (they run the program's worklists); a patient themself; a caregiver the patient
 * they care for. Quality and admin never see patient-level data through patient routes.
 */
export function canAccessPatient(user: SessionUser, patientId: string): boolean {
  switch (user.role) {
    case 'coordinator':
      return true;
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
    throw new DomainError('AUTH.PATIENT_NOT_IN_CONTEXT', 'This patient is not in your context; open them from the EHR.');
  }
}
