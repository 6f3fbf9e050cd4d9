// A paired change (statistics core) as report values: every figure guarded by the paired n, the
// Wilcoxon zero count tied to the "unchanged" cell it equals.
import { type Cell, type PairedChange } from '../statistics/index.js';
import { derive, guard, guardInterval, shareOf } from './figures.helpers.js';
import type { PairedFigures } from './outcome-report.types.js';

export interface PairedCells {
  n: Cell;
  improved: Cell;
  unchanged: Cell;
  worsened: Cell;
  /** Participants reaching the MCID, when the instrument has one. */
  mcid: Cell | null;
}

export function pairedFigures(pc: PairedChange, cells: PairedCells): PairedFigures {
  const { n } = cells;
  const w = pc.wilcoxon;
  return {
    n,
    before: { mean: guard(n, pc.meanBefore), sd: guard(n, pc.sdBefore) },
    after: { mean: guard(n, pc.meanAfter), sd: guard(n, pc.sdAfter) },
    change: { mean: guard(n, pc.meanChange), sd: guard(n, pc.sdChange), ci95: guardInterval(n, pc.ci95) },
    tTest: { t: guard(n, pc.tTest?.t ?? null), df: guard(n, pc.tTest?.df ?? null), p: guard(n, pc.tTest?.p ?? null) },
    wilcoxon: {
      V: guard(n, w?.V ?? null),
      p: guard(n, w?.p ?? null),
      method: w?.method ?? null,
      // Zero differences are exactly the unchanged participants: one cell, suppressed together.
      zeros: cells.unchanged,
      nNonZero: derive([n, cells.unchanged], (all, zeros) => all - zeros),
    },
    cohenDz: { estimate: guard(n, pc.cohenDz), ci95: guardInterval(n, pc.cohenDzCi95), method: pc.cohenDzCiMethod },
    mcid: cells.mcid === null ? null : shareOf(cells.mcid, n),
    improved: cells.improved,
    unchanged: cells.unchanged,
    worsened: cells.worsened,
    reasons: { ...pc.reasons },
  };
}
