import type { Questionnaire, QuestionnaireItem, QuestionnaireResponse, QuestionnaireResponseItem, Reference } from 'fhir/r4';
import { isEnabled } from './enable-when';
import { EXT, isAsked, type Answers } from './model';

// Answers ⇄ FHIR QuestionnaireResponse. The response mirrors the Questionnaire's group structure and
// leaves out disabled, hidden and calculated items: the server computes scores and ignores any we send.

export const ANSWER_MODES = [
  { code: 'self', label: 'The person themselves', hint: 'Answering on my own, with or without help using the device.' },
  { code: 'caregiver-entered', label: 'A caregiver entering the person’s own answers', hint: 'The person gives each answer; a caregiver selects it.' },
  { code: 'clinician-read-aloud', label: 'A clinician reading the questions aloud', hint: 'The clinician reads, the person answers, the clinician enters it.' },
  { code: 'proxy', label: 'Someone answering on the person’s behalf (proxy)', hint: 'The answers are the proxy’s own judgement about the person.' },
] as const;
export type AnswerMode = (typeof ANSWER_MODES)[number]['code'];

export interface ResponseMeta {
  id?: string;
  subject?: Reference;
  mode?: AnswerMode;
  /** Extra fields the host keeps (basedOn, source, meta.versionId…) are carried through unchanged. */
  base?: Partial<QuestionnaireResponse>;
}

function canonical(q: Questionnaire): string {
  return q.version ? `${q.url}|${q.version}` : (q.url ?? `Questionnaire/${q.id}`);
}

function itemsFor(items: QuestionnaireItem[] | undefined, answers: Answers): QuestionnaireResponseItem[] {
  const out: QuestionnaireResponseItem[] = [];
  for (const item of items ?? []) {
    if (!isEnabled(item, answers)) continue;
    if (item.type === 'group') {
      const children = itemsFor(item.item, answers);
      if (children.length) out.push({ linkId: item.linkId, text: item.text, item: children });
    } else if (isAsked(item) && answers[item.linkId]?.length) {
      out.push({ linkId: item.linkId, text: item.text, answer: answers[item.linkId].map((a) => ({ ...a })) });
    }
  }
  return out;
}

export function buildResponse(q: Questionnaire, answers: Answers, status: 'in-progress' | 'completed', meta: ResponseMeta): QuestionnaireResponse {
  const others = (meta.base?.extension ?? []).filter((e) => e.url !== EXT.answerMode);
  return {
    ...meta.base,
    resourceType: 'QuestionnaireResponse',
    ...(meta.id ? { id: meta.id } : {}),
    questionnaire: canonical(q),
    status,
    ...(meta.subject ? { subject: meta.subject } : {}),
    ...(meta.mode ? { extension: [...others, { url: EXT.answerMode, valueCode: meta.mode }] } : {}),
    item: itemsFor(q.item, answers),
  };
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

export function modeOf(qr: QuestionnaireResponse | undefined): AnswerMode | undefined {
  return qr?.extension?.find((e) => e.url === EXT.answerMode)?.valueCode as AnswerMode | undefined;
}
