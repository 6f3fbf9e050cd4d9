import type { Coding, Questionnaire, QuestionnaireItem, QuestionnaireItemAnswerOption } from 'fhir/r4';
import { withContainedOptions } from '@engine/answer-options';
import { EXT } from '@engine/codes';
import { calculatedExpressionOf, extensionValue } from '@engine/questionnaire-index';

// The pure side of the player: which questions a Questionnaire asks, in what order, and how their
// answers are typed and shown. No DOM. What is enabled, what is valid and what is sent are the engine's
// (src/questionnaires/engine), shared with the server.

export const ANSWERABLE = ['choice', 'open-choice', 'integer', 'decimal', 'string', 'text', 'boolean', 'date'] as const;
export type AnswerableType = (typeof ANSWERABLE)[number];

/** One answer as FHIR carries it (exactly one value[x]). */
export interface Answer {
  valueCoding?: Coding;
  valueInteger?: number;
  valueDecimal?: number;
  valueString?: string;
  valueBoolean?: boolean;
  valueDate?: string;
}
export type Answers = Record<string, Answer[]>;

/** A question as the player shows it: the item, where it sits, and the text shown above it. */
export interface Question {
  item: QuestionnaireItem & { type: AnswerableType };
  linkId: string;
  /** linkIds of the enclosing groups, outermost first (the response mirrors them). */
  path: string[];
  /** Instructions that came just before it (a display item such as PHQ-9's stem), and the section title. */
  preamble?: string;
  section?: string;
}

const hasExt = (item: QuestionnaireItem, url: string) => item.extension?.some((e) => e.url === url && e.valueBoolean !== false) ?? false;

/** Score items and hidden items are computed by the server, never asked. */
export function isAsked(item: QuestionnaireItem): boolean {
  if (!(ANSWERABLE as readonly string[]).includes(item.type)) return false;
  if (item.readOnly || hasExt(item, EXT.hidden)) return false;
  return calculatedExpressionOf(item) === undefined;
}

/** Every question in document order, nested groups flattened, with their preamble and section. */
export function questionsOf(q: Questionnaire): Question[] {
  const out: Question[] = [];
  const walk = (items: QuestionnaireItem[] | undefined, path: string[], section?: string) => {
    let preamble: string | undefined;
    for (const item of items ?? []) {
      if (item.type === 'display') preamble = item.text;
      else if (item.type === 'group') walk(item.item, [...path, item.linkId], item.text ?? section);
      // A choice whose answerValueSet the form contains is offered its codes (the engine checks them the same way).
      else if (isAsked(item)) out.push({ item: withContainedOptions(q, item) as Question['item'], linkId: item.linkId, path, preamble, section });
    }
  };
  walk(q.item, []);
  return out;
}

export function optionLabel(o: QuestionnaireItemAnswerOption): string {
  return o.valueCoding?.display ?? o.valueCoding?.code ?? o.valueString ?? String(o.valueInteger ?? o.valueDate ?? '');
}

/** An answer option as an Answer. */
export function optionAnswer(o: QuestionnaireItemAnswerOption): Answer {
  if (o.valueCoding) return { valueCoding: o.valueCoding };
  if (o.valueInteger !== undefined) return { valueInteger: o.valueInteger };
  if (o.valueDate !== undefined) return { valueDate: o.valueDate };
  return { valueString: o.valueString ?? '' };
}

export function sameAnswer(a: Answer, b: Answer): boolean {
  if (a.valueCoding || b.valueCoding) {
    return !!a.valueCoding && !!b.valueCoding && a.valueCoding.code === b.valueCoding.code && (a.valueCoding.system ?? '') === (b.valueCoding.system ?? '');
  }
  return answerValue(a) === answerValue(b);
}

/** The primitive inside an answer (codes compare by code). */
export function answerValue(a: Answer): string | number | boolean | undefined {
  return a.valueCoding?.code ?? a.valueInteger ?? a.valueDecimal ?? a.valueString ?? a.valueBoolean ?? a.valueDate;
}

/** What a person reads back on the review screen. */
export function answerLabel(q: Question, a: Answer): string {
  if (a.valueBoolean !== undefined) return a.valueBoolean ? 'Yes' : 'No';
  const option = q.item.answerOption?.find((o) => sameAnswer(optionAnswer(o), a));
  if (option) return optionLabel(option);
  return String(a.valueCoding?.display ?? answerValue(a) ?? '');
}

/** A numeric minValue/maxValue, read as the engine reads it. */
export function numberBound(item: QuestionnaireItem, url: string): number | undefined {
  const bound = extensionValue(item, url);
  return typeof bound === 'number' ? bound : undefined;
}
