// Retention per cohort: a bar per cohort (completed / enrolled) with its Wilson 95% CI as a whisker.
import type { OutcomeReport } from '../../../assembly/outcome-report.types.js';
import { renderChart } from '../chart-frame.js';
import { esc, figureCell, formatInterval, formatValue, px } from '../html.js';

const W = 640;
const LABEL = 150;
const ROW = 34;
const AXIS = W - LABEL - 40;

export function retentionChart(r: OutcomeReport): string {
  const rows = [{ label: 'All cohorts', pointer: '/retention', ...r.retention }, ...r.retention.cohorts.map((c, i) => ({ ...c, pointer: `/retention/cohorts/${i}` }))];
  const x = (p: number) => LABEL + p * AXIS;
  const body = rows.map((c, i) => {
    const y = 10 + i * ROW;
    const label = `<text x="${LABEL - 8}" y="${y + 17}" text-anchor="end">${esc(c.label)}</text>`;
    if (typeof c.estimate !== 'number' || !Array.isArray(c.ci95)) {
      return `${label}<text x="${LABEL + 4}" y="${y + 17}">${c.estimate !== null ? 'suppressed' : 'no one enrolled'}</text>`;
    }
    const [lo, hi] = c.ci95 as readonly [number, number];
    return (
      `${label}<rect x="${LABEL}" y="${y}" width="${px(c.estimate * AXIS)}" height="24" class="bar"/>` +
      `<line x1="${px(x(lo))}" x2="${px(x(hi))}" y1="${y + 12}" y2="${y + 12}" class="whisker"/>` +
      `<line x1="${px(x(lo))}" x2="${px(x(lo))}" y1="${y + 6}" y2="${y + 18}" class="whisker"/><line x1="${px(x(hi))}" x2="${px(x(hi))}" y1="${y + 6}" y2="${y + 18}" class="whisker"/>`
    );
  });
  const axisY = 14 + rows.length * ROW;
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((t) => `<line x1="${px(x(t))}" x2="${px(x(t))}" y1="${axisY - 4}" y2="${axisY}" class="axis"/><text x="${px(x(t))}" y="${axisY + 14}" text-anchor="middle">${t * 100}%</text>`);
  return renderChart({
    id: 'chart-retention',
    title: 'Retention per cohort (completed of enrolled, 95% CI)',
    description: rows.map((c) => `${c.label}: ${formatValue(c.estimate, 'proportion')} (${formatValue(c.k, 'count')} of ${formatValue(c.n, 'count')})`).join('; '),
    width: W,
    height: axisY + 24,
    body: [...body, `<line x1="${LABEL}" x2="${LABEL + AXIS}" y1="${axisY}" y2="${axisY}" class="axis"/>`, ...ticks].join('\n'),
    table: {
      head: ['Cohort', 'Completed', 'Enrolled', 'Retention', '95% CI'],
      rows: rows.map(
        (c) =>
          `<tr><th scope="row">${esc(c.label)}</th>${figureCell(`${c.pointer}/k`, c.k, 'count')}${figureCell(`${c.pointer}/n`, c.n, 'count')}` +
          `${figureCell(`${c.pointer}/estimate`, c.estimate, 'proportion')}<td>${esc(formatInterval(c.ci95, 'proportion'))}</td></tr>`,
      ),
    },
  });
}
