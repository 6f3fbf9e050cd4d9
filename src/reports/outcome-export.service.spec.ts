import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { largeCohort } from '../../test/support/reports/cohorts.js';
import { InMemoryOutcomeData } from '../../test/support/reports/in-memory-outcome-data.js';
import { mscProgram } from '../../test/support/reports/synthetic-cohort.js';
import type { AuditEntry, AuditService } from '../audit/audit.service.js';
import type { ReportsConfig } from '../config/reports.config.js';
import type { OutcomeDataPort } from './outcome-data.port.js';
import { OutcomeExportService, type BuiltExport } from './outcome-export.service.js';
import type { OutcomeFilters } from './outcome-filters.js';
import { OutcomeReportService } from './outcome-report.service.js';
import { exportOutput } from './report-cli.out.js';

const filters: OutcomeFilters = { registrationId: 'c', program: 'p' };
const who = { actor: 'cli:tester', actorRole: null };

/**
 * The export service over the in-memory data (44 rows exported of largeCohort's), its audit rows kept. `after`, when
 * given, is what the rows do once `rowsOut` rows the CSV keeps have been read: fail, or wait (a slow database).
 */
function exportService(stop?: { rowsOut: number; after: () => Promise<never> }, refuse?: (e: AuditEntry) => boolean) {
  const data = new InMemoryOutcomeData(mscProgram(), largeCohort());
  const port: OutcomeDataPort = {
    load: (f) => data.load(f),
    csvGroups: (f) => data.csvGroups(f),
    csvRows: async function* (f) {
      const kept = new Set((await data.csvGroups(f)).filter((g) => g.participants >= 11).map((g) => `${g.participantType}/${g.cohort}`));
      let out = 0;
      for await (const r of data.csvRows(f)) {
        if (stop && kept.has(`${r.participantType}/${r.cohort}`) && ++out > stop.rowsOut) await stop.after();
        yield r;
      }
    },
  };
  const audited: { outcome: string; detail: Record<string, unknown> }[] = [];
  const audit = {
    record: async (e: AuditEntry) => {
      if (refuse?.(e)) throw Object.assign(new Error('the audit database refused the row'), { code: '53100' });
      audited.push({ outcome: e.outcome, detail: e.detail ?? {} });
    },
  } as unknown as AuditService;
  const reports = new OutcomeReportService(port, { minCellSize: 11 } as ReportsConfig);
  return { service: new OutcomeExportService(reports, audit), audited };
}

/** Looks again after each turn of the event loop until `done` holds (no clock). */
async function until(done: () => boolean): Promise<void> {
  while (!done()) await new Promise((resolve) => setImmediate(resolve));
}

const discard = () => new Writable({ write: (_chunk, _enc, done) => done() });
const streamOf = (built: BuiltExport) => {
  if (built.kind !== 'stream') throw new Error('expected a CSV stream');
  return built.stream;
};

describe('the audit of a CSV export says how many rows left (rowsSent), not only how many were planned', () => {
  it('counts every row of a whole export', async () => {
    const { service, audited } = exportService();
    let text = '';
    await service.exportTo('csv', filters, who, (built) => pipeline(streamOf(built), new Writable({ write: (chunk, _enc, done) => ((text += String(chunk)), done()) })));
    const lines = text.trim().split('\r\n').length - 1;
    expect(audited).toEqual([{ outcome: 'success', detail: expect.objectContaining({ rows: lines, rowsSent: lines }) }]);
  });

  it('counts the rows sent before the rows failed (a database error after three)', async () => {
    const { service, audited } = exportService({ rowsOut: 3, after: () => Promise.reject(new Error('Query read timeout')) });
    await expect(service.exportTo('csv', filters, who, (built) => pipeline(streamOf(built), discard()))).rejects.toThrow('Query read timeout');
    expect(audited).toEqual([{ outcome: 'failure', detail: expect.objectContaining({ reason: 'export-failed', rowsSent: 3 }) }]);
    expect(audited[0].detail.rows).toBeGreaterThan(3); // the planned rows, kept beside what left
  });

  it('counts fewer rows than planned for a reader that went away after the first bytes', async () => {
    const { service, audited } = exportService({ rowsOut: 5, after: () => new Promise<never>(() => undefined) });
    const reader = new Writable({ write: (_chunk, _enc, done) => reader.destroy() && done() });
    await expect(service.exportTo('csv', filters, who, (built) => pipeline(streamOf(built), reader))).rejects.toThrow();
    expect(audited).toEqual([{ outcome: 'failure', detail: expect.objectContaining({ reason: 'stream-interrupted' }) }]);
    expect(audited[0].detail).toMatchObject({ rows: 44, rowsSent: 5 });
  });

  it('counts none for a refused export', async () => {
    const { service, audited } = exportService();
    let written = false;
    await expect(service.exportTo('csv', { ...filters, participantType: 'caregiver' }, who, async () => void (written = true))).rejects.toMatchObject({ code: 'REPORTS.POPULATION_TOO_SMALL' });
    expect(written).toBe(false);
    expect(audited).toEqual([{ outcome: 'failure', detail: expect.objectContaining({ reason: 'REPORTS.POPULATION_TOO_SMALL', rowsSent: 0 }) }]);
  });

  it('audits a success only once its reader has it all, not when the CSV writer ends (the download\'s last bytes still buffered)', async () => {
    const { service, audited } = exportService();
    let whenEnded: unknown[] | undefined;
    let arrived!: () => void;
    const exporting = service.exportTo('csv', filters, who, async (built) => {
      streamOf(built).once('end', () => setImmediate(() => (whenEnded = [...audited])));
      await pipeline(streamOf(built), discard());
      await new Promise<void>((resolve) => (arrived = resolve)); // the response has not finished yet
    });
    await until(() => whenEnded !== undefined);
    expect(whenEnded).toEqual([]);
    expect(audited).toEqual([]);
    arrived();
    await exporting;
    expect(audited).toEqual([{ outcome: 'success', detail: expect.objectContaining({ rowsSent: 44 }) }]);
  });

  it('audits a reader that went away after every row was handed to it as failed (output-failed), with the rows handed out', async () => {
    const { service, audited } = exportService();
    const gone = Object.assign(new Error('Premature close'), { code: 'ERR_STREAM_PREMATURE_CLOSE' });
    await expect(service.exportTo('csv', filters, who, async (built) => {
      await pipeline(streamOf(built), discard());
      throw gone; // the client hung up before the response finished
    })).rejects.toBe(gone);
    expect(audited).toEqual([{ outcome: 'failure', detail: expect.objectContaining({ reason: 'output-failed', rows: 44, rowsSent: 44 }) }]);
  });
});

describe('an export its caller puts in place (the report CLI\'s --out)', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'als-export-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** The report CLI's --out, as report.cli.ts wires it (exportOutput): written whole, audited, then renamed into place. */
  const toFile = (path: string, written?: () => void) =>
    exportOutput(path, async (built: BuiltExport, out) => {
      await pipeline(streamOf(built), out);
      written?.();
    });

  it('is audited as a success once written whole, before it takes its name: never a file without its audit row', async () => {
    const { service, audited } = exportService();
    const path = join(dir, 'outcomes.csv');
    let whenWritten: unknown[] = [];
    await service.exportTo('csv', filters, who, toFile(path, () => (whenWritten = [...audited])));
    expect(whenWritten).toEqual([]); // every row written, not audited yet
    expect(audited).toEqual([{ outcome: 'success', detail: expect.objectContaining({ rowsSent: expect.any(Number) }) }]);
    expect(audited[0].detail.rowsSent).toBe(audited[0].detail.rows);
    expect(readdirSync(dir)).toEqual(['outcomes.csv']);
  });

  it('leaves no file when its success cannot be audited', async () => {
    const { service, audited } = exportService(undefined, (e) => e.outcome === 'success');
    const path = join(dir, 'outcomes.csv');
    await expect(service.exportTo('csv', filters, who, toFile(path))).rejects.toThrow('the audit database refused the row');
    expect(readdirSync(dir)).toEqual([]); // neither the export under its name nor its temporary file
    expect(audited).toEqual([{ outcome: 'failure', detail: expect.objectContaining({ reason: 'output-failed' }) }]);
  });

  it('says output-failed after the success when the finished file cannot be put in place', async () => {
    const { service, audited } = exportService();
    const path = join(dir, 'outcomes.csv');
    const placing = service.exportTo('csv', filters, who, toFile(path, () => mkdirSync(join(path, 'in-the-way'), { recursive: true }))); // the rename over `path` now fails
    await expect(placing).rejects.toThrow();
    expect(audited).toEqual([
      { outcome: 'success', detail: expect.objectContaining({ rowsSent: expect.any(Number) }) },
      { outcome: 'failure', detail: expect.objectContaining({ reason: 'output-failed' }) },
    ]);
    expect(audited[1].detail.rowsSent).toBe(audited[1].detail.rows); // every row had been written out
    expect(readdirSync(dir)).toEqual(['outcomes.csv']); // the directory in the way; no partial file
  });

  it('audits an export to standard output once it has finished (nothing calls settle)', async () => {
    const { service, audited } = exportService();
    await service.exportTo('csv', filters, who, exportOutput(undefined, (built: BuiltExport, out) => pipeline(streamOf(built), out), discard()));
    expect(audited).toEqual([{ outcome: 'success', detail: expect.objectContaining({ rowsSent: expect.any(Number) }) }]);
  });

  it('audits a document the same way: a failure to place it is output-failed', async () => {
    const { service, audited } = exportService();
    await expect(service.exportTo('json', filters, who, async () => {
      throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
    })).rejects.toThrow('no space left');
    expect(audited).toEqual([{ outcome: 'failure', detail: expect.objectContaining({ format: 'json', reason: 'output-failed', bytes: expect.any(Number) }) }]);
  });

  it('audits a stream cut off mid-write as before (stream-interrupted), with the rows that left', async () => {
    const { service, audited } = exportService({ rowsOut: 5, after: () => new Promise<never>(() => undefined) });
    const reader = new Writable({ write: (_chunk, _enc, done) => done(Object.assign(new Error('no space left on device'), { code: 'ENOSPC' })) });
    await expect(service.exportTo('csv', filters, who, (built) => pipeline(streamOf(built), reader))).rejects.toThrow('no space left');
    expect(audited).toEqual([{ outcome: 'failure', detail: expect.objectContaining({ reason: 'stream-interrupted', rows: 44, rowsSent: 5 }) }]);
  });
});
