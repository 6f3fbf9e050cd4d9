// An export of the outcome report in any format, audited: action `report.export` with the format, the
// filters and what was exported (counts only, never PHI); refusals and failures are audited too.
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

/** A streamed export also says when its audit record is written (after the last row, or a failure). */
export type ExportResult = ({ kind: 'document' } & RenderedReport) | ({ kind: 'stream'; audited: Promise<void> } & CsvExport);

@Injectable()
export class OutcomeExportService {
  private readonly logger = new Logger('Reports');

  constructor(
    private readonly reports: OutcomeReportService,
    private readonly audit: AuditService,
  ) {}

  async export(format: ReportFormat, filters: OutcomeFilters, who: ExportActor, onRow?: () => void): Promise<ExportResult> {
    const record = (outcome: 'success' | 'failure', detail: Record<string, unknown>) =>
      this.audit.record({
        action: 'report.export',
        outcome,
        actor: who.actor,
        actorRole: who.actorRole,
        requestId: who.requestId ?? null,
        correlationId: who.correlationId ?? null,
        resourceType: format === 'measure-report' ? 'MeasureReport' : null,
        detail: { format, filters: describeFilters(filters), threshold: this.reports.threshold, ...detail },
      });
    try {
      if (format !== 'csv') {
        const rendered = await this.reports.render(format, filters);
        await record('success', { bytes: Buffer.byteLength(rendered.body) });
        return { kind: 'document', ...rendered };
      }
      const csv = await this.reports.csv(filters, onRow);
      const counts = { rows: csv.rows, participants: csv.participants, withheldGroups: csv.withheldGroups };
      // Audited once the last row is out, or when the stream fails or is cut off: `export-failed` when the rows could
      // not be read (a database error: then also logged, by name and code only, since a driver's message may quote a
      // value), else `stream-interrupted` (the reader went away: a closed download, a closed pipe, a full disk).
      const audited = new Promise<void>((resolve) => {
        let finished = false;
        csv.stream.once('end', () => {
          finished = true;
          record('success', counts).catch(() => undefined).finally(resolve);
        });
        csv.stream.once('close', () => {
          if (finished) return;
          const failure = csv.rowsFailure?.() as { name?: unknown; code?: unknown } | undefined;
          if (failure !== undefined) this.logger.warn({ msg: 'A CSV export failed mid-stream', requestId: who.requestId ?? null, error: String(failure?.name), code: failure?.code ?? null });
          record('failure', { ...counts, reason: failure !== undefined ? 'export-failed' : 'stream-interrupted' }).catch(() => undefined).finally(resolve);
        });
      });
      return { kind: 'stream', audited, ...csv };
    } catch (err) {
      await record('failure', { reason: err instanceof DomainError ? err.code : 'error' }).catch(() => undefined);
      throw err;
    }
  }
}
