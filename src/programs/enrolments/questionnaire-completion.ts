
/** What the completion rule needs to know about an enrolment's questionnaires. */
export interface QuestionnaireCompletionQuery {
  registrationId: string;
  enrolmentId: string;
  patientId: string;
  programVersionId: string;
}

/**
 * Port: are the enrolment's post-program questionnaires done? Answered by the questionnaires module, which
 * owns responses and timepoints (PostQuestionnaireCompletion, bound in app.module.ts through ProgramsModule.register).
 */
export abstract class QuestionnaireCompletion {
  abstract postQuestionnairesDone(q: QuestionnaireCompletionQuery): Promise<boolean>;
}
