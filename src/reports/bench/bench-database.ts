// The report benchmarks' database and synthetic clinic, shared by `npm run bench:report` and the service
// benchmark's report-vs-FHIR-search phase (test/bench/).
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../database/data-source-options.js';
import { startEmbeddedPostgres } from '../../database/embedded-postgres.js';
import { assembleOutcomeReport } from '../assembly/outcome-report.js';
import { figuresOf } from '../figures.js';
import { renderOutcomeReportHtml } from '../formats/html/outcome-report.html.js';
import type { SqlOutcomeData } from '../outcome-data.sql.js';
import { benchSeed } from './bench-seed.sql.js';

export interface BenchDatabase {
  url: string;
  schema?: string;
  close(): Promise<void>;
}

/** DATABASE_URL (a fresh schema, dropped by `close`; BENCH_SCHEMA keeps a named one), else an in-memory PGlite. */
export async function benchDatabase(): Promise<BenchDatabase> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const server = await startEmbeddedPostgres(null, 8);
    return { url: server.url, close: () => server.stop() };
  }
  // BENCH_SCHEMA keeps the seeded schema for another run (to profile queries); otherwise a fresh one.
  const kept = process.env.BENCH_SCHEMA;
  const schema = kept ?? `bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  return {
    url,
    schema,
    async close() {
      if (!kept) await admin.query(`DROP SCHEMA ${schema} CASCADE`);
      await admin.end();
    },
  };
}

/** No entities: the benchmark migrates, seeds and reports in SQL only (and reports know no other module's tables). */
export function benchDataSource(db: BenchDatabase): DataSource {
  return new DataSource(dataSourceOptions({ url: db.url, schema: db.schema, poolSize: 6, queryTimeoutMs: 1_800_000 }, []));
}

/** Migrates, then seeds a clinic of `referrals` referrals once; returns its registration id. */
export async function seedBenchClinic(ds: DataSource, referrals = 10_000): Promise<string> {
  await ds.runMigrations({ transaction: 'each' });
  const [existing] = await ds.query(`SELECT id FROM ehr_registration WHERE issuer = 'https://bench.example/fhir'`);
  if (existing) return existing.id as string;
  const [reg] = await ds.query(`INSERT INTO ehr_registration (issuer, name, client_id, client_auth) VALUES ('https://bench.example/fhir', 'Bench clinic', 'bench', 'private_key_jwt') RETURNING id`);
  const runner = ds.createQueryRunner(); // one session: the seed uses a temporary table
  try {
    for (const sql of benchSeed(referrals)) await runner.query(sql, sql.includes('$1') ? [reg.id] : []);
  } finally {
    await runner.release();
  }
  return reg.id;
}

/** One outcome report as the service makes it: SQL, assembly, HTML and JSON; milliseconds and sizes. */
export async function outcomeReportOnce(port: SqlOutcomeData, filters: Parameters<SqlOutcomeData['load']>[0]) {
  const t0 = performance.now();
  const data = await port.load(filters);
  const sqlMs = performance.now() - t0;
  const { report, charts } = assembleOutcomeReport(data, { threshold: 11, filters: {}, generatedAt: new Date() });
  const html = renderOutcomeReportHtml(report, charts, figuresOf(report));
  const json = JSON.stringify(report);
  return { sqlMs, totalMs: performance.now() - t0, jsonBytes: json.length, htmlBytes: html.length };
}
