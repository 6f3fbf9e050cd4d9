import { Injectable } from '@nestjs/common';

/** What the completion rule needs to know about an enrolment's questionnaires. */
export interface QuestionnaireCompletionQuery {
  registrationId: string;
  enrolmentId: string;
  patientId: string;
  programVersionId: string;
}

/**
 * Port: are the enrolment's post-program questionnaires done? Answered by the questionnaires module
 * (issue 5), which owns responses and timepoints; until it provides an adapter (replace the provider in
 * programs.module.ts), the default below answers "not done", so a program that requires them cannot complete.
 */
export abstract class QuestionnaireCompletion {
  abstract postQuestionnairesDone(q: QuestionnaireCompletionQuery): Promise<boolean>;
}

@Injectable()
export class NoQuestionnairesYet extends QuestionnaireCompletion {
  async postQuestionnairesDone(): Promise<boolean> {
    return false;
  }
}
