// Builds the outcome report in each format from the data port. Used by the HTTP controller and the CLI;
// throws coded DomainErrors only. Every output is de-identified (see README: suppression per output).
import { Inject, Injectable } from '@nestjs/common';
import { Readable } from 'node:stream';
import { reportsConfig, type ReportsConfig } from '../config/reports.config.js';
import { assembleOutcomeReport } from './assembly/outcome-report.js';
import type { ChartData, OutcomeReport } from './assembly/outcome-report.types.js';
import { planCsv } from './csv-gate.js';
import { figuresOf } from './figures.js';
import { measureReportOf } from './formats/outcome-report.fhir.js';
import { csvRecords, csvStringifier, CSV_CONTENT_TYPE } from './formats/outcome.csv.js';
import { renderOutcomeReportHtml } from './formats/html/outcome-report.html.js';
import { OutcomeDataPort } from './outcome-data.port.js';
import { describeFilters, type OutcomeFilters, type ReportFormat } from './outcome-filters.js';

export interface RenderedReport {
  contentType: string;
  body: string;
}

export interface CsvExport {
  contentType: string;
  /** CSV text, produced as the rows stream from the database. */
  stream: Readable;
  /** Rows and participants the export will carry (for a progress bar and the audit). */
  rows: number;
  participants: number;
  withheldGroups: number;
  /**
   * Data rows handed to the CSV stringifier so far: what has left for the reader, at most the stringifier's buffers
   * (16 rows in, 16 KiB of text out) and the reader's own more. After a failure, how much of the export went.
   */
  rowsSent: () => number;
  /** What stopped the rows, if anything did (a database error): not a reader that went away. */
  rowsFailure?: () => unknown;
}

@Injectable()
export class OutcomeReportService {
  constructor(
    private readonly data: OutcomeDataPort,
    @Inject(reportsConfig.KEY) private readonly config: ReportsConfig,
  ) {}

  get threshold(): number {
    return this.config.minCellSize;
  }

  async build(filters: OutcomeFilters): Promise<{ report: OutcomeReport; charts: ChartData }> {
    const data = await this.data.load(filters);
    return assembleOutcomeReport(data, { threshold: this.threshold, filters: describeFilters(filters), generatedAt: new Date() });
  }

  /** The aggregate formats: json, measure-report and html. */
  async render(format: Exclude<ReportFormat, 'csv'>, filters: OutcomeFilters): Promise<RenderedReport> {
    const { report, charts } = await this.build(filters);
    switch (format) {
      case 'json':
        return { contentType: 'application/json; charset=utf-8', body: JSON.stringify(report) };
      case 'measure-report':
        return { contentType: 'application/fhir+json; charset=utf-8', body: JSON.stringify(measureReportOf(report, figuresOf(report))) };
      case 'html':
        return { contentType: 'text/html; charset=utf-8', body: renderOutcomeReportHtml(report, charts, figuresOf(report)) };
    }
  }

  /** The participant-level CSV, or REPORTS.POPULATION_TOO_SMALL (422) when the filters cover too few people. */
  async csv(filters: OutcomeFilters, onRow?: () => void): Promise<CsvExport> {
    const plan = planCsv(await this.data.csvGroups(filters), this.threshold);
    const records = Readable.from(csvRecords(this.data.csvRows(filters), plan, onRow));
    const stream = records.pipe(csvStringifier());
    let rowsFailure: unknown;
    // Counted as a row passes to the stringifier, not by onRow: that counts a row as it is read, so also the one
    // waiting in `records` (an object stream's buffer holds one), which a failure then never sends.
    let rowsSent = 0;
    records.on('data', () => rowsSent++);
    records.on('error', (err) => {
      rowsFailure ??= err;
      stream.destroy(err);
    });
    // A reader that goes away destroys the stringifier (the caller's pipeline), which .pipe does not pass back: the
    // rows' generator must end too, or it waits at its yield for ever, holding its cursor, its transaction and its
    // connection (on the embedded database the only one).
    stream.once('close', () => records.destroy());
    return {
      contentType: CSV_CONTENT_TYPE,
      stream,
      rows: plan.rows,
      participants: plan.participants,
      withheldGroups: plan.withheldGroups,
      rowsSent: () => rowsSent,
      rowsFailure: () => rowsFailure,
    };
  }
}
