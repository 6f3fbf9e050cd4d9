// Funnel: one horizontal bar per stage, length ∝ count; a suppressed stage is drawn as a hatched stub.
import { isSuppressed } from '../../../statistics/index.js';
import { FUNNEL_STAGES, type OutcomeReport } from '../../../assembly/outcome-report.types.js';
import { renderChart } from '../chart-frame.js';
import { esc, figureCell, formatValue, px } from '../html.js';

const W = 640;
const LABEL = 110;
const ROW = 34;

export function funnelChart(r: OutcomeReport): string {
  const stages = FUNNEL_STAGES.map((s) => ({ stage: s, ...r.funnel.stages[s] }));
  const max = Math.max(1, ...stages.map((s) => (isSuppressed(s.n) ? 0 : s.n)));
  const scale = (W - LABEL - 90) / max;
  const bars = stages.map((s, i) => {
    const y = 10 + i * ROW;
    const label = `<text x="${LABEL - 8}" y="${y + 17}" text-anchor="end">${esc(s.stage)}</text>`;
    if (isSuppressed(s.n)) {
      return `${label}<rect x="${LABEL}" y="${y}" width="40" height="24" class="bar-suppressed"/><text x="${LABEL + 48}" y="${y + 17}">suppressed</text>`;
    }
    const w = Math.max(1, s.n * scale);
    return `${label}<rect x="${LABEL}" y="${y}" width="${px(w)}" height="24" class="bar"/><text x="${px(LABEL + w + 6)}" y="${y + 17}">${s.n}</text>`;
  });
  return renderChart({
    id: 'chart-funnel',
    title: 'Referral funnel',
    description: `People at each stage: ${stages.map((s) => `${s.stage} ${formatValue(s.n, 'count')}`).join(', ')}.`,
    width: W,
    height: 20 + stages.length * ROW,
    body: bars.join('\n'),
    table: {
      head: ['Stage', 'n', '% of referred'],
      rows: stages.map(
        (s) => `<tr><th scope="row">${esc(s.stage)}</th>${figureCell(`/funnel/stages/${s.stage}/n`, s.n, 'count')}${figureCell(`/funnel/stages/${s.stage}/ofReferred`, s.ofReferred, 'proportion')}</tr>`,
      ),
    },
  });
}
