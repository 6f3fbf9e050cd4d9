import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { userInfo } from 'node:os';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DataSource } from 'typeorm';
import { cliModuleImports, runCli, withAppContext } from '../cli/bootstrap.js';
import { DomainError } from '../common/errors/domain-error.js';
import { databaseConfig, securityConfig } from '../config/index.js';
import { filtersOf } from './outcome-filters.js';
import { OutcomeExportService, type BuiltExport } from './outcome-export.service.js';
import { parseReportArgs, REPORT_USAGE, type ReportCliArgs } from './report-cli.args.js';
import { exportOutput, reportErrorLine } from './report-cli.out.js';
import { progressBar } from './report-cli.progress.js';
import { ReportsCoreModule } from './reports.module.js';

/** Only what a report needs: configuration, the database, the audit log and the report services. */
@Module({
  imports: [...cliModuleImports([databaseConfig, securityConfig]), ReportsCoreModule],
})
class ReportCliModule {}

/** The clinic: the registration named, the one with this issuer, or the only one there is. */
async function registrationOf(ds: DataSource, args: ReportCliArgs): Promise<string> {
  const rows = (await ds.query(
    `SELECT registration_id AS id FROM smart_report_registrations WHERE ($1::uuid IS NULL OR registration_id = $1::uuid) AND ($2::text IS NULL OR issuer = $2::text) ORDER BY registered_at`,
    [args.registration ?? null, args.issuer ?? null],
  )) as { id: string }[];
  if (rows.length === 0) throw new DomainError('REGISTRY.NOT_FOUND', 'no such EHR registration');
  if (rows.length > 1) throw new DomainError('COMMON.VALIDATION', 'several EHR registrations: choose one with --registration or --issuer');
  return rows[0].id;
}

/** Scheduled exports: streams to the file (memory stays flat), audited like the API's exports. */
async function main(argv: string[]): Promise<number> {
  let args: ReportCliArgs;
  try {
    args = parseReportArgs(argv);
  } catch (err) {
    const issues = err instanceof DomainError ? err.issues.map((i) => `  ${i.message}`).join('\n') : `  ${(err as Error).message}`;
    console.error(`${issues}\n${REPORT_USAGE}`);
    return 2;
  }
  return withAppContext(ReportCliModule, async (app) => {
    const filters = filtersOf(args.query, await registrationOf(app.get(DataSource), args));
    const who = { actor: `cli:${userInfo().username}`, actorRole: null };
    const exports = app.get(OutcomeExportService);
    let bar = progressBar(0, false);
    const emit = async (result: BuiltExport, out: Writable) => {
      if (result.kind === 'document') {
        await pipeline(async function* () { yield result.body; }, out);
        return;
      }
      bar = progressBar(result.rows, args.progress ?? (Boolean(args.out) && process.stderr.isTTY === true));
      try {
        await pipeline(result.stream, out);
      } finally {
        bar.stop();
      }
    };
    // The file is opened only once the export is built, so a refused export leaves none behind; a failed one leaves
    // none either (writeWhole). Audited once written whole, before it takes its name (no file without its audit row),
    // or as failed when it cannot be placed.
    const result = await exports.exportTo(args.query.format, filters, who, exportOutput(args.out, emit), () => bar.tick());
    if (result.kind === 'stream' && result.withheldGroups) console.error(`${result.withheldGroups} group(s) below the threshold were withheld.`);
    return 0;
  });
}

// An error that is not ours is printed by name and code, never by its message (reportErrorLine): a database driver's
// can quote a value.
runCli(() => main(process.argv.slice(2)), 'Report failed', reportErrorLine);
