// When a save's engine work may run without the FHIRPath deadline (fhirpath-deadline.ts, `direct`).
import type { QuestionnaireResponse } from 'fhir/r4.js';
import { BUILT_IN_INSTRUMENTS } from '../engine/instrument-library.js';
import type { InstrumentDefinition } from '../engine/instrument.types.js';

/**
 * The forms shipped with the module, as the library holds them (the same objects: a clinic's import of the same
 * url is another object, and never shadows a built-in version). Their FHIRPath is ours, reviewed and tested: sums,
 * counts and comparisons over the answers, one `repeat(item)`, no regular expression and no recursion of its own.
 */
const BUILT_IN = new Set<InstrumentDefinition>(BUILT_IN_INSTRUMENTS);

/**
 * The most a response's answers may weigh (as JSON text) for a built-in form's work to run without the deadline.
 * A built-in form's work grows with the answers it is given (each expression walks them once); a PHQ-9's answers are
 * about 1 kB, the largest built-in form's with every free-text answer written out a few kB. Anything larger — a
 * hostile or malformed body, up to BODY_LIMIT_BYTES — runs under the deadline, as every imported form does.
 */
export const DIRECT_MAX_ANSWER_CHARS = 32 * 1024;

/** Whether this save's engine work is bounded by what it is given: a built-in form and a small response. */
export function boundedWithoutDeadline(definition: InstrumentDefinition, response: QuestionnaireResponse): boolean {
  if (!BUILT_IN.has(definition)) return false;
  return JSON.stringify(response.item ?? []).length <= DIRECT_MAX_ANSWER_CHARS;
}
