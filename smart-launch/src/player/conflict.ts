import type { Answer, Answers } from './model';

// The draft was saved on another screen meanwhile (SavedElsewhere.tsx): which answers on this screen were never
// saved, and the answers "Keep my answers" saves onto the latest saved version. Pure: no DOM, no framework.
// Written here rather than with a deep-equal library: an answer is compared by its FHIR value only (a coding by
// system and code), so a display or extension the server adds to what it stores never reads as a change.

/** One answer's value as a comparable key (a coding by system|code; others by their value[x]). */
function valueKey(a: Answer): string {
  if (a.valueCoding) return `coding:${a.valueCoding.system ?? ''}|${a.valueCoding.code ?? ''}`;
  for (const k of ['valueInteger', 'valueDecimal', 'valueString', 'valueBoolean', 'valueDate'] as const) {
    if (a[k] !== undefined) return `${k}:${String(a[k])}`;
  }
  return 'none';
}

function same(a: Answer[] | undefined, b: Answer[] | undefined): boolean {
  const x = (a ?? []).map(valueKey);
  const y = (b ?? []).map(valueKey);
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

/** linkIds whose answer on this screen differs from the version this screen last saved (or opened): not saved. */
export function unsavedChanges(onScreen: Answers, lastSaved: Answers): string[] {
  const ids = new Set([...Object.keys(onScreen), ...Object.keys(lastSaved)]);
  return [...ids].filter((id) => !same(onScreen[id], lastSaved[id]));
}

/**
 * "Keep my answers": the latest saved answers, with every answer the person gave or cleared on this screen since it
 * last saved put back on top. A question answered only on the other screen keeps that answer; one the person
 * changed here (a crisis answer above all) keeps theirs, so the server's safety rules run on it when it is saved.
 */
export function keepMine(onScreen: Answers, lastSaved: Answers, latest: Answers): Answers {
  const out: Answers = { ...latest };
  for (const id of unsavedChanges(onScreen, lastSaved)) out[id] = onScreen[id] ?? [];
  return out;
}
