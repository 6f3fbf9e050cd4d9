// A response's chosen Codings as the form defines them, after validation (save-response.service.ts).
import type { Coding, Questionnaire, QuestionnaireItem, QuestionnaireResponse, QuestionnaireResponseItem, QuestionnaireResponseItemAnswer } from 'fhir/r4.js';
import { indexQuestionnaire } from './questionnaire-index.js';
import { translated } from './translations/translate.js';

type FormCoding = Coding & { _display?: { extension?: { url: string }[] } };

/**
 * The response with each chosen Coding replaced by the form's own option Coding (its system, code, version and
 * extensions), with the option's display in the response's language. Validation matches a chosen Coding to an option
 * by system and code only, and fhirpath.js's `weight()` reads a score weight (itemWeight, ordinalValue) from the
 * answer's own Coding before the form's option: a client that put a weight of 0 on each answer's Coding scored a PHQ-9
 * answered "Nearly every day" throughout as 0, and its item 9 raised no self-harm alert (review). Whatever else a
 * client put on a chosen Coding (extensions, a display saying another answer than its code) is not kept either: what
 * is scored, stored and written to the EHR is the form's answer. `questionnaire` carries the form's translations
 * (withBuiltInTranslations), `language` the response's. Answers that match no option (open-choice text, other value
 * types) are left as they are; validation has refused a Coding that matches none.
 */
export function withFormCodings(questionnaire: Questionnaire, response: QuestionnaireResponse, language: string): QuestionnaireResponse {
  const index = indexQuestionnaire(questionnaire);
  const items = (list: QuestionnaireResponseItem[] | undefined): QuestionnaireResponseItem[] | undefined =>
    list?.map((item) => {
      const qItem = index.byLinkId.get(item.linkId)?.item;
      return {
        ...item,
        ...(item.answer ? { answer: item.answer.map((a) => answer(qItem, a)) } : {}),
        ...(item.item ? { item: items(item.item) } : {}),
      };
    });
  const answer = (qItem: QuestionnaireItem | undefined, a: QuestionnaireResponseItemAnswer): QuestionnaireResponseItemAnswer => {
    const nested = a.item ? { item: items(a.item) } : {};
    const chosen = a.valueCoding;
    const option = chosen && qItem?.answerOption?.find((o) => o.valueCoding?.code === chosen.code && o.valueCoding?.system === chosen.system);
    if (!option?.valueCoding) return { ...a, ...nested };
    const { _display, display, ...coding } = option.valueCoding as FormCoding;
    const shown = translated(_display as never, language) ?? display;
    return { ...a, ...nested, valueCoding: { ...structuredClone(coding), ...(shown !== undefined ? { display: shown } : {}) } };
  };
  return response.item ? { ...response, item: items(response.item) } : response;
}
