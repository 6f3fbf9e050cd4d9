// The HTML report: one self-contained page (inline CSS, inline SVG, no scripts, no external assets: the
// app's CSP is script-src 'self'), readable without colour and by screen readers.
import type { ChartData, OutcomeReport } from '../../assembly/outcome-report.types.js';
import { MAX_INDIVIDUAL_LINES } from '../../assembly/outcome.section.js';
import type { Figure } from '../../figures.js';
import { forestChart } from './charts/forest.chart.js';
import { funnelChart } from './charts/funnel.chart.js';
import { retentionChart } from './charts/retention.chart.js';
import { spaghettiChart } from './charts/spaghetti.chart.js';
import { filterLabels } from './filter-labels.js';
import { bandTables, figuresTable } from './figures.table.js';
import { esc } from './html.js';
import { REPORT_CSS } from './report.css.js';

/** The suppression rule for people reading the page, which prints "suppressed" where the JSON has `{"suppressed": true}`. */
function suppressionRule(threshold: number): string {
  return threshold > 1
    ? `Counts 1–${threshold - 1} and the counts that would reveal them are shown as “suppressed”, as are figures computed from them.`
    : 'No count is suppressed (threshold 1).';
}

/** "1 Jul 2026, 08:00 UTC": the service knows no reader's time zone, so it says which one it uses. */
function readableInstant(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.toLocaleString('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false })} UTC`;
}

function header(r: OutcomeReport): string {
  // Filtered on one cohort, everyone enrolled is in it: the retention figures' one cohort is its name.
  const named = r.retention.cohorts.filter((c) => c.label !== 'No cohort');
  const filters = filterLabels(r.filters, named.length === 1 ? named[0].label : undefined).join('; ') || 'none';
  return `<header><h1>${esc(r.title)}</h1>
<p>Program version ${esc(r.program.version)} · Filters: ${esc(filters)} · generated <time datetime="${esc(r.generatedAt)}">${esc(readableInstant(r.generatedAt))}</time></p>
<p class="deid">De-identified aggregate report. ${esc(suppressionRule(r.suppression.threshold))}</p></header>`;
}

export function renderOutcomeReportHtml(r: OutcomeReport, charts: ChartData, figures: readonly Figure[]): string {
  const spaghetti = r.outcomes
    .map((o, i) => (charts.pairs[o.key] ? spaghettiChart(o, charts.pairs[o.key], i) : ''))
    .filter(Boolean);
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(r.title)}</title><style>${REPORT_CSS}</style></head>
<body><main>
${header(r)}
<section aria-labelledby="notes-h"><h2 id="notes-h">How to read this report</h2><ul>${r.notes.map((n) => `<li data-note="${esc(n.code)}">${esc(n.text)}</li>`).join('')}</ul></section>
<section aria-labelledby="funnel-h"><h2 id="funnel-h">Referrals and retention</h2>${funnelChart(r)}${retentionChart(r)}</section>
<section aria-labelledby="change-h"><h2 id="change-h">Change in outcomes</h2>${forestChart(r)}
${spaghetti.length ? spaghetti.join('\n') : `<p>Individual before/after lines are drawn only for outcomes with ${r.suppression.threshold} to ${MAX_INDIVIDUAL_LINES} pairs and no suppressed count about those pairs (direction of change, MCID, band movement), which the lines would show: fewer could identify people, more cannot be read (see the band tables).</p>`}
${bandTables(r)}</section>
<section aria-labelledby="figures-h"><h2 id="figures-h">All figures</h2>${figuresTable(figures)}</section>
</main></body></html>
`;
}
