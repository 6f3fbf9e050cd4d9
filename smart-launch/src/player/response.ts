import type { Questionnaire, QuestionnaireResponse, QuestionnaireResponseItem, Reference } from 'fhir/r4';
import { answeredResponse, type AnsweredResponse } from '@engine/answered-response';
import { canonicalOf } from '@engine/canonical';
import { ANSWER_MODE_EXTENSION, type AnswerMode } from './answer-mode';
import type { Answers, Question } from './model';

// Answers ⇄ FHIR QuestionnaireResponse, built by the server's own engine (src/questionnaires/engine): the
// response mirrors the Questionnaire's groups and holds only answers to questions that are enabled in it
// (enableWhen and enableWhenExpression, decided by the code the server validates with). Calculated items are
// left out: the server computes scores and ignores any we send.

export interface ResponseMeta {
  id?: string;
  subject?: Reference;
  mode?: AnswerMode;
  /** Extra fields the host keeps (basedOn, source, meta.versionId…) are carried through unchanged. */
  base?: Partial<QuestionnaireResponse>;
}

/**
 * The answers a response is built from: the person's to the questions the player asks, and, unchanged, those the
 * response already held for items the player does not ask — a hidden item or a reference, quantity, attachment…
 * the server pre-filled from the EHR ($populate), or a resumed draft carries. Dropping those lost chart data the
 * form asked for (the launch's encounter, SDC's hidden items). Calculated items (the server's scores) are left
 * out by the engine, which computes them again, and it keeps only answers to enabled items.
 */
function kept(answers: Answers): Answers {
  return Object.fromEntries(Object.entries(answers).filter(([, given]) => given?.length));
}

/** The response these answers make and which items are enabled in it. */
export function answered(q: Questionnaire, answers: Answers, status: 'in-progress' | 'completed' = 'completed', meta: ResponseMeta = {}): AnsweredResponse {
  const others = (meta.base?.extension ?? []).filter((e) => e.url !== ANSWER_MODE_EXTENSION);
  return answeredResponse(q, kept(answers), {
    ...meta.base,
    ...(meta.id ? { id: meta.id } : {}),
    questionnaire: canonicalOf(q),
    // The language the form is shown in: a Spanish rendition carries language 'es' (issue 15), a clinic's form its
    // own (any BCP-47 tag). A form that names none is in its default language, which the server fills in.
    ...(q.language ? { language: q.language } : {}),
    status,
    ...(meta.subject ? { subject: meta.subject } : {}),
    ...(meta.mode ? { extension: [...others, { url: ANSWER_MODE_EXTENSION, valueCode: meta.mode }] } : {}),
  });
}

/** The questions to ask, in form order: those enabled in the response the answers so far make. */
export function enabledQuestions(q: Questionnaire, questions: readonly Question[], answers: Answers): Question[] {
  const { enabled } = answered(q, answers);
  return questions.filter((x) => enabled.has(x.linkId));
}

/** The answers inside a saved response, keyed by linkId (nested groups flattened). */
export function answersOf(qr: QuestionnaireResponse | undefined): Answers {
  const out: Answers = {};
  const walk = (items: QuestionnaireResponseItem[] | undefined) => {
    for (const i of items ?? []) {
      if (i.answer?.length) out[i.linkId] = i.answer.map(({ item: _nested, ...a }) => a);
      walk(i.item);
      for (const a of i.answer ?? []) walk(a.item);
    }
  };
  walk(qr?.item);
  return out;
}
