import type { Coding, QuestionnaireItem, QuestionnaireItemAnswerOption } from 'fhir/r4.js';
import { EXT } from '../codes.js';

// Small constructors so the instrument files read as the published forms and cannot drift in shape.

/** An answer option carrying its score as an SDC itemWeight (valueDecimal: fhirpath.js reads no other type). */
export function weightedOption(coding: Coding, weight: number): QuestionnaireItemAnswerOption {
  return { valueCoding: coding, extension: [{ url: EXT.itemWeight, valueDecimal: weight }] };
}

/** Options that share codes and displays, weighted in list order (e.g. 0..3), or by `weights` (reversed items). */
export function weightedOptions(codings: readonly Coding[], weights: readonly number[]): QuestionnaireItemAnswerOption[] {
  return codings.map((coding, i) => weightedOption(coding, weights[i]));
}

export function choiceItem(
  linkId: string,
  text: string,
  code: Coding,
  answerOption: QuestionnaireItemAnswerOption[],
  required = true,
): QuestionnaireItem {
  return { linkId, code: [code], text, type: 'choice', required, repeats: false, answerOption };
}

export function displayItem(linkId: string, text: string): QuestionnaireItem {
  return { linkId, text, type: 'display' };
}

/** A free-text item; maxLength keeps notes reviewable and bounded in the database. */
export function textItem(linkId: string, text: string, code: Coding, maxLength: number): QuestionnaireItem {
  return { linkId, code: [code], text, type: 'text', required: false, repeats: false, maxLength };
}

/**
 * A hidden, read-only score item whose value the engine computes from the answers;
 * whatever a client sends for it is discarded. Unless `extract` is false it is marked for SDC observation-based
 * extraction: its value is written to the EHR as an Observation coded with `code` (engine/extraction.ts).
 */
export function scoreItem(
  linkId: string,
  text: string,
  code: Coding,
  type: 'integer' | 'decimal',
  expression: string,
  { extract = true }: { extract?: boolean } = {},
): QuestionnaireItem {
  return {
    linkId,
    code: [code],
    text,
    type,
    readOnly: true,
    required: false,
    extension: [
      { url: EXT.hidden, valueBoolean: true },
      {
        url: EXT.calculatedExpression,
        valueExpression: { language: 'text/fhirpath', expression },
      },
      ...(extract ? [{ url: EXT.observationExtract, valueBoolean: true }] : []),
    ],
  };
}
