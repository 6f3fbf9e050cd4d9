import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainError } from '../../common/errors/domain-error.js';
import { QuestionnaireResponse } from './questionnaire-response.entity.js';
import { assertCanSeeResponse } from './response-access.rules.js';
import type { Caller, SearchQuery } from './response-request.js';
import { searchResponses } from './response-search.js';

/**
 * Reading responses: one response or a search, only what the caller may see (response-access.rules.ts). Answers
 * are PHI: their routes audit each read (`questionnaire-response.read`, `questionnaire-response.search`).
 */
@Injectable()
export class ReadResponsesService {
  constructor(private readonly ds: DataSource) {}

  /** One response the caller may see (also the check before resuming or amending it). */
  async get(c: Caller, id: string): Promise<QuestionnaireResponse> {
    const row = await this.ds.getRepository(QuestionnaireResponse).findOneBy({ id, registrationId: c.user.registrationId });
    if (!row) throw new DomainError('QUESTIONNAIRES.NOT_FOUND', 'No such questionnaire response.');
    assertCanSeeResponse(c.user, row);
    return row;
  }

  /** The responses the caller may see, newest first (at most 100). */
  async search(c: Caller, f: SearchQuery): Promise<QuestionnaireResponse[]> {
    return searchResponses(this.ds.getRepository(QuestionnaireResponse), c.user, f);
  }
}
