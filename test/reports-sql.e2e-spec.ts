import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { DataSource, type DataSourceOptions } from 'typeorm';
import type { CsvGroup, CsvRow, OutcomeData } from '../src/reports/outcome-data.port.js';
import type { OutcomeFilters } from '../src/reports/outcome-filters.js';
import { SqlOutcomeData } from '../src/reports/outcome-data.sql.js';
import { dataSourceOptions } from '../src/database/data-source-options.js';
import { Pseudonymizer } from '../src/reports/pseudonym.js';
import { handCohort, largeCohort } from './support/reports/cohorts.js';
import { InMemoryOutcomeData } from './support/reports/in-memory-outcome-data.js';
import { householdsOf, seedHouseholds } from './support/reports/sql-seed.js';
import { mscProgram, Q, type SyntheticParticipant } from './support/reports/synthetic-cohort.js';
import { signIn } from './support/sign-in.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const SLUG = 'mindful-self-compassion-als';
// The seeded program version's timepoints (migrations/1795000004000-programs.seed.ts).
const OUTCOMES = ['phq-9', 'gad-7', 'who-5', 'scs-sf'].map(Q);
const TIMEPOINTS = [
  { code: 'baseline' as const, instruments: OUTCOMES },
  { code: 'mid' as const, instruments: [Q('who-5'), Q('scs-sf')] },
  { code: 'post' as const, instruments: [...OUTCOMES, Q('program-satisfaction')] },
  { code: 'follow-up' as const, instruments: OUTCOMES },
];

/** Pseudonyms differ (the SQL adapter hashes enrolment participant ids): compare the pairs' values only. */
function comparable(d: OutcomeData) {
  const { program: _program, scores, ...rest } = d;
  return { ...rest, scores: scores.map((s) => ({ ...s, pairs: s.pairs.map((p) => [p.before, p.after]).sort(), baselineOnly: [...s.baselineOnly].sort(), postOnly: [...s.postOnly].sort() })) };
}

/** The SQL adapter over real rows must agree with the in-memory reference on the same people. */
describe('SqlOutcomeData on the programs and questionnaires tables', () => {
  let t: TestApp;
  let sql: SqlOutcomeData;
  let reference: InMemoryOutcomeData;
  let registrationId: string;
  let cohortIds: Map<string, string>;
  const people: SyntheticParticipant[] = [];
  const filters = (over: Partial<OutcomeFilters> = {}): OutcomeFilters => ({ registrationId, program: SLUG, ...over });

  beforeAll(async () => {
    t = await createTestApp();
    registrationId = (await signIn(t.app, { role: 'quality' })).registrationId;
    const ds = t.app.get(DataSource);
    // Two clinics' worth of people: the hand cohort and a larger one, with distinct ids.
    const large = largeCohort().map((p) => ({ ...p, id: `L${p.id}`, cohort: p.cohort && `L ${p.cohort}` }));
    const { households, flat } = householdsOf([...handCohort(), ...large]);
    people.push(...flat);
    cohortIds = await seedHouseholds({ ds, registrationId, slug: SLUG, timepoints: TIMEPOINTS }, households);
    sql = new SqlOutcomeData(ds, new Pseudonymizer(Buffer.alloc(32, 3)));
    reference = new InMemoryOutcomeData(mscProgram(TIMEPOINTS), people);
  });
  afterAll(async () => t?.close());

  it.each<[string, Partial<OutcomeFilters>]>([
    ['no filter', {}],
    ['patients', { participantType: 'patient' }],
    ['caregivers', { participantType: 'caregiver' }],
    ['proxy answers', { answerMode: 'proxy' }],
    ['self answers', { answerMode: 'self' }],
    ['responses in Spanish', { language: 'es' }],
    ['responses in English', { language: 'en' }],
    ['proxy answers in Spanish', { answerMode: 'proxy', language: 'es' }],
    ['a language nobody answered in', { language: 'fr' }],
    ['referrals in February', { from: '2026-02-01', to: '2026-02-28' }],
    ['one version', { version: '1.0.0' }],
  ])('agrees with the reference for %s', async (_name, over) => {
    const [a, b] = await Promise.all([sql.load(filters(over)), reference.load(filters(over))]);
    expect(comparable(a)).toEqual(comparable(b));
    expect(a.program).toMatchObject({ slug: SLUG, version: '1.0.0', sessionCount: 8, minAttended: 6 });
  });

  it('agrees for one cohort, chosen by its id', async () => {
    const a = await sql.load(filters({ cohort: cohortIds.get('Spring 2026') }));
    const b = await reference.load(filters({ cohort: 'Spring 2026' }));
    expect(comparable(a)).toEqual(comparable(b));
    expect(a.funnel.enrolled).toBe(7);
  });

  it('counts the hand cohort as worked out in outcome-report.spec.ts', async () => {
    const a = await sql.load(filters({ from: '2026-02-01' }));
    expect(a.funnel).toEqual({ referred: 12, screened: 11, eligible: 10, enrolled: 9, started: 8, completed: 7, declined: 2, awaiting: 1, withdrawn: 1, inProgress: 1 });
    const phq9 = a.scores.find((s) => s.meta.linkId === 'phq9-total')!;
    expect(phq9.pairs.map((p) => p.after - p.before).sort((x, y) => x - y)).toEqual([-7, -6, -6, -5, 0, 2]);
    // A pair names no participant (the report shows none): nothing identifying is carried into the report.
    expect(phq9.pairs.every((p) => Object.keys(p).sort().join() === 'after,before')).toBe(true);
  });

  it('streams CSV rows through a cursor, matching the reference, and frees the connection when stopped early', async () => {
    const strip = async (rows: AsyncIterable<CsvRow>) => {
      const out: string[] = [];
      const ids = new Set<string>();
      for await (const { participant, ...r } of rows) {
        ids.add(participant);
        out.push(JSON.stringify(r));
      }
      return { rows: out.sort(), participants: ids.size };
    };
    const [a, b] = await Promise.all([strip(sql.csvRows(filters())), strip(reference.csvRows(filters()))]);
    expect(a).toEqual(b);
    expect((await sql.csvGroups(filters())).reduce((s, g) => s + g.rows, 0)).toBe(a.rows.length);
    // Each row's language is its latest value's response's, as the reference says; the groups count people per language.
    expect(a.rows.some((r) => JSON.parse(r).language === 'es')).toBe(true);
    const byKey = (groups: CsvGroup[]) => [...groups].sort((x, y) => `${x.cohort} ${x.participantType}`.localeCompare(`${y.cohort} ${y.participantType}`));
    // …and per answer mode (a person with self and proxy rows counts in both), as the reference does.
    const groups = byKey(await sql.csvGroups(filters()));
    expect(groups).toEqual(byKey(await reference.csvGroups(filters())));
    const spring = groups.find((g) => g.cohort === 'L Spring 2026' && g.participantType === 'patient')!;
    expect(spring.answerModes).toEqual([{ answerMode: 'proxy', participants: 2 }, { answerMode: 'self', participants: 14 }]);
    // …and per language × answer mode pair (a person counts under each pair they have a row in: the 14 make 18).
    expect(spring.pairs).toEqual([
      { language: 'en', answerMode: 'proxy', participants: 1 },
      { language: 'en', answerMode: 'self', participants: 10 },
      { language: 'es', answerMode: 'proxy', participants: 1 },
      { language: 'es', answerMode: 'self', participants: 6 },
    ]);
    for (const over of [{ answerMode: 'self' as const }, { language: 'es' }]) expect(byKey(await sql.csvGroups(filters(over)))).toEqual(byKey(await reference.csvGroups(filters(over))));
    // Restricted to responses in Spanish: fewer rows, the same as the reference.
    const [es, esRef] = await Promise.all([strip(sql.csvRows(filters({ language: 'es' }))), strip(reference.csvRows(filters({ language: 'es' })))]);
    expect(es).toEqual(esRef);
    expect(es.rows.length).toBeGreaterThan(0);
    expect(es.rows.length).toBeLessThan(a.rows.length);
    expect((await sql.csvGroups(filters({ language: 'es' }))).reduce((s, g) => s + g.rows, 0)).toBe(es.rows.length);
    for await (const _row of sql.csvRows(filters())) break;
    await expect(t.app.get(DataSource).query('SELECT 1 AS one')).resolves.toEqual([{ one: 1 }]);
  });

  describe('a CSV export read slowly, a few rows a round trip', () => {
    const batch = SqlOutcomeData.csvBatch;
    const timeout = SqlOutcomeData.csvCursorTimeoutMs;
    beforeEach(() => (SqlOutcomeData.csvBatch = 10));
    afterEach(() => {
      SqlOutcomeData.csvBatch = batch;
      SqlOutcomeData.csvCursorTimeoutMs = timeout;
    });
    /** Reads every row, pausing `pauseMs` after the first (a slow download); answers how many came. */
    const readSlowly = async (port: SqlOutcomeData, pauseMs: number) => {
      let n = 0;
      for await (const _row of port.csvRows(filters())) if (n++ === 0) await new Promise((r) => setTimeout(r, pauseMs));
      return n;
    };

    it('fails when its cursor outlives its deadline, never ending cut short as if complete', async () => {
      let all = 0;
      for await (const _row of sql.csvRows(filters())) all++;
      expect(all).toBeGreaterThan(30); // several round trips of 10
      // The deadline passes while the reader pauses and no fetch is waiting: the export must fail, not end at row 20.
      SqlOutcomeData.csvCursorTimeoutMs = 1000;
      await expect(readSlowly(sql, 3000)).rejects.toThrow(/timeout/i);
      await expect(t.app.get(DataSource).query('SELECT 1 AS one')).resolves.toEqual([{ one: 1 }]);
    });

    // A second pool on the suite's schema with a 1 s query timeout: PostgreSQL (PGlite serves one connection).
    (process.env.DATABASE_URL ? it : it.skip)('fails, never cut short, when it outlasts DB_QUERY_TIMEOUT_MS (real PostgreSQL)', async () => {
      const short = new DataSource(dataSourceOptions({ url: process.env.DATABASE_URL as string, schema: t.db.schema, poolSize: 2, queryTimeoutMs: 1000 }, []));
      await short.initialize();
      try {
        await expect(readSlowly(new SqlOutcomeData(short, new Pseudonymizer(Buffer.alloc(32, 3))), 3000)).rejects.toThrow('Query read timeout');
      } finally {
        await short.destroy();
      }
    });

    // Its own pool, named, so that only its connection is ended: PostgreSQL (PGlite serves one connection).
    (process.env.DATABASE_URL ? it : it.skip)('fails at once, and lets the connection go, when the connection dies mid-export (real PostgreSQL)', async () => {
      const name = `csv-export-${randomBytes(4).toString('hex')}`;
      // One connection: the query after the export can only run once the export has let its connection go.
      const own = new DataSource({ ...dataSourceOptions({ url: process.env.DATABASE_URL as string, schema: t.db.schema, poolSize: 1, queryTimeoutMs: 30_000 }, []), applicationName: name } as DataSourceOptions);
      await own.initialize();
      try {
        let n = 0;
        const reading = (async () => {
          for await (const _row of new SqlOutcomeData(own, new Pseudonymizer(Buffer.alloc(32, 3))).csvRows(filters())) {
            // After the first row, between two fetches, its connection is ended under it (a failover, a restart).
            if (n++ === 0) await t.app.get(DataSource).query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1', [name]);
          }
        })();
        await expect(reading).rejects.toThrow(); // it used to hang here, its connection held
        expect(n).toBeLessThanOrEqual(10); // the batch already read, no more
        await expect(own.query('SELECT 1 AS one')).resolves.toEqual([{ one: 1 }]);
      } finally {
        await own.destroy();
      }
    }, 60_000);
  });

  it('refuses an unknown program or version', async () => {
    await expect(sql.load(filters({ program: 'no-such-program' }))).rejects.toMatchObject({ code: 'REPORTS.UNKNOWN_PROGRAM' });
    await expect(sql.load(filters({ version: '9.9.9' }))).rejects.toMatchObject({ code: 'REPORTS.UNKNOWN_PROGRAM' });
  });

  it('serves the report over HTTP from the database: JSON, a CSV cut to groups of 11, 404 for an unknown program', async () => {
    const quality = await signIn(t.app, { role: 'quality' });
    const get = (q: string) => request(t.app.getHttpServer()).get(`/api/reports/outcomes?program=${SLUG}${q}`).set('Cookie', quality.cookie);
    const json = await get('').expect(200);
    expect(json.body.funnel.stages.referred.n).toBe(52);
    const csv = await get('&format=csv').expect(200);
    const lines = (csv.text as string).trim().split('\r\n');
    expect(lines).toHaveLength(1 + Number(csv.headers['x-report-rows']));
    // Only the 14 patients of "L Spring 2026" make a (cohort × type) group of 11 or more; the rest are withheld.
    expect(new Set(lines.slice(1).map((l) => l.split(',').slice(1, 3).join(',')))).toEqual(new Set(['patient,L Spring 2026']));
    // Its answer mode and language columns: each shown only if every value of it in that group has 11 people or
    // more, else empty on every row. Two of its 14 answered through a proxy: the answer mode is blank throughout.
    const spring = (await reference.csvGroups(filters())).find((g) => g.cohort === 'L Spring 2026' && g.participantType === 'patient')!;
    const shown = spring.languages.every((l) => l.participants >= 11);
    const column = (text: string, i: number) => [...new Set(text.trim().split('\r\n').slice(1).map((l) => l.split(',')[i]))].sort();
    expect(column(csv.text, 8)).toEqual(shown ? spring.languages.map((l) => l.language) : ['']);
    expect(column(csv.text, 7)).toEqual(['']);
    // Self answers only: the same 14 people, all answering themselves, so the column is shown.
    const self = await get('&format=csv&answerMode=self').expect(200);
    expect(column(self.text, 7)).toEqual(['self']);
    const unknown = await request(t.app.getHttpServer()).get('/api/reports/outcomes?program=no-such-program').set('Cookie', quality.cookie).expect(404);
    expect(unknown.body.issue[0].details.coding[0].code).toBe('REPORTS.UNKNOWN_PROGRAM');
  });

  it('sees nothing of another clinic', async () => {
    const other = await sql.load(filters({ registrationId: '00000000-0000-4000-8000-000000000000' }));
    expect(other.funnel.referred).toBe(0);
    // Every figure of the combined statement is empty, not just the funnel: JSON arrays of no rows, one row of zeros.
    expect(other.safety).toEqual({ raised: 0, followedUp: 0 });
    expect(other.timepoints.every((tp) => tp.due === 0 && tp.completed === 0)).toBe(true);
    expect(other.satisfaction.every((item) => item.counts.every((c) => c.count === 0))).toBe(true);
    expect(other.scores.every((sc) => sc.pairs.length + sc.baselineOnly.length + sc.postOnly.length === 0)).toBe(true);
  });
});
