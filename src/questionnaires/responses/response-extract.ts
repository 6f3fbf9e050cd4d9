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
): { observations: ExtractedObservation[]; withdrawn: WithdrawnObservation[] } {
  const observations = extractObservations(definition, current);
  const kept = new Set(observations.map((o) => o.key));
  const withdrawn = previous
    ? extractObservations(definition, previous).filter((o) => !kept.has(o.key)).map(({ key, code, category }) => ({ key, code, category }))
    : [];
  return { observations, withdrawn };
}
