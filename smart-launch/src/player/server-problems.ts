import { ApiError } from '../lib/api';
import type { T } from '../lib/i18n';
import { fieldOf } from '../lib/outcome';
import { patientProblem } from '../lib/patient-problems';
import type { Answers, Question } from './model';
import { checkAnswer } from './validate';

// A refused submission, as the person reads it (issue 15): each problem the server located at a question is said in
// the player's own words for that question — the same check run here on the same answers (validate.ts, the engine's
// rules) gives the rule in the person's language; failing that, the issue's FHIR type — and anything else is one
// sentence by what the server answered (lib/patient-problems.ts). The server's own text (staff words, linkIds) is
// never shown.

export interface Problems {
  /** linkId → what to do about that question. */
  byLink: Record<string, string>;
  /** Problems not tied to a question of this form. */
  general: string[];
}

function byIssueType(code: string | undefined, t: T): string {
  if (code === 'required') return t('An answer is needed to go on.');
  if (code === 'code-invalid') return t('Please choose one of the answers shown.');
  return t('Please check this answer.');
}

export function serverProblems(e: unknown, questions: readonly Question[], answers: Answers, t: T): Problems {
  const known = new Map(questions.map((q) => [q.linkId, q]));
  const byLink: Record<string, string> = {};
  let unplaced = !(e instanceof ApiError);
  for (const issue of e instanceof ApiError ? e.outcome.issue : []) {
    if (issue.severity === 'information') continue;
    const questionsAt = (issue.expression ?? []).map(fieldOf).map((f) => known.get(f)).filter((q) => q !== undefined);
    if (!questionsAt.length) unplaced = true;
    for (const q of questionsAt) byLink[q.linkId] ??= checkAnswer(q, answers[q.linkId] ?? [], t) ?? byIssueType(issue.code, t);
  }
  if (e instanceof ApiError && !e.outcome.issue.length) unplaced = true;
  const general = unplaced ? [patientProblem(e, t, t('The answers could not be sent.'))] : [];
  return { byLink, general };
}
