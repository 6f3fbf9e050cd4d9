import type { Questionnaire, QuestionnaireItem, QuestionnaireResponseItem } from 'fhir/r4';
import type { ScoreDefinition } from './responses';

// A score is named as its form names it: the score item's own short text ("PHQ-9 total score", "Mood before"),
// never its code's long (LOINC) display. The code's display is the last resort, for a form without item texts.

type Item = Pick<QuestionnaireItem | QuestionnaireResponseItem, 'linkId' | 'text'> & { item?: Item[] };

/** The text of the item `linkId`, anywhere in a Questionnaire's or a response's item tree. */
export function itemText(items: Item[] | undefined, linkId: string): string | undefined {
  for (const i of items ?? []) {
    if (i.linkId === linkId && i.text) return i.text;
    const nested = itemText(i.item, linkId);
    if (nested) return nested;
  }
  return undefined;
}

/** The score's everyday name, from the form (or a response to it) when one is at hand. */
export function scoreName(def: ScoreDefinition, form?: Pick<Questionnaire, 'item'> | { item?: Item[] }): string {
  return itemText(form?.item as Item[] | undefined, def.linkId) ?? def.code.display ?? def.linkId;
}
