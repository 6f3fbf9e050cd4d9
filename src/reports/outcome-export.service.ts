// An export of the outcome report in any format, audited: action `report.export` with the format, the
// filters and what was exported (counts only, never PHI); refusals and failures are audited too. One path, exportTo,
// for the API's download and the report CLI: a success is audited once the reader has the export, not before.
import { Injectable, Logger } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import { DomainError } from '../common/errors/domain-error.js';
import { describeFilters, type OutcomeFilters, type ReportFormat } from './outcome-filters.js';
import { OutcomeReportService, type CsvExport, type RenderedReport } from './outcome-report.service.js';

export interface ExportActor {
  actor: string;
  actorRole: string | null;
  requestId?: string | null;
  /** The client's correlation id: carried, since a cut-off download is audited after its request has closed. */
  correlationId?: string | null;
}

/** An export as built, before anyone has written it out (the CSV's `rowsSent` grows as its rows are read). */
export type BuiltExport = ({ kind: 'document' } & RenderedReport) | ({ kind: 'stream' } & CsvExport);

type Recorder = (outcome: 'success' | 'failure', detail: Record<string, unknown>) => Promise<void>;

/**
 * How a CSV stream ended: read to its end, or cut off: `export-failed` when the rows could not be read (a database
 * error: then also logged, by name and code only, since a driver's message may quote a value), else
 * `stream-interrupted` (the reader went away: a closed download, a closed pipe, a full disk).
 */
type StreamEnd = { ended: true } | { ended: false; reason: 'export-failed' | 'stream-interrupted' };

@Injectable()
export class OutcomeExportService {
  private readonly logger = new Logger('Reports');

  constructor(
    private readonly reports: OutcomeReportService,
    private readonly audit: AuditService,
  ) {}

  /**
   * The one way out of an export, for the API's download and the report CLI alike: `write` writes it out and resolves
   * once the reader has it all (the HTTP response finished: its last byte handed to the socket; the CLI's file written
   * and renamed into place). It is audited as a success only then, never when the CSV writer ends (the response's and
   * the socket's buffers may still hold rows for a client about to hang up). A caller that must not put the export in
   * place without its audit row (the CLI's --out: a temporary file renamed over the target) calls `settle` once every
   * byte is written, before the file takes its name: `settle` audits the success and throws when it cannot (then the
   * file must not be put in place, and writeWhole removes it). A `write` that never calls `settle` (the download,
   * standard output) is audited once it has resolved. When `write` fails, the export is a failure: `stream-interrupted`
   * or `export-failed` when its rows stopped before their end (see StreamEnd), else `output-failed` (every row, or the
   * whole document, was handed to the output, which then did not take it: a download the client left before its last
   * byte, a file not put in place; after a success already audited, a second row says the file was not placed).
   * Resolves once the audit rows are written; rejects with `write`'s error (the rows already audited as failed).
   */
  async exportTo(format: ReportFormat, filters: OutcomeFilters, who: ExportActor, write: (built: BuiltExport, settle: () => Promise<void>) => Promise<void>, onRow?: () => void): Promise<BuiltExport> {
    const record = this.recorder(format, filters, who);
    const built = await this.build(format, filters, record, onRow);
    const end: Promise<StreamEnd> = built.kind === 'document' ? Promise.resolve({ ended: true }) : this.streamEnd(built, who);
    let settled = false;
    const settle = async () => {
      if (settled) return;
      if (!(await end).ended) throw new Error('The export stopped before its last row.');
      await record('success', detailOf(built));
      settled = true;
    };
    let failed: { error: unknown } | undefined;
    try {
      await write(built, settle);
    } catch (error) {
      failed = { error };
    }
    // A stream that `write` stopped reading (or never read) ends here, as cut off: its rows' cursor is let go.
    if (built.kind === 'stream' && !built.stream.readableEnded) built.stream.destroy();
    const ended = await end;
    if (failed || !ended.ended) {
      await record('failure', { ...detailOf(built), reason: ended.ended ? 'output-failed' : ended.reason }).catch(() => undefined);
      throw failed ? failed.error : new Error('The export stopped before its last row.');
    }
    await settle();
    return built;
  }

  /** An audit row that could not be written is logged, once (by error name and code: a driver's message may quote a value). */
  private auditLost(who: ExportActor, err: unknown): void {
    const e = err as { name?: unknown; code?: unknown } | undefined;
    this.logger.error({ msg: 'An export audit row could not be written', requestId: who.requestId ?? null, error: String(e?.name), code: e?.code ?? null });
  }

  /** The export in its format, or a refusal (audited, then thrown). */
  private async build(format: ReportFormat, filters: OutcomeFilters, record: Recorder, onRow?: () => void): Promise<BuiltExport> {
    try {
      return format === 'csv' ? { kind: 'stream', ...(await this.reports.csv(filters, onRow)) } : { kind: 'document', ...(await this.reports.render(format, filters)) };
    } catch (err) {
      await record('failure', { reason: err instanceof DomainError ? err.code : 'error', ...(format === 'csv' ? { rowsSent: 0 } : {}) }).catch(() => undefined);
      throw err;
    }
  }

  private recorder(format: ReportFormat, filters: OutcomeFilters, who: ExportActor): Recorder {
    return (outcome, detail) =>
      this.audit.record({
        action: 'report.export',
        outcome,
        actor: who.actor,
        actorRole: who.actorRole,
        requestId: who.requestId ?? null,
        correlationId: who.correlationId ?? null,
        resourceType: format === 'measure-report' ? 'MeasureReport' : null,
        detail: { format, filters: describeFilters(filters), threshold: this.reports.threshold, ...detail },
      }).catch((err: unknown) => {
        this.auditLost(who, err);
        throw err;
      });
  }

  private streamEnd(csv: CsvExport, who: ExportActor): Promise<StreamEnd> {
    return new Promise((resolve) => {
      let finished = false;
      csv.stream.once('end', () => {
        finished = true;
        resolve({ ended: true });
      });
      csv.stream.once('close', () => {
        if (finished) return;
        const failure = csv.rowsFailure?.() as { name?: unknown; code?: unknown } | undefined;
        if (failure !== undefined) this.logger.warn({ msg: 'A CSV export failed mid-stream', requestId: who.requestId ?? null, error: String(failure?.name), code: failure?.code ?? null });
        resolve({ ended: false, reason: failure !== undefined ? 'export-failed' : 'stream-interrupted' });
      });
    });
  }
}

/**
 * What an export's audit row counts: a document's `bytes`; a CSV's `rows`, `participants` and `withheldGroups` as
 * planned before the first row, and `rowsSent`, the data rows handed out so far (src/reports/README.md says what it bounds).
 */
function detailOf(built: BuiltExport): Record<string, number> {
  if (built.kind === 'document') return { bytes: Buffer.byteLength(built.body) };
  return { rows: built.rows, participants: built.participants, withheldGroups: built.withheldGroups, rowsSent: built.rowsSent() };
}
