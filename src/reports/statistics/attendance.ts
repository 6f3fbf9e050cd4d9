// Attendance of the 8-week course: how many sessions each participant attended, summarised by
// median and IQR (counts are skewed and bounded, so a mean would mislead) and the share meeting a
// completion rule such as "attended at least 6 of 8 sessions".
import { quantileOfSorted, sortedCopy } from './describe.js';
import { proportion, Proportion } from './proportion.js';
import { NotComputed } from './types.js';

export interface AttendanceRule {
  /** Sessions a participant must attend to count as having received the program. */
  minAttended: number;
}

export interface AttendanceSummary {
  n: number;
  /** Median and quartiles by R's quantile type 7; null when n = 0. */
  median: number | null;
  q1: number | null;
  q3: number | null;
  /** q3 − q1 (R: IQR). */
  iqr: number | null;
  /** Participants attending ≥ rule.minAttended sessions, with a Wilson 95% CI. */
  meetingRule: Proportion | NotComputed;
}

/** Summarises sessions attended per participant (one count per enrolled participant). */
export function attendanceSummary(attendedCounts: readonly number[], rule: AttendanceRule): AttendanceSummary {
  if (attendedCounts.some((c) => !Number.isInteger(c) || c < 0)) {
    throw new RangeError('attended counts must be non-negative integers');
  }
  if (!Number.isInteger(rule.minAttended) || rule.minAttended < 0) {
    throw new RangeError('minAttended must be a non-negative integer');
  }
  const n = attendedCounts.length;
  const meetingRule = proportion(attendedCounts.filter((c) => c >= rule.minAttended).length, n);
  if (n === 0) return { n, median: null, q1: null, q3: null, iqr: null, meetingRule };
  const sorted = sortedCopy(attendedCounts);
  const q1 = quantileOfSorted(sorted, 0.25);
  const q3 = quantileOfSorted(sorted, 0.75);
  return { n, median: quantileOfSorted(sorted, 0.5), q1, q3, iqr: q3 - q1, meetingRule };
}
