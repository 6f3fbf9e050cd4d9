import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { assertCanAccessPatient } from '../../common/auth/patient-access.js';
import { QuestionnaireResponse } from './questionnaire-response.entity.js';
import { searchScope } from './response-access.rules.js';
import type { SearchQuery } from './response-request.js';
import type { Caller } from './responses.service.js';

/**
 * Lists the responses a caller may see, newest first (at most 100): a clinician the patient in context's, a
 * patient their own, a caregiver their own forms and those they typed. Its route audits the search (PHI).
 */
@Injectable()
export class ResponseSearch {
  constructor(private readonly ds: DataSource) {}

  async search(c: Caller, f: SearchQuery): Promise<QuestionnaireResponse[]> {
    if (f.patient) assertCanAccessPatient(c.user, f.patient);
    const scope = searchScope(c.user);
    const q = this.ds.getRepository(QuestionnaireResponse).createQueryBuilder('r')
      .where('r.registrationId = :rid', { rid: c.user.registrationId })
      .andWhere(scope.where, scope.params)
      .orderBy('r.updatedAt', 'DESC')
      .limit(100);
    if (f.status) q.andWhere('r.status = :status', { status: f.status });
    if (f.questionnaire) q.andWhere(f.questionnaire.includes('|') ? 'r.questionnaire = :qn' : 'r.questionnaireUrl = :qn', { qn: f.questionnaire });
    return q.getMany();
  }
}
