import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../src/database/data-source-options.js';
import { entities } from '../src/entities.js';
import { startEmbeddedPostgres } from '../src/database/embedded-postgres.js';
import { largeCohort } from './support/reports/cohorts.js';
import { householdsOf, seedHouseholds } from './support/reports/sql-seed.js';
import { MSC_TIMEPOINTS } from './support/reports/synthetic-cohort.js';
import { seedDataDirFromSnapshot } from './support/pglite-snapshot.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';

/** `npm run report -- …` as a scheduled job runs it: the built CLI against a database it opens itself. */
describe('the report CLI', () => {
  const CLI = process.env.REPORT_CLI ?? 'dist/src/reports/report.cli.js';
  const dir = mkdtempSync(join(tmpdir(), 'als-report-cli-'));
  let db: TestDatabase;
  let env: NodeJS.ProcessEnv;
  const run = (...args: string[]) => {
    const r = spawnSync(process.execPath, [CLI, ...args], { env, encoding: 'utf8', timeout: 120000 });
    return { code: r.status, out: r.stdout, err: r.stderr };
  };
  let plain: ReturnType<typeof run> | undefined;
  /** `--program …` with no other option, run once: the first test reads it, the language test compares with it. */
  const plainReport = () => (plain ??= run('--program', 'mindful-self-compassion-als'));
  /** The database the CLI sees: the CI schema, or the embedded one in the data folder (started only while we use it). */
  async function withDatabase<T>(work: (ds: DataSource) => Promise<T>): Promise<T> {
    const server = db.url ? undefined : await startEmbeddedPostgres(dir, 4);
    const ds = new DataSource(dataSourceOptions({ url: db.url ?? server!.url, schema: db.url ? db.schema : undefined, poolSize: 2, queryTimeoutMs: 60000 }, entities));
    await ds.initialize();
    try {
      return await work(ds);
    } finally {
      await ds.destroy();
      await server?.stop();
    }
  }

  beforeAll(async () => {
    db = await createTestDatabase();
    env = { PATH: process.env.PATH, DATA_DIR: dir, REPORT_MIN_CELL_SIZE: '5', ...(db.url ? { DATABASE_URL: db.url, DB_SCHEMA: db.schema } : {}) };
    // The data folder starts as a migrated one (the service's first start is test/service-process's): no initdb.
    if (!db.url) await seedDataDirFromSnapshot(dir);
    await withDatabase(async (ds) => {
      await ds.runMigrations({ transaction: 'each' });
      const [reg] = await ds.query(`INSERT INTO ehr_registration (issuer, name, client_id, client_auth) VALUES ('https://ehr.cli.test/fhir', 'CLI clinic', 'c', 'private_key_jwt') RETURNING id`);
      await seedHouseholds({ ds, registrationId: reg.id, slug: 'mindful-self-compassion-als', timepoints: MSC_TIMEPOINTS }, householdsOf(largeCohort()).households);
    });
  }, 300_000); // an embedded database created on disk, migrated and seeded: a deadline for a busy machine
  afterAll(async () => {
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints the JSON report of the only clinic, with the configured threshold', () => {
    const r = plainReport();
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ deidentified: true, suppression: { threshold: 5 }, funnel: { stages: { referred: { n: 40 } } } });
  });

  it('streams a CSV to a file and audits the export', async () => {
    const out = join(dir, 'outcomes.csv');
    const r = run('--program', 'mindful-self-compassion-als', '--format', 'csv', '--out', out, '--issuer', 'https://ehr.cli.test/fhir');
    expect(r.code).toBe(0);
    const lines = readFileSync(out, 'utf8').trim().split('\r\n');
    expect(lines[0]).toBe('participant,participant_type,cohort,timepoint,instrument,score,value,answer_mode,language');
    expect(lines.length).toBeGreaterThan(100);
    const audit = await withDatabase((ds) => ds.query(`SELECT actor, outcome, detail FROM audit_event WHERE action = 'report.export' ORDER BY occurred_at`));
    expect(audit.map((a: { detail: { format: string } }) => a.detail.format)).toEqual(['json', 'csv']);
    expect(audit[1]).toMatchObject({ outcome: 'success', actor: expect.stringMatching(/^cli:/), detail: { rows: lines.length - 1, rowsSent: lines.length - 1 } });
  });

  it('refuses bad options with usage (exit 2) and an unknown program with one line (exit 1)', () => {
    const bad = run('--program', 'x', '--format', 'pdf');
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('usage: npm run report');
    const unknown = run('--program', 'no-such-program');
    expect(unknown.code).toBe(1);
    expect(unknown.err.trim().split('\n')).toEqual([expect.stringContaining("No program 'no-such-program'")]);
    expect(run('--program', 'mindful-self-compassion-als', '--language', 'Spanish').code).toBe(2);
  });

  it("prints an error that is not ours by its name and code, not its message (a driver's can quote a value)", () => {
    const r = run('--program', 'mindful-self-compassion-als', '--format', 'csv', '--out', join(dir, 'no-such-folder', 'outcomes.csv'));
    expect(r.code).toBe(1);
    expect(r.err.trim().split('\n')).toEqual(['Report failed: the report stopped on an unexpected error (Error, code ENOENT); its message is not shown, as it may quote data.']);
    // Our own errors still say what went wrong.
    const unknown = run('--program', 'mindful-self-compassion-als', '--issuer', 'https://ehr.elsewhere.test/fhir');
    expect(unknown.code).toBe(1);
    expect(unknown.err.trim().split('\n')).toEqual(['REGISTRY.NOT_FOUND: no such EHR registration']);
  });

  it('reports on the responses answered in one language (--language)', () => {
    const all = JSON.parse(plainReport().out) as { outcomes: { post: { n: unknown } }[] };
    const r = run('--program', 'mindful-self-compassion-als', '--language', 'es');
    expect(r.code).toBe(0);
    const es = JSON.parse(r.out) as { filters: Record<string, string>; outcomes: { post: { n: unknown } }[]; notes: { code: string }[] };
    expect(es.filters).toMatchObject({ language: 'es' });
    expect(es.notes.map((n) => n.code)).toContain('language');
    // largeCohort: 15 of the 30 post PHQ-9 forms were answered in Spanish.
    expect([all.outcomes[0].post.n, es.outcomes[0].post.n]).toEqual([30, 15]);
  });
});
