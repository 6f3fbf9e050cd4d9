// `npm run bench:report` (after a build): the clinic report over a synthetic clinic of 10 000
// participants and ~1 000 000 questionnaire responses. A benchmark, not a test: it prints timings and
// peak memory. Uses DATABASE_URL (a fresh schema, dropped afterwards) or an embedded PGlite in memory
// (then the database runs inside this process and its memory counts in the RSS).
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { csvRecords, csvStringifier } from '../formats/outcome.csv.js';
import { SqlOutcomeData } from '../outcome-data.sql.js';
import { Pseudonymizer } from '../pseudonym.js';
import { benchDatabase, benchDataSource, outcomeReportOnce, seedBenchClinic } from './bench-database.js';
import { MemoryProbe, seconds } from './memory-probe.js';

/** The benchmark's output: what it measured, one line each, on stdout. */
const say = (line: string) => process.stdout.write(`${line}\n`);
const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;

async function main(): Promise<void> {
  const db = await benchDatabase();
  const ds = benchDataSource(db);
  await ds.initialize();
  try {
    let t0 = performance.now();
    const registrationId = await seedBenchClinic(ds);
    const [counts] = await ds.query(`SELECT (SELECT count(*) FROM enrolment_participant)::int AS participants, (SELECT count(*) FROM questionnaire_response)::int AS responses, (SELECT count(*) FROM questionnaire_score)::int AS scores`);
    say(`seeded ${counts.participants} participants, ${counts.responses} responses, ${counts.scores} scores in ${seconds(t0)} (${db.schema ? 'PostgreSQL' : 'embedded PGlite'})`);

    const port = new SqlOutcomeData(ds, new Pseudonymizer(randomBytes(32)));
    const filters = { registrationId, program: 'mindful-self-compassion-als' };
    const probe = new MemoryProbe();
    for (let run = 1; run <= 5; run++) {
      probe.reset();
      const r = await outcomeReportOnce(port, filters);
      say(
        `report run ${run}: ${(r.totalMs / 1000).toFixed(3)} s total (SQL ${(r.sqlMs / 1000).toFixed(3)} s, assembly + HTML ${((r.totalMs - r.sqlMs) / 1000).toFixed(3)} s); ` +
          `JSON ${r.jsonBytes} B, HTML ${r.htmlBytes} B; peak RSS during run ${mb(probe.peakRss)}, heap ${mb(probe.peakHeap)}`,
      );
    }
    probe.reset();
    t0 = performance.now();
    let rows = 0;
    let bytes = 0;
    const sink = new Writable({ write: (chunk: Buffer, _e, done) => ((bytes += chunk.length), done()) });
    await pipeline(csvRecords(port.csvRows(filters), { keep: () => true, languageShown: () => true, answerModeShown: () => true }, () => rows++), csvStringifier(), sink);
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
