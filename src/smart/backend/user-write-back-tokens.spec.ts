import type { LoadedSession, SessionService } from '../session/session.service.js';
import { fits } from './user-write-back-tokens.js';

/** A session launched for `patientId` (or none) whose token was granted `scope`. */
function session(scope: string, patientId: string | null) {
  const sessions = { state: () => ({ tokenResponse: { scope } }) } as unknown as SessionService;
  const loaded = { row: { patientId } } as unknown as LoadedSession;
  return (work: { patientKey: string; taskUpdate?: boolean }) => fits(sessions, loaded, { actor: null, ...work });
}

describe('fits (a user token for a write-back)', () => {
  it('takes user-level writes for any patient, patient-level ones only for the launch patient', () => {
    expect(session('user/Observation.write', null)({ patientKey: 'Patient/p1' })).toBe(true);
    expect(session('patient/QuestionnaireResponse.cu', 'p1')({ patientKey: 'Patient/p1' })).toBe(true);
    expect(session('patient/QuestionnaireResponse.cu', 'p2')({ patientKey: 'Patient/p1' })).toBe(false);
  });

  it('for a Task completion, wants Task update at user level, or at patient level from a launch for this very patient', () => {
    expect(session('user/*.cruds', null)({ patientKey: 'Patient/p1', taskUpdate: true })).toBe(true);
    expect(session('user/Observation.write user/Task.u', null)({ patientKey: 'Patient/p1', taskUpdate: true })).toBe(true);
    expect(session('patient/*.cruds', 'p1')({ patientKey: 'Patient/p1', taskUpdate: true })).toBe(true);
    // Another patient's launch: its patient/Task.u would be refused by the EHR on every retry.
    expect(session('user/Observation.write patient/Task.u', 'p2')({ patientKey: 'Patient/p1', taskUpdate: true })).toBe(false);
    expect(session('user/Observation.write user/Task.r', null)({ patientKey: 'Patient/p1', taskUpdate: true })).toBe(false);
  });
});
