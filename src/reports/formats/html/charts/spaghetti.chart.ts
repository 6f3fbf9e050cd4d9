// Paired before/after lines, one per participant (no ids), with the mean drawn bold: shown only where the
// paired n is published and at least the threshold (the assembly decides and passes the pairs).
import type { OutcomeFigures } from '../../../assembly/outcome-report.types.js';
import { renderChart } from '../chart-frame.js';
import { esc, px } from '../html.js';

const W = 360;
const H = 260;
const TOP = 20;
const BOTTOM = 40;
const LEFT = 50;
const RIGHT = 40;

export function spaghettiChart(o: OutcomeFigures, pairs: readonly { before: number; after: number }[], index: number): string {
  const { min, max } = o.score;
  const y = (v: number) => TOP + ((max - v) / (max - min || 1)) * (H - TOP - BOTTOM);
  const x0 = LEFT + 30;
  const x1 = W - RIGHT - 30;
  const mean = (k: 'before' | 'after') => pairs.reduce((s, p) => s + p[k], 0) / pairs.length;
  const lines = pairs.map((p) => `<line x1="${x0}" x2="${x1}" y1="${px(y(p.before))}" y2="${px(y(p.after))}" class="pair"/>`);
  const ticks = [min, (min + max) / 2, max].map((v) => `<text x="${LEFT - 6}" y="${px(y(v) + 4)}" text-anchor="end">${v}</text>`);
  const better = o.score.direction === 'higher-is-better' ? 'higher is better' : 'lower is better';
  return renderChart({
    id: `chart-pairs-${index}`,
    title: `${o.score.title}: baseline and post per participant (${pairs.length} pairs)`,
    description: `One line per participant from baseline to post; ${better}. Mean ${mean('before').toFixed(2)} at baseline, ${mean('after').toFixed(2)} at post.`,
    width: W,
    height: H,
    body: [
      `<line x1="${LEFT}" x2="${LEFT}" y1="${TOP}" y2="${H - BOTTOM}" class="axis"/>`,
      ...ticks,
      ...lines,
      `<line x1="${x0}" x2="${x1}" y1="${px(y(mean('before')))}" y2="${px(y(mean('after')))}" class="mean"/>`,
      `<text x="${x0}" y="${H - 16}" text-anchor="middle">baseline</text><text x="${x1}" y="${H - 16}" text-anchor="middle">post</text>`,
    ].join('\n'),
    table: {
      head: ['Line', 'Baseline', 'Post', 'Change'],
      rows: pairs.map((p, i) => `<tr><th scope="row">${i + 1}</th><td>${esc(p.before)}</td><td>${esc(p.after)}</td><td>${esc(Number((p.after - p.before).toPrecision(12)))}</td></tr>`),
    },
  });
}
