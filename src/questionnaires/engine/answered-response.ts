import type {
  Questionnaire,
  QuestionnaireItem,
  QuestionnaireResponse,
  QuestionnaireResponseItem,
  QuestionnaireResponseItemAnswer,
} from 'fhir/r4.js';
import { canonicalOf } from './canonical.js';
import { enabledItems } from './enable-when.js';
import { calculatedExpressionOf } from './questionnaire-index.js';

// The response a person's answers make, as a form filler sends it (the browser's player builds every draft and
// submission with it): only answers to items that are enabled in that very response, enableWhen and
// enableWhenExpression evaluated by the same code validateResponse runs on the server.

/** Answers keyed by linkId, each as FHIR carries it (one value[x]). */
export type AnswersByLinkId = Readonly<Record<string, readonly QuestionnaireResponseItemAnswer[] | undefined>>;

export interface AnsweredResponse {
  response: QuestionnaireResponse;
  /** linkIds of every item enabled in `response` (an item inside a disabled group is not): the questions to ask. */
  enabled: Set<string>;
}

/**
 * Builds the response from answers keyed by linkId: form order, groups as the Questionnaire nests them (items
 * nested under a question's answer are not built), no display or calculated items (the server computes those).
 * Leaving out the answer to a disabled item may change what else is enabled (a chain of conditions, an expression
 * that counts answers), so the response is built again until the answers it holds are exactly those whose items
 * are enabled in it. The server then finds no answer to a disabled item, and every enabled item the person
 * answered is there. `base` gives the other fields; status defaults to `completed`, questionnaire to `url|version`.
 */
export function answeredResponse(questionnaire: Questionnaire, answers: AnswersByLinkId, base: Partial<QuestionnaireResponse> = {}): AnsweredResponse {
  const shell: QuestionnaireResponse = { resourceType: 'QuestionnaireResponse', questionnaire: canonicalOf(questionnaire), status: 'completed', ...base };
  const answered = answeredItems(questionnaire.item, answers);
  let keep = (_linkId: string) => true;
  // Each round that does not settle changes what is kept; conditions that never settle get the last round (the server decides).
  for (let round = 0; ; round++) {
    const response: QuestionnaireResponse = { ...shell, item: itemsOf(questionnaire.item, answers, keep) };
    const enabled = enabledItems(questionnaire, response);
    if (round >= answered.length || answered.every((linkId) => keep(linkId) === enabled.has(linkId))) return { response, enabled };
    keep = (linkId) => enabled.has(linkId);
  }
}

/** Whether the item's answers belong in a response at all: display, group and calculated items take none from a person. */
function takesAnswers(item: QuestionnaireItem): boolean {
  return item.type !== 'display' && item.type !== 'group' && calculatedExpressionOf(item) === undefined;
}

function answeredItems(items: QuestionnaireItem[] | undefined, answers: AnswersByLinkId, out: string[] = []): string[] {
  for (const item of items ?? []) {
    if (item.type === 'group') answeredItems(item.item, answers, out);
    else if (takesAnswers(item) && answers[item.linkId]?.length) out.push(item.linkId);
  }
  return out;
}

function itemsOf(items: QuestionnaireItem[] | undefined, answers: AnswersByLinkId, keep: (linkId: string) => boolean): QuestionnaireResponseItem[] {
  return (items ?? []).flatMap((item): QuestionnaireResponseItem[] => {
    const text = item.text === undefined ? {} : { text: item.text };
    if (item.type === 'group') {
      const children = itemsOf(item.item, answers, keep);
      return children.length > 0 ? [{ linkId: item.linkId, ...text, item: children }] : [];
    }
    const given = answers[item.linkId];
    if (!takesAnswers(item) || !given?.length || !keep(item.linkId)) return [];
    return [{ linkId: item.linkId, ...text, answer: given.map((a) => ({ ...a })) }];
  });
}
