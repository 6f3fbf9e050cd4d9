// Band movement (band at baseline × band at post) registered as a cross-tab whose grand total, with the
// pairs outside every band, is the paired n: the same margins suppressCrossTab protects, linked to the rest
// — including the direction of change, since a move to a better band is an improvement.
import { bandMovement } from '../statistics/index.js';
import type { ScoreSeries } from '../outcome-data.port.js';
import type { DisclosureTable, Ref } from '../disclosure.js';
import type { BandMovementFigures } from './outcome-report.types.js';

export function registerBandMovement(
  t: DisclosureTable,
  s: ScoreSeries,
  linked: { paired: Ref; improved: Ref; worsened: Ref },
): { refs: Ref[]; render: () => BandMovementFigures | null } {
  if (s.meta.bands.length === 0) return { refs: [], render: () => null };
  const m = bandMovement(s.pairs, s.meta.bands);
  const cells = m.counts.map((row) => row.map((c) => t.count(c)));
  const rows = m.before.map((c) => t.count(c, 'total'));
  const cols = m.after.map((c) => t.count(c, 'total'));
  const grand = t.count(m.total, 'total');
  const what = `the band movement of ${s.meta.title}`;
  cells.forEach((row, i) => t.sum(rows[i], row, what));
  cols.forEach((col, j) => t.sum(col, cells.map((row) => row[j]), what));
  t.sum(grand, rows, what);
  t.sum(grand, cols, what);
  t.share(grand, linked.paired, what);
  // Bands are ordered by score: moving to a better band is improving, to a worse one worsening.
  const better = (from: number, to: number) => (s.meta.higherIsBetter ? to > from : to < from);
  const moved = (good: boolean) => cells.flatMap((row, i) => row.filter((_, j) => i !== j && better(i, j) === good));
  t.within(moved(true), linked.improved, what);
  t.within(moved(false), linked.worsened, what);
  return {
    refs: [...cells.flat(), ...rows, ...cols, grand],
    render: () => ({
      labels: m.labels,
      counts: cells.map((row) => row.map((r) => t.cell(r))),
      before: rows.map((r) => t.cell(r)),
      after: cols.map((r) => t.cell(r)),
      total: t.cell(grand),
    }),
  };
}
