// Band movement (band at baseline × band at post) registered as a cross-tab whose grand total, with the
// pairs outside every band, is the paired n: the same margins suppressCrossTab protects, linked to the rest.
import { bandMovement } from '../statistics/index.js';
import type { ScoreSeries } from '../outcome-data.port.js';
import type { DisclosureTable, Ref } from '../disclosure.js';
import type { BandMovementFigures } from './outcome-report.types.js';

export function registerBandMovement(t: DisclosureTable, s: ScoreSeries, paired: Ref): () => BandMovementFigures | null {
  if (s.meta.bands.length === 0) return () => null;
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
  t.share(grand, paired, what);
  return () => ({
    labels: m.labels,
    counts: cells.map((row) => row.map((r) => t.cell(r))),
    before: rows.map((r) => t.cell(r)),
    after: cols.map((r) => t.cell(r)),
    total: t.cell(grand),
  });
}
