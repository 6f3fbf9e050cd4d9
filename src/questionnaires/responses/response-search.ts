import type { Repository } from 'typeorm';
import { assertCanAccessPatient } from '../../common/auth/patient-access.js';
import type { SessionUser } from '../../common/auth/session-user.js';
import type { QuestionnaireResponse } from './questionnaire-response.entity.js';
import { searchScope } from './response-access.rules.js';
import type { SearchQuery } from './response-request.js';

/**
 * The search query: the responses a user may see, newest first (at most 100): a clinician the patient in context's,
 * a patient their own, a caregiver their own forms and those they typed.
 */
export function searchResponses(repo: Repository<QuestionnaireResponse>, user: SessionUser, f: SearchQuery): Promise<QuestionnaireResponse[]> {
  if (f.patient) assertCanAccessPatient(user, f.patient);
  const scope = searchScope(user);
  const q = repo.createQueryBuilder('r')
    .where('r.registrationId = :rid', { rid: user.registrationId })
    .andWhere(scope.where, scope.params)
    .orderBy('r.updatedAt', 'DESC')
    .limit(100);
  if (f.status) q.andWhere('r.status = :status', { status: f.status });
  if (f.questionnaire) q.andWhere(f.questionnaire.includes('|') ? 'r.questionnaire = :qn' : 'r.questionnaireUrl = :qn', { qn: f.questionnaire });
  return q.getMany();
}
