// A response as the form defines it, before it is validated, scored and stored (save-response.service.ts).
import type { Coding, Questionnaire, QuestionnaireItem, QuestionnaireResponse, QuestionnaireResponseItem, QuestionnaireResponseItemAnswer } from 'fhir/r4.js';
import { withContainedOptions } from './answer-options.js';
import { indexQuestionnaire } from './questionnaire-index.js';
import { isObject } from './response-tree.js';
import { translated } from './translations/translate.js';
import type { ValidationIssue } from './validation.types.js';

type FormCoding = Coding & { _display?: unknown };

/** What an item and an answer of a response may carry; anything else is refused. */
const ITEM_KEYS = new Set(['linkId', 'text', 'definition', 'answer', 'item', 'id', 'extension']);
const isAnswerKey = (k: string) => k.startsWith('value') || k === 'item' || k === 'id' || k === 'extension';

/**
 * The response rebuilt from what the form defines, validated, scored, stored and written back as such (review: what a
 * client adds must never change what an answer means):
 * - an item keeps its linkId, its answers and items, and the form's text in the response's language;
 * - an answer keeps its value[x] and items; a chosen Coding becomes the form's option Coding (its system, code, version
 *   and extensions: an imported form may weigh its options there), with the option's display in the response's
 *   language; a Coding that matches no option keeps system, version, code and display only (no weight of its own);
 * - anything else a client put there (extensions, ids) is not kept. fhirpath.js's `weight()` reads a weight on an
 *   answer's own Coding before the form's option: a PHQ-9 answered "Nearly every day" throughout, each Coding
 *   weighed 0, scored 0 and raised no self-harm alert (review).
 * Options are the item's own or those of a contained ValueSet, as validation reads them. `questionnaire` carries the
 * form's translations (withBuiltInTranslations). A malformed item or answer is left as it is, for validation to refuse.
 *
 * `foreign` lists the elements a client put on items or answers that the form does not define, to be refused (400),
 * never stored nor read: fhirpath.js takes any object with a `resourceType` for a resource, so `"resourceType": "X"`
 * on PHQ-9 item 9 made its answer unreadable (no total, no self-harm alert; review); a `_valueCoding`,
 * `_valueString`… element carries a weight `weight()` reads before the form's; a `modifierExtension` would change
 * what the answer means, and nothing here would honour it.
 */
export function canonicalResponse(questionnaire: Questionnaire, response: QuestionnaireResponse, language: string): { response: QuestionnaireResponse; foreign: ValidationIssue[] } {
  const index = indexQuestionnaire(questionnaire);
  const foreign: ValidationIssue[] = [];
  const refuse = (key: string, expression: string) =>
    foreign.push({ severity: 'error', rule: 'unknown-element', message: `${key} is not an element this form's answers may carry`, expression });
  const items = (list: QuestionnaireResponseItem[] | undefined, path: string): QuestionnaireResponseItem[] | undefined => {
    if (!Array.isArray(list)) return list;
    return list.map((item, i) => {
      if (!isObject(item)) return item;
      const at = `${path}[${i}]`;
      for (const k of Object.keys(item)) if (!ITEM_KEYS.has(k)) refuse(k, `${at}.${k}`);
      if (typeof item.linkId !== 'string') return item;
      const found = index.byLinkId.get(item.linkId)?.item;
      const qItem = found ? withContainedOptions(questionnaire, found) : undefined;
      const text = qItem ? (translated((qItem as { _text?: never })._text, language) ?? qItem.text) : item.text;
      return {
        linkId: item.linkId,
        ...(item.definition !== undefined ? { definition: item.definition } : {}),
        ...(text !== undefined ? { text } : {}),
        ...(item.answer !== undefined ? { answer: Array.isArray(item.answer) ? item.answer.map((a, j) => answer(qItem, a, `${at}.answer[${j}]`)) : item.answer } : {}),
        ...(item.item !== undefined ? { item: items(item.item, `${at}.item`) } : {}),
      };
    });
  };
  const answer = (qItem: QuestionnaireItem | undefined, a: QuestionnaireResponseItemAnswer, at: string): QuestionnaireResponseItemAnswer => {
    if (!isObject(a)) return a;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(a)) {
      if (!isAnswerKey(k)) refuse(k, `${at}.${k}`);
      if (k === 'item') out.item = items(v as QuestionnaireResponseItem[], `${at}.item`);
      else if (k === 'valueCoding' && isObject(v)) out.valueCoding = coding(qItem, v as Coding);
      else if (k.startsWith('value')) out[k] = isObject(v) ? withoutExtensions(v) : v;
    }
    return out as QuestionnaireResponseItemAnswer;
  };
  const coding = (qItem: QuestionnaireItem | undefined, chosen: Coding): Coding => {
    const option = qItem?.answerOption?.find((o) => o.valueCoding?.code === chosen.code && o.valueCoding?.system === chosen.system)?.valueCoding;
    if (!option) {
      const { system, version, code, display } = chosen;
      return { ...(system !== undefined ? { system } : {}), ...(version !== undefined ? { version } : {}), ...(code !== undefined ? { code } : {}), ...(display !== undefined ? { display } : {}) };
    }
    const { _display, display, ...rest } = option as FormCoding;
    const shown = translated(_display as never, language) ?? display;
    return { ...structuredClone(rest), ...(shown !== undefined ? { display: shown } : {}) };
  };
  return { response: Array.isArray(response.item) ? { ...response, item: items(response.item, 'QuestionnaireResponse.item') } : response, foreign };
}

/** A value object (Quantity, Attachment, Reference…) without extensions of its own, at any depth. */
function withoutExtensions(v: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    if (k === 'extension' || k === 'modifierExtension' || k.startsWith('_')) continue;
    out[k] = isObject(x) ? withoutExtensions(x) : x;
  }
  return out;
}
