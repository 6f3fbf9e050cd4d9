// What a reader of the published outputs knows, read back from the bytes each format serves (JSON, HTML,
// MeasureReport, CSV) and nothing else: every value by its JSON Pointer, merged across formats, plus the
// per-pair rows of the HTML charts' data tables and the CSV's rows.
import type { MeasureReport } from 'fhir/r4.js';
import { DomainError } from '../../../src/common/errors/domain-error.js';
import type { ReportsConfig } from '../../../src/config/reports.config.js';
import { OutcomeReportService } from '../../../src/reports/outcome-report.service.js';
import type { OutcomeDataPort } from '../../../src/reports/outcome-data.port.js';
import type { OutcomeFilters } from '../../../src/reports/outcome-filters.js';

/** A published value: a number, an interval, text, null ("not computed") or "suppressed". */
export type Seen = number | string | null | 'suppressed' | readonly number[];

export interface CsvSeen {
  refused: boolean;
  header: string[];
  rows: string[][];
}

export interface Publication {
  threshold: number;
  /** The JSON report as parsed (its shape tells the reader which lists exist). */
  json: Record<string, unknown>;
  /** Every value any format publishes, by JSON Pointer; a number anywhere beats "suppressed" elsewhere. */
  values: Map<string, Seen>;
  /** Pointers that one format shows and another withholds, or shows differently. */
  disagreements: string[];
  /** Outcome index → the before/after rows of its per-pair chart table. */
  pairs: Map<number, { before: number; after: number }[]>;
  csv: CsvSeen;
}

const isSuppressedObject = (v: unknown) => !!v && typeof v === 'object' && (v as { suppressed?: unknown }).suppressed === true;

/** Leaves of the JSON report by pointer (an interval [lo, hi] is one value). */
export function walk(v: unknown, at: string, out: Map<string, Seen>): void {
  if (isSuppressedObject(v)) out.set(at, 'suppressed');
  else if (Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === 'number')) out.set(at, v as number[]);
  else if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${at}/${i}`, out));
  else if (v && typeof v === 'object') Object.entries(v).forEach(([k, x]) => walk(x, `${at}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`, out));
  else out.set(at, v as Seen);
}

const unescape = (s: string) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
const parseCell = (s: string): Seen => (s === 'suppressed' ? 'suppressed' : s === 'null' ? null : Number.isFinite(Number(s)) ? Number(s) : s);

/** data-figure cells, the forest plot's table and the per-pair tables of the HTML page. */
function readHtml(html: string, note: (pointer: string, v: Seen) => void, pairs: Publication['pairs']): void {
  for (const m of html.matchAll(/data-figure="([^"]+)" data-value="([^"]*)"/g)) note(unescape(m[1]), parseCell(unescape(m[2])));
  const forest = /<figure class="chart" id="chart-forest">([\s\S]*?)<\/figure>/.exec(html)?.[1] ?? '';
  const rows = [...forest.matchAll(/<tr><th scope="row">[^<]*<\/th><td>[^<]*<\/td><td>([^<]*)<\/td><td>([^<]*)<\/td><td>([^<]*)<\/td><\/tr>/g)];
  rows.forEach((m, i) => {
    note(`/outcomes/${i}/paired/n`, parseCell(m[1]));
    // "−3.67 (−7.57 to 0.24)": a number where the JSON has one, "suppressed" where it has none.
    note(`/outcomes/${i}/paired/change/mean`, /^suppressed/.test(m[2]) ? 'suppressed' : m[2].startsWith('—') ? null : Number.parseFloat(m[2].replace('−', '-')));
    note(`/outcomes/${i}/paired/cohenDz/estimate`, /^suppressed/.test(m[3]) ? 'suppressed' : m[3].startsWith('—') ? null : Number.parseFloat(m[3].replace('−', '-')));
  });
  for (const m of html.matchAll(/<figure class="chart" id="chart-pairs-(\d+)">([\s\S]*?)<\/figure>/g)) {
    const lines = [...m[2].matchAll(/<tr><th scope="row">\d+<\/th><td>([^<]*)<\/td><td>([^<]*)<\/td>/g)].map((x) => ({ before: Number(x[1]), after: Number(x[2]) }));
    pairs.set(Number(m[1]), lines);
  }
}

/** The n a MeasureReport group's population counts, by the report's layout. */
export function nPointerOf(pointer: string): string | null {
  if (pointer.endsWith('/estimate') && !pointer.includes('/cohenDz/')) return pointer.replace(/\/estimate$/, '/n');
  if (/\/ofReferred$/.test(pointer)) return '/funnel/stages/referred/n';
  if (pointer.startsWith('/attendance/')) return '/attendance/n';
  const o = /^(\/outcomes\/\d+)\/(baseline|post|paired)\//.exec(pointer);
  if (o) return `${o[1]}/${o[2]}/n`;
  const s = /^(\/satisfaction\/\d+)\//.exec(pointer);
  return s ? `${s[1]}/n` : null;
}

function readMeasureReport(mr: MeasureReport, note: (pointer: string, v: Seen) => void): void {
  for (const g of mr.group ?? []) {
    const pointer = g.code?.coding?.[0]?.code ?? '';
    const pop = g.population?.[0];
    const count = pop?.count ?? (JSON.stringify(pop).includes('"masked"') ? 'suppressed' : null);
    if (!g.measureScore) {
      note(pointer, count);
      continue;
    }
    const n = nPointerOf(pointer);
    if (n) note(n, count);
    note(pointer, g.measureScore.value ?? (JSON.stringify(g.measureScore).includes('"masked"') ? 'suppressed' : null));
    const range = g.extension?.[0]?.valueRange;
    if (range) note(pointer.replace(/\/[^/]+$/, '/ci95'), [range.low!.value!, range.high!.value!]);
  }
}

/** The CSV as served: refused (422), or its header and rows. */
export function readCsv(body: string | null): CsvSeen {
  if (body === null) return { refused: true, header: [], rows: [] };
  const [header, ...rows] = body.trim().split('\r\n').map((l) => l.split(','));
  return { refused: false, header, rows: body.trim() ? rows : [] };
}

/** What a reader knows from the served bodies of the four formats (csv: null when refused). */
export function readPublished(threshold: number, served: { json: string; html: string; measureReport: string; csv: string | null }): Publication {
  const values = new Map<string, Seen>();
  const disagreements = new Set<string>();
  const note = (pointer: string, v: Seen) => {
    const was = values.get(pointer);
    if (!values.has(pointer)) values.set(pointer, v);
    else if (JSON.stringify(was) !== JSON.stringify(v) && !(typeof was === 'number' && typeof v === 'number' && Math.abs(was - v) < 0.01)) {
      disagreements.add(pointer);
      // A number shown anywhere is known, whatever another format says.
      if (was === 'suppressed' || was === null) values.set(pointer, v);
    }
  };
  const json = JSON.parse(served.json) as Record<string, unknown>;
  walk(json, '', values);
  const pairs: Publication['pairs'] = new Map();
  readHtml(served.html, note, pairs);
  readMeasureReport(JSON.parse(served.measureReport) as MeasureReport, note);
  return { threshold, json, values, disagreements: [...disagreements], pairs, csv: readCsv(served.csv) };
}

async function csvBody(service: OutcomeReportService, filters: OutcomeFilters): Promise<string | null> {
  try {
    const csv = await service.csv(filters);
    let text = '';
    for await (const chunk of csv.stream) text += String(chunk);
    return text;
  } catch (e) {
    if (e instanceof DomainError && e.code === 'REPORTS.POPULATION_TOO_SMALL') return null;
    throw e;
  }
}

/**
 * The report service, assembling the report once for the formats rendered from it: assembly is pure and the same
 * for each format (but its generatedAt), and it is most of a publication's cost. Each format is still rendered by
 * the service's own render().
 */
class AssembledOnce extends OutcomeReportService {
  private built = new Map<string, ReturnType<OutcomeReportService['build']>>();

  override build(filters: OutcomeFilters): ReturnType<OutcomeReportService['build']> {
    const key = JSON.stringify(filters);
    if (!this.built.has(key)) this.built.set(key, super.build(filters));
    return this.built.get(key)!;
  }
}

/** Builds the report in every format through the report service, then reads back only what was served. */
export async function publish(port: OutcomeDataPort, threshold: number, filters: OutcomeFilters): Promise<Publication> {
  const service = new AssembledOnce(port, { minCellSize: threshold } as ReportsConfig);
  const [json, html, mr] = await Promise.all([service.render('json', filters), service.render('html', filters), service.render('measure-report', filters)]);
  return readPublished(threshold, { json: json.body, html: html.body, measureReport: mr.body, csv: await csvBody(service, filters) });
}
