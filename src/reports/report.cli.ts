import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import { createWriteStream } from 'node:fs';
import { userInfo } from 'node:os';
import { pipeline } from 'node:stream/promises';
import { DataSource } from 'typeorm';
import { AuditModule } from '../audit/audit.module.js';
import { DomainError } from '../common/errors/domain-error.js';
import { ConfigError, databaseConfig, securityConfig, validateAllConfig } from '../config/index.js';
import { DatabaseModule } from '../database/database.module.js';
import { filtersOf } from './outcome-filters.js';
import { OutcomeExportService } from './outcome-export.service.js';
import { parseReportArgs, REPORT_USAGE, type ReportCliArgs } from './report-cli.args.js';
import { progressBar } from './report-cli.progress.js';
import { ReportsCoreModule } from './reports.module.js';

/** Only what a report needs: configuration, the database, the audit log and the report services. */
@Module({
  imports: [ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load: [databaseConfig, securityConfig] }), DatabaseModule, AuditModule, ReportsCoreModule],
})
class ReportCliModule {}

/** The clinic: the registration named, the one with this issuer, or the only one there is. */
async function registrationOf(ds: DataSource, args: ReportCliArgs): Promise<string> {
  const rows = (await ds.query(
    `SELECT id FROM ehr_registration WHERE ($1::uuid IS NULL OR id = $1::uuid) AND ($2::text IS NULL OR issuer = $2::text) AND enabled ORDER BY created_at`,
    [args.registration ?? null, args.issuer ?? null],
  )) as { id: string }[];
  if (rows.length !== 1) throw new Error(rows.length ? 'several EHR registrations: choose one with --registration or --issuer' : 'no such EHR registration');
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
  validateAllConfig();
  const app = await NestFactory.createApplicationContext(ReportCliModule, { logger: ['error'] });
  try {
    const filters = filtersOf(args.query, await registrationOf(app.get(DataSource), args));
    const who = { actor: `cli:${userInfo().username}`, actorRole: null };
    const exports = app.get(OutcomeExportService);
    let bar = progressBar(0, false);
    const result = await exports.export(args.query.format, filters, who, () => bar.tick());
    // Opened only now, so a refused export leaves no empty file behind.
    const out = args.out ? createWriteStream(args.out) : process.stdout;
    if (result.kind === 'document') {
      await pipeline(async function* () { yield result.body; }, out);
      return 0;
    }
    bar = progressBar(result.rows, args.progress ?? (Boolean(args.out) && process.stderr.isTTY === true));
    await pipeline(result.stream, out);
    bar.stop();
    await result.audited;
    if (result.withheldGroups) console.error(`${result.withheldGroups} group(s) below the threshold were withheld.`);
    return 0;
  } finally {
    await app.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof ConfigError || err instanceof DomainError ? err.message : `Report failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
