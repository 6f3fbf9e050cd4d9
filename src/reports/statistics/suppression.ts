// Small-cell suppression for de-identified reports: counts of 1..k−1 people (k = 11 by default, as in
// CMS's cell-size policy) are never shown, nor can they be worked out from what is shown: every small
// count keeps at least two values consistent with all published sums, whole numbers and the bounds a
// reader knows (suppressed ≥ 1, and ≤ k − 1 for a reader who guesses it is small). A reader may still
// bound a hidden cell ("between 1 and 9"); the engine does not promise full protection intervals.
import { Entry, protect, ProtectOptions, SumConstraint } from './suppression-engine.js';

/** A count withheld to protect privacy; rendered instead of a number. */
export interface Suppressed {
  suppressed: true;
}

export type Cell = number | Suppressed;

export interface SuppressionOptions {
  /** Smallest count that may be shown; 1..threshold − 1 are suppressed. Default 11. */
  threshold?: number;
  /** Suppress zeros too. Default false: a zero reveals nothing about a person. */
  suppressZero?: boolean;
}

export const SUPPRESSED: Suppressed = Object.freeze({ suppressed: true as const });

export function isSuppressed(cell: Cell): cell is Suppressed {
  return typeof cell === 'object';
}

function resolve(options: SuppressionOptions): ProtectOptions {
  const threshold = options.threshold ?? 11;
  if (!Number.isInteger(threshold) || threshold < 1) throw new RangeError('threshold must be an integer ≥ 1');
  return { threshold, suppressZero: options.suppressZero ?? false };
}

function checkCounts(counts: readonly number[]): void {
  if (counts.some((c) => !Number.isInteger(c) || c < 0)) throw new RangeError('counts must be non-negative integers');
}

const sum = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0);
const show = (value: number, hidden: boolean): Cell => (hidden ? SUPPRESSED : value);
const entry = (value: number, isTotal = false, published = true): Entry => ({ value, isTotal, published });

/**
 * A list of counts and their published total (e.g. how referrals ended: enrolled, declined, ineligible,
 * not reached). If one cell is suppressed, the next smallest non-zero cell is too, or else the total.
 */
export function suppressList(
  counts: readonly number[],
  options: SuppressionOptions = {},
): { cells: Cell[]; total: Cell } {
  checkCounts(counts);
  const entries = [...counts.map((c) => entry(c)), entry(sum(counts), true)];
  const totalIndex = counts.length;
  const hidden = protect(entries, [{ total: totalIndex, parts: counts.map((_, i) => i) }], resolve(options));
  return {
    cells: counts.map((c, i) => show(c, hidden[i])),
    total: show(entries[totalIndex].value, hidden[totalIndex]),
  };
}

export interface SuppressedCrossTab {
  cells: Cell[][];
  rowTotals: Cell[];
  columnTotals: Cell[];
  grandTotal: Cell;
}

/**
 * A cross-tab (e.g. band before × band after) published with row, column and grand totals. Complements
 * are added until no small cell follows from any combination of rows, columns and totals.
 */
export function suppressCrossTab(
  counts: readonly (readonly number[])[],
  options: SuppressionOptions = {},
): SuppressedCrossTab {
  const rows = counts.length;
  const cols = rows === 0 ? 0 : counts[0].length;
  if (counts.some((r) => r.length !== cols)) throw new RangeError('all rows must have the same length');
  counts.forEach(checkCounts);
  const cell = (i: number, j: number) => i * cols + j;
  const rowTotal = (i: number) => rows * cols + i;
  const colTotal = (j: number) => rows * cols + rows + j;
  const grand = rows * cols + rows + cols;
  const entries: Entry[] = [
    ...counts.flat().map((c) => entry(c)),
    ...counts.map((r) => entry(sum(r), true)),
    ...Array.from({ length: cols }, (_, j) => entry(sum(counts.map((r) => r[j])), true)),
    entry(sum(counts.flat()), true),
  ];
  const range = (n: number) => Array.from({ length: n }, (_, i) => i);
  const constraints: SumConstraint[] = [
    ...range(rows).map((i) => ({ total: rowTotal(i), parts: range(cols).map((j) => cell(i, j)) })),
    ...range(cols).map((j) => ({ total: colTotal(j), parts: range(rows).map((i) => cell(i, j)) })),
    { total: grand, parts: range(rows).map(rowTotal) },
    { total: grand, parts: range(cols).map(colTotal) },
  ];
  const hidden = protect(entries, constraints, resolve(options));
  const at = (k: number) => show(entries[k].value, hidden[k]);
  return {
    cells: range(rows).map((i) => range(cols).map((j) => at(cell(i, j)))),
    rowTotals: range(rows).map((i) => at(rowTotal(i))),
    columnTotals: range(cols).map((j) => at(colTotal(j))),
    grandTotal: at(grand),
  };
}

/**
 * Nested funnel stages (referred ≥ screened ≥ enrolled ≥ completed). The losses between stages are
 * never printed but follow by subtraction, so a small loss (3 withdrew) is protected like a cell.
 */
export function suppressFunnel(stages: readonly number[], options: SuppressionOptions = {}): Cell[] {
  checkCounts(stages);
  if (stages.some((s, i) => i > 0 && s > stages[i - 1])) throw new RangeError('funnel stages must not increase');
  const losses = stages.slice(1).map((s, i) => entry(stages[i] - s, false, false));
  const entries = [...stages.map((s) => entry(s)), ...losses];
  const constraints = losses.map((_, i) => ({ total: i, parts: [i + 1, stages.length + i] }));
  const hidden = protect(entries, constraints, resolve(options));
  return stages.map((s, i) => show(s, hidden[i]));
}

/**
 * A figure derived from counts (a percentage, a mean over n people): suppressed when any count it
 * depends on is, since the figure would let the count be recovered.
 */
export function deriveOrSuppress<T>(
  sources: readonly Cell[],
  compute: (...counts: number[]) => T,
): T | Suppressed {
  if (sources.some(isSuppressed)) return SUPPRESSED;
  return compute(...(sources as number[]));
}
