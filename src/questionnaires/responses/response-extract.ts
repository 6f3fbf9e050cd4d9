import type { QuestionnaireResponse } from 'fhir/r4.js';
import { extractObservations, type ExtractedObservation } from '../engine/extraction.js';
import type { InstrumentDefinition } from '../engine/instrument.types.js';
import type { WithdrawnObservation } from './response.fhir.js';

/**
 * The Observations one submitted version sends to the EHR, from its Questionnaire's SDC extraction, and (for an
 * amendment) those the previous version sent that this one no longer yields, to be marked entered-in-error. One
 * rule for the write-back and for `$extract`, so that what `$extract` shows is what was written.
 */
export function observationsToWrite(
  definition: InstrumentDefinition,
  current: QuestionnaireResponse,
  previous: QuestionnaireResponse | null,
  earlierScores: readonly EarlierScore[] = [],
): { observations: ExtractedObservation[]; withdrawn: WithdrawnObservation[] } {
  const observations = extractObservations(definition, current);
  const kept = new Set(observations.map((o) => o.key));
  const withdrawn: WithdrawnObservation[] = previous
    ? extractObservations(definition, previous).filter((o) => !kept.has(o.key)).map(({ key, code, category }) => ({ key, code, category }))
    : [];
  // Re-extracting the previous version with today's definition misses what an earlier rule wrote: before SDC
  // extraction every stored score with a value was an Observation (keyed by its linkId). Those not written now go too.
  if (previous) {
    const gone = new Set(withdrawn.map((w) => w.key));
    for (const s of earlierScores) {
      if (kept.has(s.linkId) || gone.has(s.linkId)) continue;
      gone.add(s.linkId);
      withdrawn.push({ key: s.linkId, code: { coding: [{ system: s.codeSystem, code: s.code }] } });
    }
  }
  return { observations, withdrawn };
}

/** A score the previous submitted version stored with a value (a questionnaire_score row). */
export interface EarlierScore {
  linkId: string;
  codeSystem: string;
  code: string;
}
