import type { Questionnaire, QuestionnaireItem, QuestionnaireItemAnswerOption } from 'fhir/r4.js';
import { EXT, WEIGHT_EXTENSIONS } from './codes.js';

// Lookups over a Questionnaire's item tree, built once per Questionnaire object.

export interface IndexedItem {
  item: QuestionnaireItem;
  /** Enclosing items, outermost first. */
  ancestors: QuestionnaireItem[];
  /** Position among its siblings, to keep response items in form order. */
  position: number;
}

export interface QuestionnaireIndex {
  byLinkId: Map<string, IndexedItem>;
  /** Items with a calculatedExpression, in document order (the order they are computed in). */
  calculated: IndexedItem[];
}

const indexes = new WeakMap<Questionnaire, QuestionnaireIndex>();

export function indexQuestionnaire(questionnaire: Questionnaire): QuestionnaireIndex {
  let index = indexes.get(questionnaire);
  if (!index) {
    index = { byLinkId: new Map(), calculated: [] };
    const visit = (items: QuestionnaireItem[] | undefined, ancestors: QuestionnaireItem[]): void => {
      items?.forEach((item, position) => {
        const entry = { item, ancestors, position };
        // First wins on a duplicate linkId; import validation refuses such forms anyway.
        if (!index!.byLinkId.has(item.linkId)) index!.byLinkId.set(item.linkId, entry);
        if (calculatedExpressionOf(item) !== undefined) index!.calculated.push(entry);
        visit(item.item, [...ancestors, item]);
      });
    };
    visit(questionnaire.item, []);
    indexes.set(questionnaire, index);
  }
  return index;
}

export function calculatedExpressionOf(item: QuestionnaireItem): string | undefined {
  return item.extension?.find((e) => e.url === EXT.calculatedExpression)?.valueExpression?.expression;
}

export function enableWhenExpressionOf(item: QuestionnaireItem): string | undefined {
  return item.extension?.find((e) => e.url === EXT.enableWhenExpression)?.valueExpression?.expression;
}

/**
 * The option's score as fhirpath.js's weight() sees it: an itemWeight/ordinalValue extension on the
 * answerOption itself, valueDecimal only.
 */
export function optionWeight(option: QuestionnaireItemAnswerOption): number | undefined {
  return option.extension?.find((e) => WEIGHT_EXTENSIONS.includes(e.url))?.valueDecimal;
}

/** The item's value[x] extension (minValue/maxValue) as a number or string, if present. */
export function extensionValue(item: QuestionnaireItem, url: string): number | string | undefined {
  const ext = item.extension?.find((e) => e.url === url);
  return ext?.valueInteger ?? ext?.valueDecimal ?? ext?.valueDate ?? ext?.valueDateTime ?? ext?.valueTime;
}
