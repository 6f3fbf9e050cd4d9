// The accessible frame every chart shares: an SVG with role="img", a <title> and <desc> it is labelled
// by, followed by a data table that says the same in text for screen readers and for checking.
import { esc } from './html.js';

export interface Chart {
  id: string;
  title: string;
  description: string;
  width: number;
  height: number;
  body: string;
  /** The table equivalent: caption comes from the title. */
  table: { head: string[]; rows: string[] };
}

export function renderChart(c: Chart): string {
  const titleId = `${c.id}-title`;
  const descId = `${c.id}-desc`;
  return [
    `<figure class="chart" id="${esc(c.id)}">`,
    `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="${titleId} ${descId}" viewBox="0 0 ${c.width} ${c.height}" width="${c.width}" height="${c.height}">`,
    `<title id="${titleId}">${esc(c.title)}</title><desc id="${descId}">${esc(c.description)}</desc>`,
    c.body,
    '</svg>',
    `<figcaption>${esc(c.title)}</figcaption>`,
    // Long tables (one row per participant) fold away; <details> needs no script.
    c.table.rows.length > 12 ? `<details><summary>Data table (${c.table.rows.length} rows)</summary>` : '',
    `<table class="chart-data" aria-label="${esc(`${c.title}: data`)}"><caption>${esc(c.title)}: data</caption>`,
    `<thead><tr>${c.table.head.map((h) => `<th scope="col">${esc(h)}</th>`).join('')}</tr></thead>`,
    `<tbody>${c.table.rows.join('')}</tbody></table>`,
    c.table.rows.length > 12 ? '</details>' : '',
    '</figure>',
  ].join('\n');
}
