import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { ScoreBand } from '../lib/responses';
import { formatDate } from '../lib/format';

// A score over time drawn over its severity bands (SVG, no library). The chart is an image with a text
// summary for screen readers; the same numbers are in the table beside it. It is drawn at the width it is
// shown (one SVG unit a CSS pixel), so its text stays legible in a 400 px EHR side panel: there the band names
// move from beside the plot to a legend beneath, and only the first and last dates label the axis.

export interface ScorePoint { date: string; value: number; band?: string }
interface Props { title: string; min: number; max: number; bands: ScoreBand[]; points: ScorePoint[]; higherIsWorse: boolean }

const H = 240;
/** The plot keeps at least this width; when the band names beside it would leave less, they go beneath. */
const MIN_PLOT = 300;
/** A generous width per character of the 14 px band names, so the longest is never cut off. */
const CHAR_PX = 8;
// Light band fills, darker for worse bands; text never sits on a colour it would fail contrast with.
const GOOD_TO_BAD = ['#e6f4ea', '#fff8db', '#ffe9cc', '#fdd8d3', '#f9c0c0'];

/** The width the chart is given, followed as the panel is resized. */
function useWidth(initial: number) {
  const box = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(initial);
  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    const measure = () => setWidth(Math.max(200, Math.round(el.clientWidth)) || initial);
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  return { box, width };
}

export function ScoreChart({ title, min, max, bands, points, higherIsWorse }: Props) {
  const { box, width: W } = useWidth(760);
  const bandNames = bands.map((b) => `${b.display} (${b.min}–${b.max})`);
  const beside = Math.max(0, ...bandNames.map((n) => n.length)) * CHAR_PX + 12;
  const narrow = W - 40 - beside < MIN_PLOT;
  const PAD = { l: 40, r: narrow ? 16 : beside, t: 24, b: 36 };
  const plot = W - PAD.l - PAD.r;
  const x = (i: number) => PAD.l + (points.length <= 1 ? plot / 2 : (i * plot) / (points.length - 1));
  const y = (v: number) => PAD.t + ((max - v) * (H - PAD.t - PAD.b)) / (max - min || 1);
  const fill = (i: number) => GOOD_TO_BAD[Math.min(GOOD_TO_BAD.length - 1, higherIsWorse ? i : bands.length - 1 - i)];
  // A date under every point while they have room (about 100 px each); otherwise the first and the last.
  const dated = (i: number) => points.length <= 1 || plot / (points.length - 1) >= 100 || i === 0 || i === points.length - 1;
  // The first and last dates sit inside the plot's ends instead of spilling past them.
  const anchor = (i: number) => (points.length < 2 ? 'middle' : i === 0 ? 'start' : i === points.length - 1 ? 'end' : 'middle');
  const last = points.at(-1);
  const summary = last ? `${points.length} result${points.length > 1 ? 's' : ''}; latest ${last.value}${last.band ? ` (${last.band})` : ''} on ${formatDate(last.date)}.` : 'No results yet.';
  const id = title.replace(/\W+/g, '-').toLowerCase();
  return (
    <div ref={box} class="score-chart-box">
      <svg viewBox={`0 0 ${W} ${H}`} width="100%" height={H} role="img" aria-labelledby={`${id}-t ${id}-d`} class="score-chart">
        <title id={`${id}-t`}>{title}</title>
        <desc id={`${id}-d`}>{summary}</desc>
        {bands.map((b, i) => {
          const top = y(Math.min(max, b.max + (i < bands.length - 1 ? 0.5 : 0)));
          const bottom = y(Math.max(min, b.min - (i > 0 ? 0.5 : 0)));
          return (
            <g key={b.code}>
              <rect x={PAD.l} y={top} width={plot} height={Math.max(0, bottom - top)} fill={fill(i)} />
              {!narrow && (
                <text x={W - PAD.r + 6} y={(top + bottom) / 2 + 5} fill="currentColor">
                  {bandNames[i]}
                </text>
              )}
            </g>
          );
        })}
        <line x1={PAD.l} x2={PAD.l} y1={PAD.t} y2={H - PAD.b} stroke="currentColor" />
        <line x1={PAD.l} x2={W - PAD.r} y1={H - PAD.b} y2={H - PAD.b} stroke="currentColor" />
        {[min, max].map((v) => (
          <text key={v} x={PAD.l - 6} y={y(v) + 5} text-anchor="end" fill="currentColor">
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
            {dated(i) && (
              <text x={x(i)} y={H - PAD.b + 20} text-anchor={anchor(i)} fill="currentColor">
                {formatDate(p.date)}
              </text>
            )}
          </g>
        ))}
      </svg>
      {narrow && (
        <ul class="chart-legend" aria-label={`Bands of ${title}`}>
          {[...bands].reverse().map((b) => (
            <li key={b.code}>
              <span class="swatch" style={{ background: fill(bands.indexOf(b)) }} aria-hidden="true" />
              {bandNames[bands.indexOf(b)]}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
