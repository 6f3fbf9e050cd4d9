// Which scores the report analyses and what it needs to know about them, read from the questionnaire
// definitions (src/questionnaires, read-only): direction, MCID, bands and notes are data beside each form.
import type { QuestionnaireItem } from 'fhir/r4.js';
import type { InstrumentDefinition } from '../questionnaires/engine/instrument.types.js';
import { BUILT_IN_INSTRUMENTS } from '../questionnaires/engine/instrument-library.js';
import { programSatisfactionQuestionnaire, SATISFACTION_ITEM_IDS } from '../questionnaires/engine/instruments/program-satisfaction.js';
import type { ScoreMeta, TimepointCode } from './outcome-data.port.js';

export const SATISFACTION_URL = 'https://als-wellness.example.org/fhir/Questionnaire/program-satisfaction';

/** The satisfaction form's score, whose rows point at each submitted form. */
export const SATISFACTION_SCORE = 'satisfaction-mean';

/** The satisfaction ratings (1–5) summarised item by item, overall first, with their question text. */
export const SATISFACTION_ITEMS: readonly { linkId: string; text: string }[] = SATISFACTION_ITEM_IDS.map((linkId) => ({
  linkId,
  text: programSatisfactionQuestionnaire.item?.flatMap((i) => i.item ?? []).find((i) => i.linkId === linkId)?.text ?? linkId,
}));

function itemText(items: readonly QuestionnaireItem[] | undefined, linkId: string): string | undefined {
  for (const i of items ?? []) {
    if (i.linkId === linkId) return i.text;
    const nested = itemText(i.item, linkId);
    if (nested) return nested;
  }
  return undefined;
}

/** The report metadata of every score of an instrument; titles are the score items' short texts. */
export function scoreMetasOf(definition: InstrumentDefinition): ScoreMeta[] {
  const q = definition.questionnaire;
  return definition.scores.map((s) => ({
    instrumentUrl: q.url ?? '',
    instrumentTitle: q.title ?? q.name ?? q.url ?? '',
    linkId: s.linkId,
    title: itemText(q.item, s.linkId) ?? s.code.display ?? s.linkId,
    unit: s.unit,
    min: s.min,
    max: s.max,
    higherIsBetter: s.direction === 'higher-is-better',
    ...(s.mcid !== undefined ? { mcid: s.mcid } : {}),
    bands: s.bands.map((b) => ({ label: b.display, min: b.min })),
    ...(s.note ? { note: s.note } : {}),
  }));
}

/** Definitions by canonical URL (without version); the highest version's metadata applies to all. */
export function definitionsByUrl(definitions: readonly InstrumentDefinition[] = BUILT_IN_INSTRUMENTS): Map<string, InstrumentDefinition> {
  const map = new Map<string, InstrumentDefinition>();
  for (const d of definitions) if (d.questionnaire.url) map.set(d.questionnaire.url, d);
  return map;
}

/** Strips `|version` from a canonical. */
export const urlOf = (canonical: string): string => canonical.split('|')[0];

/**
 * The scores analysed before/after: those of instruments given at both baseline and post of the
 * program version, in the program's order. Instruments without a known definition are skipped.
 */
export function analysedScores(
  timepoints: readonly { code: TimepointCode; instruments: readonly string[] }[],
  definitions: Map<string, InstrumentDefinition> = definitionsByUrl(),
): ScoreMeta[] {
  const at = (code: TimepointCode) => new Set((timepoints.find((t) => t.code === code)?.instruments ?? []).map(urlOf));
  const baseline = at('baseline');
  const post = at('post');
  return [...baseline]
    .filter((url) => post.has(url) && url !== SATISFACTION_URL)
    .flatMap((url) => {
      const d = definitions.get(url);
      return d ? scoreMetasOf(d) : [];
    });
}

/** The rating (1–5) of a satisfaction answer code, from the answer options' itemWeight in the Questionnaire. */
export function satisfactionRating(linkId: string, code: string): number | undefined {
  return SATISFACTION_WEIGHTS.get(`${linkId} ${code}`);
}

const SATISFACTION_WEIGHTS = new Map<string, number>(
  (programSatisfactionQuestionnaire.item ?? [])
    .flatMap((i) => [i, ...(i.item ?? [])])
    .flatMap((i) =>
      (i.answerOption ?? []).flatMap((o) => {
        const weight = o.extension?.find((e) => e.url.endsWith('/itemWeight'))?.valueDecimal;
        return o.valueCoding?.code && weight !== undefined ? [[`${i.linkId} ${o.valueCoding.code}`, weight] as [string, number]] : [];
      }),
    ),
);
