// Escaping and number formatting for the server-rendered HTML report. Every piece of text that comes
// from data (cohort names, instrument titles) goes through esc().
import { isSuppressed, type Cell } from '../../statistics/index.js';
import type { IntervalValue, Value } from '../../assembly/outcome-report.types.js';
import type { FigureKind } from '../../figures.js';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function esc(text: string | number): string {
  return String(text).replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

export const SUPPRESSED_TEXT = 'suppressed';
export const NOT_COMPUTED_TEXT = '—';

/** A number as a reader wants it: shares as %, p-values to 3 decimals (or < 0.001), scores to 2. */
export function formatNumber(v: number, kind: FigureKind): string {
  switch (kind) {
    case 'count':
      return String(v);
    case 'proportion':
      return `${(100 * v).toFixed(1)}%`;
    case 'p-value':
      return v < 0.001 ? '< 0.001' : v.toFixed(3);
    case 'median':
    case 'quartile':
      return Number.isInteger(v) ? String(v) : v.toFixed(1);
    default:
      return v.toFixed(2);
  }
}

export function formatValue(v: Value | Cell, kind: FigureKind): string {
  if (v === null) return NOT_COMPUTED_TEXT;
  if (isSuppressed(v)) return SUPPRESSED_TEXT;
  return formatNumber(v, kind);
}

export function formatInterval(ci: IntervalValue | undefined, kind: FigureKind): string {
  if (ci === undefined) return '';
  if (ci === null) return NOT_COMPUTED_TEXT;
  if (!Array.isArray(ci)) return SUPPRESSED_TEXT;
  const [lo, hi] = ci as readonly [number, number];
  return `${formatNumber(lo, kind)} to ${formatNumber(hi, kind)}`;
}

/** `data-value` of a figure cell: the exact JSON value, so a browser test compares without rounding. */
export function dataValue(v: Value | Cell | undefined): string {
  if (v === undefined || v === null) return 'null';
  return isSuppressed(v) ? 'suppressed' : String(v);
}

/** A table cell tied to the JSON report by a JSON Pointer. */
export function figureCell(pointer: string, v: Value | Cell, kind: FigureKind): string {
  return `<td data-figure="${esc(pointer)}" data-value="${esc(dataValue(v))}">${esc(formatValue(v, kind))}</td>`;
}

/** Plain number for SVG coordinates (no exponent, 2 decimals). */
export const px = (v: number): string => (Math.round(v * 100) / 100).toString();
