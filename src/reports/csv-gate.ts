// Which rows a CSV export may carry. The CSV is record-level (pseudonymous), so the threshold applies to
// the groups its rows can be told apart by, (cohort × participant type): a group smaller than the
// threshold is withheld whole, and an export left with fewer participants than the threshold is refused.
//
// The language column (issue 15) is a quasi-identifier as much as the cohort: a person's language is known to
// those around them, and "the one Spanish row in the Spring cohort" is a person. It is treated like the grouping
// columns, with the same threshold, but by blanking rather than withholding: within a kept group, the column is
// filled only when every language in it has at least k people; otherwise it is empty on every row of that group
// (emptying only the small language would name it by elimination, since the languages are few and known). Rows
// are not withheld for it: the values are what the export is for, and language is not needed to read them.
//
// The answer mode column (issue 12) gets the same treatment for the same reason: "the only proxy-answered rows
// in the Spring cohort" point at the one person who needs someone to type for them (advanced ALS). Within a kept
// group it is filled only when every answer mode in it (self, proxy) has at least k people, a person counting
// under each mode they have a row in; otherwise it is empty on every row of that group.
//
// Shown together, the two columns split a group finer than either does alone: 12 Spanish and 12 proxy rows can
// still hold exactly one person answering in Spanish through a proxy. So when a group would show both, every
// language × answer mode pair present in it must also have at least k people (a person counting under each pair
// they have a row in); otherwise the answer mode is blanked for the group and the language stays (the more useful
// column: the language-split reports read it). A group that shows only one of them is judged on that column alone.
// This still judges columns, not records: a pair with another column (timepoint × language, say) or the pattern
// of a person's rows (self at baseline, proxy at post) can single someone out; README (reports) says so.
import { DomainError } from '../common/errors/domain-error.js';
import type { CsvGroup, CsvRow } from './outcome-data.port.js';

export interface CsvPlan {
  /** Whether a row belongs to a group large enough to export. */
  keep: (row: Pick<CsvRow, 'cohort' | 'participantType'>) => boolean;
  /** Whether a kept row's group may show its language (every language in the group has ≥ k people). */
  languageShown: (row: Pick<CsvRow, 'cohort' | 'participantType'>) => boolean;
  /**
   * Whether a kept row's group may show its answer mode (every answer mode in the group has ≥ k people, and,
   * where the language is shown beside it, every language × answer mode pair too).
   */
  answerModeShown: (row: Pick<CsvRow, 'cohort' | 'participantType'>) => boolean;
  participants: number;
  rows: number;
  withheldGroups: number;
}

const keyOf = (g: Pick<CsvGroup, 'cohort' | 'participantType'>) => `${g.participantType}\u0000${g.cohort}`;

export function planCsv(groups: readonly CsvGroup[], threshold: number): CsvPlan {
  const kept = groups.filter((g) => g.participants >= threshold);
  const participants = kept.reduce((s, g) => s + g.participants, 0);
  if (participants < threshold) {
    throw new DomainError(
      'REPORTS.POPULATION_TOO_SMALL',
      `A participant-level CSV needs at least ${threshold} participants in groups (cohort × participant type) of ` +
        `at least ${threshold} each; these filters cover too few to export without identifying anyone. ` +
        'Widen the filters, or use the aggregate formats (json, html, measure-report), which suppress small counts instead.',
      [{ message: `fewer than ${threshold} participants in exportable groups`, expression: 'cohort' }],
    );
  }
  const keys = new Set(kept.map(keyOf));
  const large = (values: readonly { participants: number }[]) => values.every((v) => v.participants >= threshold);
  const speaking = new Set(kept.filter((g) => large(g.languages)).map(keyOf));
  const moded = new Set(kept.filter((g) => large(g.answerModes) && (!speaking.has(keyOf(g)) || large(g.pairs))).map(keyOf));
  return {
    keep: (row) => keys.has(keyOf(row)),
    languageShown: (row) => speaking.has(keyOf(row)),
    answerModeShown: (row) => moded.has(keyOf(row)),
    participants,
    rows: kept.reduce((s, g) => s + g.rows, 0),
    withheldGroups: groups.length - kept.length,
  };
}
