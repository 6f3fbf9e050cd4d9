import type { ScoreBand } from '../lib/responses';
import { formatDate } from '../lib/format';

// A score over time drawn over its severity bands (SVG, no library). The chart is an image with a text
// summary for screen readers; the same numbers are in the table beside it.

export interface ScorePoint { date: string; value: number; band?: string }
interface Props { title: string; min: number; max: number; bands: ScoreBand[]; points: ScorePoint[]; higherIsWorse: boolean }

const W = 760;
const H = 240;
const PAD = { l: 44, r: 270, t: 12, b: 36 };
// Light band fills, darker for worse bands; text never sits on a colour it would fail contrast with.
const GOOD_TO_BAD = ['#e6f4ea', '#fff8db', '#ffe9cc', '#fdd8d3', '#f9c0c0'];

export function ScoreChart({ title, min, max, bands, points, higherIsWorse }: Props) {
  const x = (i: number) => PAD.l + (points.length <= 1 ? (W - PAD.l - PAD.r) / 2 : (i * (W - PAD.l - PAD.r)) / (points.length - 1));
  const y = (v: number) => PAD.t + ((max - v) * (H - PAD.t - PAD.b)) / (max - min || 1);
  const fill = (i: number) => GOOD_TO_BAD[Math.min(GOOD_TO_BAD.length - 1, higherIsWorse ? i : bands.length - 1 - i)];
  const last = points.at(-1);
  const summary = last ? `${points.length} result${points.length > 1 ? 's' : ''}; latest ${last.value}${last.band ? ` (${last.band})` : ''} on ${formatDate(last.date)}.` : 'No results yet.';
  const id = title.replace(/\W+/g, '-').toLowerCase();
  return (
    <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby={`${id}-t ${id}-d`} class="score-chart">
      <title id={`${id}-t`}>{title}</title>
      <desc id={`${id}-d`}>{summary}</desc>
      {bands.map((b, i) => {
        const top = y(Math.min(max, b.max + (i < bands.length - 1 ? 0.5 : 0)));
        const bottom = y(Math.max(min, b.min - (i > 0 ? 0.5 : 0)));
        return (
          <g key={b.code}>
            <rect x={PAD.l} y={top} width={W - PAD.l - PAD.r} height={Math.max(0, bottom - top)} fill={fill(i)} />
            <text x={W - PAD.r + 6} y={(top + bottom) / 2 + 4} fill="currentColor">
              {b.display} ({b.min}–{b.max})
            </text>
          </g>
        );
      })}
      <line x1={PAD.l} x2={PAD.l} y1={PAD.t} y2={H - PAD.b} stroke="currentColor" />
      <line x1={PAD.l} x2={W - PAD.r} y1={H - PAD.b} y2={H - PAD.b} stroke="currentColor" />
      {[min, max].map((v) => (
        <text key={v} x={PAD.l - 6} y={y(v) + 4} text-anchor="end" fill="currentColor">
          {v}
        </text>
      ))}
      {points.length > 1 && <polyline fill="none" stroke="#0b4f8a" stroke-width="3" points={points.map((p, i) => `${x(i)},${y(p.value)}`).join(' ')} />}
      {points.map((p, i) => (
        <g key={i}>
          <circle cx={x(i)} cy={y(p.value)} r="6" fill="#0b4f8a" stroke="#fff" stroke-width="2" />
          <text x={x(i)} y={y(p.value) - 10} text-anchor="middle" fill="#1b1f24" font-weight="700">
            {p.value}
          </text>
          <text x={x(i)} y={H - PAD.b + 18} text-anchor="middle" fill="currentColor">
            {formatDate(p.date)}
          </text>
        </g>
      ))}
    </svg>
  );
}
