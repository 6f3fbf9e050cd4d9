import { DomainError, type IssueDetail } from '../../common/errors/domain-error.js';
import type { CompletionRule } from '../catalogue/program-definition.js';

/** Where an enrolment stands against its program version's completion rule. */
export interface CompletionVerdict {
  met: boolean;
  /** Sessions the patient attended. */
  attended: number;
  minAttended: number;
  questionnairesRequired: boolean;
  /** As the QuestionnaireCompletion port answers; always true when the rule does not require them. */
  questionnairesDone: boolean;
}

/** Course rule: at least `minAttended` sessions attended AND (if required) the post questionnaires done. Pure. */
export function evaluateCompletion(rule: CompletionRule, attended: number, postQuestionnairesDone: boolean): CompletionVerdict {
  const questionnairesDone = !rule.requirePostQuestionnaires || postQuestionnairesDone;
  return {
    met: attended >= rule.minAttended && questionnairesDone,
    attended,
    minAttended: rule.minAttended,
    questionnairesRequired: rule.requirePostQuestionnaires,
    questionnairesDone,
  };
}

/** PROGRAMS.COMPLETION_RULE_NOT_MET (409) with one issue per unmet part of the rule. */
export function assertCompletionMet(v: CompletionVerdict): void {
  if (v.met) return;
  const issues: IssueDetail[] = [];
  if (v.attended < v.minAttended) issues.push({ message: `attended ${v.attended} of the ${v.minAttended} sessions required`, expression: 'attendance' });
  if (!v.questionnairesDone) issues.push({ message: 'the post questionnaires are not all completed', expression: 'questionnaires' });
  throw new DomainError('PROGRAMS.COMPLETION_RULE_NOT_MET', "The program's completion rule is not met yet.", issues);
}
