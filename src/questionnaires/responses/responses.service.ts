import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { SessionUser } from '../../common/auth/session-user.js';
import { DomainError, type IssueDetail } from '../../common/errors/domain-error.js';
import { QuestionnairesService } from '../definitions/questionnaires.service.js';
import { parseCanonical } from '../engine/canonical.js';
import type { InstrumentDefinition } from '../engine/instrument.types.js';
import { AssignmentsService } from '../timepoints/assignments.service.js';
import { QuestionnaireAssignment } from '../timepoints/questionnaire-assignment.entity.js';
import { resolveAnswering } from './answering.rules.js';
import { QuestionnaireResponse } from './questionnaire-response.entity.js';
import { assertCanSeeResponse } from './response-access.rules.js';
import type { ResponseInput, ResponseQuery } from './response-request.js';
import { ResponseWriter, type SaveResult } from './response-writer.js';

export interface Caller {
  user: SessionUser;
  requestId: string | null;
}

const AT_QUESTIONNAIRE = 'QuestionnaireResponse.questionnaire';
const AT_STATUS = 'QuestionnaireResponse.status';

function invalid(message: string, expression: string, code: IssueDetail['code'] = 'invalid'): DomainError {
  return new DomainError('QUESTIONNAIRES.INVALID_RESPONSE', message, [{ message, expression, code }]);
}

/**
 * Start → draft (`in-progress`, resumable later by anyone allowed) → submit (`completed`) → amend (`amended`).
 * Each request is one transaction: on any refusal nothing is stored.
 */
@Injectable()
export class ResponsesService {
  constructor(
    private readonly ds: DataSource,
    private readonly questionnaires: QuestionnairesService,
    private readonly assignments: AssignmentsService,
    private readonly writer: ResponseWriter,
  ) {}

  /** A new response: a draft (`in-progress`) or a direct submission (`completed`). */
  async create(c: Caller, input: ResponseInput, query: ResponseQuery): Promise<SaveResult> {
    if (input.status !== 'in-progress' && input.status !== 'completed') {
      throw invalid('A new response is in-progress (a draft) or completed', AT_STATUS, 'value');
    }
    const status = input.status;
    const definition = await this.definitionOf(c.user.registrationId, input.questionnaire);
    return this.ds.transaction(async (m) => {
      const assignment = query.assignment ? await this.assignments.claim(m, c.user.registrationId, query.assignment) : null;
      const subject = input.subject ?? (assignment ? `${assignment.subjectType}/${assignment.subjectId}` : undefined);
      const answering = resolveAnswering(c.user, subject, query.mode);
      if (assignment && assignment.patientId !== answering.patientId) {
        // A due form is someone's: it can only be answered in that patient's context.
        throw new DomainError('AUTH.PATIENT_NOT_IN_CONTEXT', 'This form belongs to a patient outside your context.');
      }
      if (assignment) {
        if (subject !== `${assignment.subjectType}/${assignment.subjectId}`) throw invalid('The subject is not the one this form is assigned to', 'QuestionnaireResponse.subject');
        if (input.questionnaire !== assignment.questionnaire) throw invalid(`This form asks for ${assignment.questionnaire}`, AT_QUESTIONNAIRE, 'value');
      }
      return this.writer.save(m, { ...c, definition, answering, status, items: input.items, language: input.language, existing: null, assignment });
    });
  }

  /** Save a draft again, submit it, or amend a submitted response, at the version the client last read. */
  async update(c: Caller, id: string, input: ResponseInput, expected: number, query: ResponseQuery): Promise<SaveResult> {
    const current = await this.visible(c.user, id);
    if (input.questionnaire !== undefined && input.questionnaire !== current.questionnaire) {
      throw invalid(`This response answers ${current.questionnaire}; start a new response for another version`, AT_QUESTIONNAIRE, 'value');
    }
    const definition = await this.definitionOf(c.user.registrationId, current.questionnaire);
    return this.ds.transaction(async (m) => {
      const existing = await m.getRepository(QuestionnaireResponse).findOneOrFail({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (existing.version !== expected) {
        throw new DomainError('QUESTIONNAIRES.VERSION_CONFLICT', `This response is at version ${existing.version}, not ${expected}; reload it.`);
      }
      const status = nextStatus(existing.status, input.status);
      const subject = `${existing.subjectType}/${existing.subjectId}`;
      if (input.subject !== undefined && input.subject !== subject) throw invalid('The subject of a response cannot change', 'QuestionnaireResponse.subject');
      const answering = resolveAnswering(c.user, subject, query.mode ?? (existing.author === c.user.fhirUser ? existing.answerMode : undefined));
      const assignment = await this.assignmentOf(m, existing, status);
      return this.writer.save(m, { ...c, definition, answering, status, items: input.items, language: input.language, existing, assignment });
    });
  }

  /** One response the caller may see (answers are PHI: its route audits the read, `questionnaire-response.read`). */
  async get(c: Caller, id: string): Promise<QuestionnaireResponse> {
    return this.visible(c.user, id);
  }

  private async visible(user: SessionUser, id: string): Promise<QuestionnaireResponse> {
    const row = await this.ds.getRepository(QuestionnaireResponse).findOneBy({ id, registrationId: user.registrationId });
    if (!row) throw new DomainError('QUESTIONNAIRES.NOT_FOUND', 'No such questionnaire response.');
    assertCanSeeResponse(user, row);
    return row;
  }

  /** The exact version the response names; a bare url or an unknown version is a per-item error. */
  private async definitionOf(registrationId: string, canonical: string | undefined): Promise<InstrumentDefinition> {
    if (!canonical || parseCanonical(canonical).version === undefined) {
      throw invalid('questionnaire must name the exact version answered: <url>|<version>', AT_QUESTIONNAIRE, 'required');
    }
    const definition = await this.questionnaires.find(registrationId, canonical);
    if (!definition) throw invalid(`Unknown questionnaire version ${canonical}`, AT_QUESTIONNAIRE, 'not-found');
    return definition;
  }

  /** The due form: locked and still open when a draft is saved or submitted; read only for an amendment. */
  private async assignmentOf(m: EntityManager, r: QuestionnaireResponse, status: string): Promise<QuestionnaireAssignment | null> {
    if (!r.assignmentId) return null;
    if (r.status === 'in-progress') return this.assignments.claim(m, r.registrationId, r.assignmentId, r.id);
    return status === 'amended' ? m.getRepository(QuestionnaireAssignment).findOneBy({ id: r.assignmentId }) : null;
  }
}

/** draft → draft | completed; completed/amended → amended (a resent `completed` counts as an amendment). */
function nextStatus(current: string, wanted: string | undefined): 'in-progress' | 'completed' | 'amended' {
  if (current === 'in-progress' && (wanted === 'in-progress' || wanted === 'completed')) return wanted;
  if ((current === 'completed' || current === 'amended') && (wanted === 'completed' || wanted === 'amended')) return 'amended';
  throw new DomainError('QUESTIONNAIRES.ILLEGAL_TRANSITION', `A ${current} response cannot become ${wanted ?? '(no status)'}.`, [
    { message: `status ${wanted ?? '(none)'} is not allowed after ${current}`, expression: AT_STATUS, code: 'business-rule' },
  ]);
}
