import { assertCanAccessPatient } from '../../common/auth/patient-access.js';
import type { SessionUser } from '../../common/auth/session-user.js';
import { DomainError } from '../../common/errors/domain-error.js';
import { SUBJECT_REFERENCE, type AnswerMode, type SubjectType } from '../questionnaire.vocabulary.js';

/** Who a response is about, whose answers it holds and who typed them: decided by the server, never the body. */
export interface Answering {
  subjectType: SubjectType;
  subjectId: string;
  /** The patient the answers concern (also for a caregiver's own form): every access check uses it. */
  patientId: string;
  /** The signed-in user's fhirUser. */
  author: string;
  source: string;
  mode: AnswerMode;
}

type User = Pick<SessionUser, 'role' | 'fhirUser' | 'patientId'>;

const AT_SUBJECT = 'QuestionnaireResponse.subject';

function subjectRefused(message: string): DomainError {
  return new DomainError('QUESTIONNAIRES.SUBJECT_NOT_ALLOWED', message, [{ message, expression: AT_SUBJECT, code: 'forbidden' }]);
}

function modeRefused(mode: AnswerMode, user: User): DomainError {
  const message = `A ${user.role} cannot answer in mode '${mode}' for this subject.`;
  return new DomainError('QUESTIONNAIRES.ANSWER_MODE_NOT_ALLOWED', message, [{ message, expression: 'mode', code: 'forbidden' }]);
}

/** The patient in the user's context, or a refusal that names the subject (audited by the error filter). */
function contextPatient(user: User, subjectPatient?: string): string {
  const patientId = subjectPatient ?? user.patientId ?? '';
  try {
    assertCanAccessPatient(user as SessionUser, patientId);
  } catch (err) {
    const e = err as DomainError;
    throw new DomainError(e.code, e.message, [{ message: 'This subject is not the patient in your context.', expression: AT_SUBJECT, code: 'forbidden' }]);
  }
  return patientId;
}

/**
 * Applies the answering rules (README, "Who answered"): a patient answers only their own forms; a caregiver
 * answers their own forms, enters their patient's answers, or gives a proxy report about their patient; a
 * clinician reads the items aloud to the patient (or a caregiver) in context, or gives a proxy report.
 * `mode` defaults to the usual one for the user and subject.
 */
export function resolveAnswering(user: User, subject: string | undefined, mode?: AnswerMode): Answering {
  const m = SUBJECT_REFERENCE.exec(subject ?? '');
  if (!m) {
    const message = 'subject must be Patient/<id> or RelatedPerson/<id>';
    throw new DomainError('QUESTIONNAIRES.INVALID_RESPONSE', message, [{ message, expression: AT_SUBJECT, code: 'required' }]);
  }
  const [reference, subjectType, subjectId] = [m[0], m[1] as SubjectType, m[2]];
  const onPatient = subjectType === 'Patient';
  const base = { subjectType, subjectId, author: user.fhirUser };
  switch (user.role) {
    case 'patient': {
      if (!onPatient) throw subjectRefused('A patient answers only their own forms.');
      const patientId = contextPatient(user, subjectId);
      if (user.fhirUser !== reference) throw subjectRefused('A patient answers only their own forms.');
      if ((mode ?? 'self') !== 'self') throw modeRefused(mode as AnswerMode, user);
      return { ...base, patientId, source: reference, mode: 'self' };
    }
    case 'caregiver': {
      const patientId = contextPatient(user, onPatient ? subjectId : undefined);
      if (!onPatient) {
        if (reference !== user.fhirUser) throw subjectRefused("A caregiver answers their own forms, not another person's.");
        if ((mode ?? 'self') !== 'self') throw modeRefused(mode as AnswerMode, user);
        return { ...base, patientId, source: reference, mode: 'self' };
      }
      const chosen = mode ?? 'caregiver-entered';
      if (chosen === 'caregiver-entered') return { ...base, patientId, source: reference, mode: chosen };
      if (chosen === 'proxy') return { ...base, patientId, source: user.fhirUser, mode: chosen };
      throw modeRefused(chosen, user);
    }
    case 'clinician': {
      const patientId = contextPatient(user, onPatient ? subjectId : undefined);
      const chosen = mode ?? 'clinician-read-aloud';
      if (chosen === 'clinician-read-aloud') return { ...base, patientId, source: reference, mode: chosen };
      if (chosen === 'proxy' && onPatient) return { ...base, patientId, source: user.fhirUser, mode: chosen };
      throw modeRefused(chosen, user);
    }
    default:
      throw new DomainError('AUTH.FORBIDDEN', 'Your role does not answer questionnaires.');
  }
}
