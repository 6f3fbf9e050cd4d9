import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ProgramVersion } from '../catalogue/program-version.entity.js';
import { evaluateCompletion, type CompletionVerdict } from './completion.rules.js';
import type { Enrolment } from './enrolment.entity.js';
import { QuestionnaireCompletion } from './questionnaire-completion.js';

/** Gathers what the completion rule needs: the patient's attended sessions and the questionnaire port's answer. */
@Injectable()
export class CompletionCheck {
  constructor(private readonly questionnaires: QuestionnaireCompletion) {}

  /** Asked before any transaction opens: the adapter reads through its own connection. */
  async questionnairesDone(e: Enrolment): Promise<boolean> {
    return this.questionnaires.postQuestionnairesDone({ registrationId: e.registrationId, enrolmentId: e.id, patientId: e.patientId, programVersionId: e.programVersionId });
  }

  async evaluate(m: EntityManager, e: Enrolment, questionnairesDone: boolean): Promise<CompletionVerdict> {
    const version = await m.getRepository(ProgramVersion).findOneByOrFail({ id: e.programVersionId });
    const [{ n }] = (await m.query(
      `SELECT count(*)::int AS n FROM attendance a JOIN enrolment_participant p ON p.id = a.participant_id
       WHERE p.enrolment_id = $1 AND p.role = 'patient' AND a.status = 'attended'`,
      [e.id],
    )) as { n: number }[];
    return evaluateCompletion(version.completionRule, n, questionnairesDone);
  }
}
