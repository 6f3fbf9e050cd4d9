// A paired change (statistics core) as report values: every figure guarded by the paired n, the Wilcoxon
// test also by the direction-of-change counts it encodes, its zero count tied to the "unchanged" cell.
import { isSuppressed, type Cell, type PairedChange } from '../statistics/index.js';
import { guard, guardAll, guardInterval, shareOf } from './figures.helpers.js';
import type { PairedFigures } from './outcome-report.types.js';

export interface PairedCells {
  n: Cell;
  improved: Cell;
  unchanged: Cell;
  worsened: Cell;
  /** improved + worsened: the non-zero changes the signed-rank test ranks. */
  changed: Cell;
  /** Participants reaching the MCID, when the instrument has one. */
  mcid: Cell | null;
}

/** Why a figure is null, where that says nothing about the data (the instrument has no MCID). */
const STATIC_REASONS = new Set(['shareReachingMcid']);

export function pairedFigures(pc: PairedChange, cells: PairedCells): PairedFigures {
  const { n } = cells;
  const w = pc.wilcoxon;
  // The signed-rank test is over the non-zero changes (n − unchanged) and V sums the ranks of one sign:
  // it pins the unchanged, improved and worsened counts, so it is shown only when they all are.
  const signs = [n, cells.improved, cells.unchanged, cells.worsened];
  // "needs at least 2 pairs" tells n: no reason but the instrument's own is given beside a hidden n.
  const reasons = Object.entries(pc.reasons).filter(([k]) => !isSuppressed(n) || STATIC_REASONS.has(k));
  return {
    n,
    before: { mean: guard(n, pc.meanBefore), sd: guard(n, pc.sdBefore) },
    after: { mean: guard(n, pc.meanAfter), sd: guard(n, pc.sdAfter) },
    change: { mean: guard(n, pc.meanChange), sd: guard(n, pc.sdChange), ci95: guardInterval(n, pc.ci95) },
    tTest: { t: guard(n, pc.tTest?.t ?? null), df: guard(n, pc.tTest?.df ?? null), p: guard(n, pc.tTest?.p ?? null) },
    wilcoxon: {
      V: guardAll(signs, w?.V ?? null),
      p: guardAll(signs, w?.p ?? null),
      method: guardAll(signs, w?.method ?? null),
      // Zero differences are exactly the unchanged participants: one cell, suppressed together.
      zeros: cells.unchanged,
      nNonZero: cells.changed,
    },
    cohenDz: { estimate: guard(n, pc.cohenDz), ci95: guardInterval(n, pc.cohenDzCi95), method: guardAll([n], pc.cohenDzCiMethod) },
    mcid: cells.mcid === null ? null : shareOf(cells.mcid, n),
    improved: cells.improved,
    unchanged: cells.unchanged,
    worsened: cells.worsened,
    reasons: Object.fromEntries(reasons),
  };
}
