// The table of every figure: value, 95% CI and n, each cell tied to the JSON report by `data-figure`
// (a JSON Pointer) and `data-value` (the exact JSON value), so a browser test can compare cell by cell.
import type { OutcomeReport } from '../../assembly/outcome-report.types.js';
import type { Figure } from '../../figures.js';
import { isSuppressed } from '../../statistics/index.js';
import { dataValue, esc, figureCell, formatNumber, SUPPRESSED_TEXT, NOT_COMPUTED_TEXT } from './html.js';

function ciCell(f: Figure): string {
  if (f.ci95 === undefined) return '<td></td>';
  const at = f.pointer.replace(/\/[^/]+$/, '/ci95');
  if (!Array.isArray(f.ci95)) {
    const text = f.ci95 === null ? NOT_COMPUTED_TEXT : SUPPRESSED_TEXT;
    return `<td data-figure="${esc(at)}" data-value="${dataValue(f.ci95 as null)}">${text}</td>`;
  }
  const [lo, hi] = f.ci95 as readonly [number, number];
  const bound = (i: number, v: number) => `<span data-figure="${esc(`${at}/${i}`)}" data-value="${v}">${esc(formatNumber(v, f.kind))}</span>`;
  return `<td>${bound(0, lo)} to ${bound(1, hi)}</td>`;
}

export function figuresTable(figures: readonly Figure[]): string {
  const sections = [...new Set(figures.map((f) => f.section))];
  const body = sections.map((section) => {
    const rows = figures
      .filter((f) => f.section === section)
      .map((f) => `<tr><th scope="row">${esc(f.label)}</th>${figureCell(f.pointer, f.value, f.kind)}${ciCell(f)}${f.nPointer ? figureCell(f.nPointer, f.n!, 'count') : '<td></td>'}</tr>`);
    return `<tbody><tr><th colspan="4" scope="rowgroup" class="section">${esc(section)}</th></tr>${rows.join('')}</tbody>`;
  });
  return `<table class="figures" id="figures"><caption>All figures (n beside each; “suppressed”: withheld to protect privacy; “${NOT_COMPUTED_TEXT}”: cannot be computed)</caption>
<thead><tr><th scope="col">Figure</th><th scope="col">Value</th><th scope="col">95% CI</th><th scope="col">n</th></tr></thead>${body.join('')}</table>`;
}

/** Band at baseline (rows) × band at post (columns), per outcome. */
export function bandTables(r: OutcomeReport): string {
  return r.outcomes
    .map((o, i) => {
      const b = o.bandMovement;
      if (!b) return '';
      const at = `/outcomes/${i}/bandMovement`;
      const head = `<tr><th scope="col">Baseline \\ post</th>${b.labels.map((l) => `<th scope="col">${esc(l)}</th>`).join('')}<th scope="col">Total</th></tr>`;
      const rows = b.labels.map(
        (l, r) => `<tr><th scope="row">${esc(l)}</th>${b.counts[r].map((c, j) => figureCell(`${at}/counts/${r}/${j}`, c, 'count')).join('')}${figureCell(`${at}/before/${r}`, b.before[r], 'count')}</tr>`,
      );
      const totals = `<tr><th scope="row">Total</th>${b.after.map((c, j) => figureCell(`${at}/after/${j}`, c, 'count')).join('')}${figureCell(`${at}/total`, b.total, 'count')}</tr>`;
      const suppressedNote = isSuppressed(b.total) ? ' (suppressed)' : '';
      return `<table class="bands"><caption>${esc(o.score.title)}: severity band at baseline and post${suppressedNote}</caption><thead>${head}</thead><tbody>${rows.join('')}${totals}</tbody></table>`;
    })
    .join('\n');
}
