import type { QuestionnaireResponse, QuestionnaireResponseItem, QuestionnaireResponseItemAnswer } from 'fhir/r4.js';
import type { QuestionnaireIndex } from './questionnaire-index.js';

// Copy-on-write edits of a QuestionnaireResponse: the caller's object is never mutated.
// Client JSON may be malformed (validation reports it): anything that is not a list of objects reads as empty.

/** A JSON object (not null, not an array). */
export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function listOf<T>(value: T[] | undefined): T[] {
  return Array.isArray(value) ? value.filter((e) => typeof e === 'object' && e !== null) : [];
}

/**
 * A copy of the response without any answers to calculated items: what a client sends for a score
 * is never trusted. Item nodes are copied; answers other than nested ones are shared.
 */
export function withoutCalculatedItems(response: QuestionnaireResponse, index: QuestionnaireIndex): QuestionnaireResponse {
  const calculated = new Set(index.calculated.map((c) => c.item.linkId));
  const strip = (items: QuestionnaireResponseItem[] | undefined): QuestionnaireResponseItem[] =>
    listOf(items)
      .filter((item) => !calculated.has(item.linkId))
      .map((item) => ({
        ...item,
        ...(item.item && { item: strip(item.item) }),
        ...(item.answer && {
          answer: listOf(item.answer).map((a) => (a.item ? { ...a, item: strip(a.item) } : a)),
        }),
      }));
  return { ...response, item: strip(response.item) };
}

/**
 * Puts a calculated item's answer in place, creating enclosing groups as needed and keeping siblings
 * in form order. Mutates `owned`, which must be a copy made by withoutCalculatedItems.
 */
export function placeCalculatedAnswer(
  owned: QuestionnaireResponse,
  index: QuestionnaireIndex,
  linkId: string,
  answer: QuestionnaireResponseItemAnswer,
): void {
  const entry = index.byLinkId.get(linkId);
  if (!entry) throw new Error(`No item ${linkId} in the Questionnaire`);
  let level = (owned.item ??= []);
  for (const ancestor of entry.ancestors) {
    if (ancestor.type !== 'group') throw new Error(`Calculated item ${linkId} must sit in groups only`);
    let group = level.find((i) => i.linkId === ancestor.linkId);
    if (!group) {
      group = { linkId: ancestor.linkId, text: ancestor.text, item: [] };
      insertInOrder(level, group, index);
    }
    level = group.item ??= [];
  }
  insertInOrder(level, { linkId, text: entry.item.text, answer: [answer] }, index);
}

function insertInOrder(level: QuestionnaireResponseItem[], item: QuestionnaireResponseItem, index: QuestionnaireIndex): void {
  const position = (i: QuestionnaireResponseItem) => index.byLinkId.get(i.linkId)?.position ?? Number.MAX_SAFE_INTEGER;
  const at = level.findIndex((sibling) => position(sibling) > position(item));
  level.splice(at < 0 ? level.length : at, 0, item);
}

/** Every item of the response, depth first, including items nested under answers. */
export function allResponseItems(items: QuestionnaireResponseItem[] | undefined, out: QuestionnaireResponseItem[] = []): QuestionnaireResponseItem[] {
  for (const item of listOf(items)) {
    out.push(item);
    allResponseItems(item.item, out);
    listOf(item.answer).forEach((a) => allResponseItems(a.item, out));
  }
  return out;
}
