// `npm run bench:report` (after a build): the clinic report over a synthetic clinic of 10 000
// participants and ~1 000 000 questionnaire responses. A benchmark, not a test: it prints timings and
// peak memory. Uses DATABASE_URL (a fresh schema, dropped afterwards) or an embedded PGlite in memory
// (then the database runs inside this process and its memory counts in the RSS).
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../database/data-source-options.js';
import { entities } from '../../entities.js';
import { startEmbeddedPostgres } from '../../database/embedded-postgres.js';
import { assembleOutcomeReport } from '../assembly/outcome-report.js';
import { figuresOf } from '../figures.js';
import { csvRecords, csvStringifier } from '../formats/outcome.csv.js';
import { renderOutcomeReportHtml } from '../formats/html/outcome-report.html.js';
import { SqlOutcomeData } from '../outcome-data.sql.js';
import { Pseudonymizer } from '../pseudonym.js';
import { BENCH_SEED } from './bench-seed.sql.js';
import { MemoryProbe, seconds } from './memory-probe.js';

/** The benchmark's output: what it measured, one line each, on stdout. */
const say = (line: string) => process.stdout.write(`${line}\n`);
const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;

async function database(): Promise<{ url: string; schema?: string; close(): Promise<void> }> {
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

async function seed(ds: DataSource): Promise<string> {
  await ds.runMigrations({ transaction: 'each' });
  const [existing] = await ds.query(`SELECT id FROM ehr_registration WHERE issuer = 'https://bench.example/fhir'`);
  if (existing) return existing.id as string;
  const [reg] = await ds.query(`INSERT INTO ehr_registration (issuer, name, client_id, client_auth) VALUES ('https://bench.example/fhir', 'Bench clinic', 'bench', 'private_key_jwt') RETURNING id`);
  const runner = ds.createQueryRunner(); // one session: the seed uses a temporary table
  try {
    for (const sql of BENCH_SEED) await runner.query(sql, sql.includes('$1') ? [reg.id] : []);
  } finally {
    await runner.release();
  }
  return reg.id;
}

async function main(): Promise<void> {
  const db = await database();
  const ds = new DataSource(dataSourceOptions({ url: db.url, schema: db.schema, poolSize: 6, queryTimeoutMs: 1_800_000 }, entities));
  await ds.initialize();
  try {
    let t0 = performance.now();
    const registrationId = await seed(ds);
    const [counts] = await ds.query(`SELECT (SELECT count(*) FROM enrolment_participant)::int AS participants, (SELECT count(*) FROM questionnaire_response)::int AS responses, (SELECT count(*) FROM questionnaire_score)::int AS scores`);
    say(`seeded ${counts.participants} participants, ${counts.responses} responses, ${counts.scores} scores in ${seconds(t0)} (${db.schema ? 'PostgreSQL' : 'embedded PGlite'})`);

    const port = new SqlOutcomeData(ds, new Pseudonymizer(randomBytes(32)));
    const filters = { registrationId, program: 'mindful-self-compassion-als' };
    const probe = new MemoryProbe();
    for (let run = 1; run <= 5; run++) {
      probe.reset();
      t0 = performance.now();
      const data = await port.load(filters);
      const tLoad = performance.now();
      const { report, charts } = assembleOutcomeReport(data, { threshold: 11, filters: {}, generatedAt: new Date() });
      const html = renderOutcomeReportHtml(report, charts, figuresOf(report));
      const json = JSON.stringify(report);
      say(
        `report run ${run}: ${seconds(t0)} total (SQL ${((tLoad - t0) / 1000).toFixed(3)} s, assembly + HTML ${((performance.now() - tLoad) / 1000).toFixed(3)} s); ` +
          `JSON ${json.length} B, HTML ${html.length} B; peak RSS during run ${mb(probe.peakRss)}, heap ${mb(probe.peakHeap)}`,
      );
    }
    probe.reset();
    t0 = performance.now();
    let rows = 0;
    let bytes = 0;
    const sink = new Writable({ write: (chunk: Buffer, _e, done) => ((bytes += chunk.length), done()) });
    await pipeline(csvRecords(port.csvRows(filters), () => true, () => rows++), csvStringifier(), sink);
    say(`CSV: ${rows} rows, ${mb(bytes)} in ${seconds(t0)}; peak RSS during export ${mb(probe.peakRss)}, heap ${mb(probe.peakHeap)}`);
    probe.stop();
    say(`process peak RSS (resourceUsage.maxRSS): ${mb(process.resourceUsage().maxRSS * 1024)}`);
  } finally {
    await ds.destroy();
    await db.close();
  }
}

main().catch((err: unknown) => {
  console.error(`Benchmark failed: ${err instanceof Error ? err.stack : String(err)}`);
  process.exit(1);
});
