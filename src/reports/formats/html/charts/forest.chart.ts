// Forest plot of change per outcome. Instruments have different scales, so the common axis is the
// standardised change (Cohen's d_z with its 95% CI); each row also prints the raw mean change and its CI.
import type { OutcomeReport } from '../../../assembly/outcome-report.types.js';
import { renderChart } from '../chart-frame.js';
import { esc, formatInterval, formatValue, px } from '../html.js';

const W = 720;
const LABEL = 200;
const TEXT = 210;
const ROW = 30;
const AXIS = W - LABEL - TEXT;

export function forestChart(r: OutcomeReport): string {
  const rows = r.outcomes.map((o) => ({
    title: o.score.title,
    direction: o.score.direction,
    n: o.paired.n,
    dz: o.paired.cohenDz.estimate,
    ci: o.paired.cohenDz.ci95,
    change: o.paired.change,
  }));
  const plotted = rows.filter((o) => typeof o.dz === 'number' && Array.isArray(o.ci));
  const extent = Math.max(1, ...plotted.flatMap((o) => (o.ci as readonly number[]).map(Math.abs)));
  const limit = Math.ceil(extent * 2) / 2;
  const x = (v: number) => LABEL + ((v + limit) / (2 * limit)) * AXIS;
  const body = rows.map((o, i) => {
    const y = 24 + i * ROW;
    const label = `<text x="${LABEL - 8}" y="${y + 4}" text-anchor="end">${esc(o.title)}</text>`;
    const text = `<text x="${LABEL + AXIS + 10}" y="${y + 4}">${esc(`${formatValue(o.change.mean, 'mean')} (${formatInterval(o.change.ci95, 'mean')}), n ${formatValue(o.n, 'count')}`)}</text>`;
    if (typeof o.dz !== 'number' || !Array.isArray(o.ci)) return `${label}${text}`;
    const [lo, hi] = o.ci as readonly [number, number];
    return `${label}<line x1="${px(x(lo))}" x2="${px(x(hi))}" y1="${y}" y2="${y}" class="whisker"/><rect x="${px(x(o.dz) - 5)}" y="${y - 5}" width="10" height="10" class="point"/>${text}`;
  });
  const bottom = 24 + rows.length * ROW;
  const ticks = [-limit, -limit / 2, 0, limit / 2, limit].map((t) => `<text x="${px(x(t))}" y="${bottom + 14}" text-anchor="middle">${t}</text>`);
  return renderChart({
    id: 'chart-forest',
    title: "Change per outcome: Cohen's d_z with 95% CI (mean change and its CI printed on the right)",
    description:
      'Standardised mean change (post − baseline) per outcome; 0 means no change. Whether a negative change is an improvement depends on the instrument: ' +
      rows.map((o) => `${o.title} ${o.direction === 'higher-is-better' ? 'higher is better' : 'lower is better'}, d_z ${formatValue(o.dz, 'effect-size')}`).join('; '),
    width: W,
    height: bottom + 24,
    body: [`<line x1="${px(x(0))}" x2="${px(x(0))}" y1="8" y2="${bottom}" class="zero"/>`, ...body, `<line x1="${LABEL}" x2="${LABEL + AXIS}" y1="${bottom}" y2="${bottom}" class="axis"/>`, ...ticks].join('\n'),
    table: {
      head: ['Outcome', 'Direction', 'n pairs', 'Mean change (95% CI)', "Cohen's d_z (95% CI)"],
      rows: rows.map(
        (o) =>
          `<tr><th scope="row">${esc(o.title)}</th><td>${o.direction === 'higher-is-better' ? 'higher is better' : 'lower is better'}</td><td>${esc(formatValue(o.n, 'count'))}</td>` +
          `<td>${esc(`${formatValue(o.change.mean, 'mean')} (${formatInterval(o.change.ci95, 'mean')})`)}</td><td>${esc(`${formatValue(o.dz, 'effect-size')} (${formatInterval(o.ci, 'effect-size')})`)}</td></tr>`,
      ),
    },
  });
}
