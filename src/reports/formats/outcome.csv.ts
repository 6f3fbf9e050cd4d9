// The per-participant CSV: one row per pseudonymous participant × timepoint × score, RFC 4180 (CRLF,
// quoted where needed), streamed row by row so memory stays flat however large the export.
import { stringify, type Stringifier } from 'csv-stringify';
import type { CsvPlan } from '../csv-gate.js';
import type { CsvRow } from '../outcome-data.port.js';

export const CSV_COLUMNS = ['participant', 'participant_type', 'cohort', 'timepoint', 'instrument', 'score', 'value', 'answer_mode', 'language'] as const;

export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8; header=present';

/**
 * Spreadsheets run a cell that starts with = + - @ (or tab / CR) as a formula (OWASP "CSV injection"):
 * such text gets a leading apostrophe. Numbers are never altered, so a negative value stays a number.
 */
export function neutraliseFormula(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/** A row as the CSV's columns, text neutralised; answer mode and language empty where the gate blanks them (csv-gate.ts). */
export function csvRecord(row: CsvRow, shown: { answerMode: boolean; language: boolean }): (string | number)[] {
  const text = [row.participant, row.participantType, row.cohort, row.timepoint, row.instrument, row.score].map(neutraliseFormula);
  return [...text, row.value, shown.answerMode ? neutraliseFormula(row.answerMode) : '', shown.language ? neutraliseFormula(row.language) : ''];
}

/** A Transform stream: CsvRow objects in, CSV text out (header first, CRLF line ends, RFC 4180 quoting). */
export function csvStringifier(): Stringifier {
  return stringify({
    header: true,
    columns: [...CSV_COLUMNS],
    record_delimiter: 'windows',
    quoted_match: /^\s|\s$/,
    cast: { number: (v) => String(v) },
  });
}

/** Maps the port's rows to records as the gate's plan says: withheld groups dropped, answer mode and language blanked where due. */
export async function* csvRecords(
  rows: AsyncIterable<CsvRow>,
  plan: Pick<CsvPlan, 'keep' | 'languageShown' | 'answerModeShown'>,
  onRow?: () => void,
): AsyncIterable<(string | number)[]> {
  for await (const row of rows) {
    if (!plan.keep(row)) continue;
    onRow?.();
    yield csvRecord(row, { answerMode: plan.answerModeShown(row), language: plan.languageShown(row) });
  }
}
