// The outcome port over our PostgreSQL: the programs module's report views (referrals, participants, cohorts,
// attendance) and the questionnaires module's (assignments, scores, answers, alerts), read only; never their
// tables (the views are their `read-models/`, created by migration 1795000011000).
// Counting happens in SQL; CSV rows come through a server-side cursor, so memory stays flat.
import { Injectable } from '@nestjs/common';
import QueryStream from 'pg-query-stream';
import type { PoolClient } from 'pg';
import { DataSource } from 'typeorm';
import { DomainError } from '../common/errors/domain-error.js';
import type { InstrumentDefinition } from '../questionnaires/engine/instrument.types.js';
import { OutcomeDataPort, type CsvGroup, type CsvRow, type OutcomeData, type TimepointCode } from './outcome-data.port.js';
import type { AnswerMode, OutcomeFilters, ParticipantType } from './outcome-filters.js';
import { Pseudonymizer } from './pseudonym.js';
import { analysedScores, definitionsByUrl, SATISFACTION_ITEMS, SATISFACTION_SCORE, SATISFACTION_URL, satisfactionRating } from './score-catalogue.js';
import { BUILT_IN_INSTRUMENTS } from '../questionnaires/engine/instrument-library.js';
import { peopleParams } from './sql/people.sql.js';
import { CSV_GROUPS_SQL, CSV_ROWS_SQL, DEFINITIONS_SQL, PEOPLE_FIGURES_SQL, PROGRAM_SQL, SCORES_SQL } from './sql/outcome-queries.sql.js';
import { foldFunnel, foldLanguages, foldSatisfaction, foldScores, type FunnelRow, type LanguageRow, type SeriesRow } from './sql/outcome-rows.js';

interface ProgramRow {
  version: string;
  title: string;
  session_count: number;
  completion_rule: { minAttended: number };
  timepoints: { code: TimepointCode; instruments: string[] }[];
}

/** A CSV row as the cursor reads it. */
interface CsvSqlRow {
  participant_key: string;
  role: ParticipantType;
  cohort_label: string;
  timepoint: TimepointCode;
  instrument_url: string;
  link_id: string;
  value: number;
  proxy: boolean;
  language: string;
}

/** What csvRows uses of pg-cursor (untyped in pg-query-stream). */
interface CsvCursor {
  read(rows: number, cb: (err: Error | undefined, rows: CsvSqlRow[]) => void): void;
  close(cb: (err?: Error) => void): void;
  on(event: 'error', listener: (err: unknown) => void): void;
}

/** Rows fetched per round trip of the CSV cursor. */
const CSV_BATCH = 2000;

/**
 * Each report query runs in its own read-only transaction with JIT off (compiling the plan cost more
 * than running it: 0.47 of 0.55 s for the funnel over 10 000 people) and room to sort in memory.
 */
const REPORT_SETTINGS = `SET TRANSACTION READ ONLY; SET LOCAL jit = off; SET LOCAL work_mem = '64MB'`;

@Injectable()
export class SqlOutcomeData extends OutcomeDataPort {
  /**
   * Rows per round trip of the CSV cursor, and how long the cursor may stay open (unset: DB_QUERY_TIMEOUT_MS, the
   * connection's query timeout, for the whole export, its reader's pauses included); a suite lowers both.
   */
  static csvBatch = CSV_BATCH;
  static csvCursorTimeoutMs: number | undefined = undefined;

  constructor(
    private readonly ds: DataSource,
    private readonly pseudonyms: Pseudonymizer,
  ) {
    super();
  }

  async load(f: OutcomeFilters): Promise<OutcomeData> {
    const program = await this.program(f);
    const metas = analysedScores(program.timepoints, await this.definitions(f.registrationId));
    const people = peopleParams(f);
    const withMode = [...people, f.answerMode ?? null];
    const language = f.language ?? null;
    const scoreParams = [...withMode, metas.map((m) => m.instrumentUrl), metas.map((m) => m.linkId), language];
    type PeopleFigures = {
      funnel: FunnelRow[];
      timepoints: { timepoint: TimepointCode; due: number; completed: number }[];
      satisfaction: { link_id: string; code: string; n: number }[];
      safety: { raised: number; followed_up: number }[];
    };
    const [[figures], [scores]] = await Promise.all([
      this.query<PeopleFigures[]>(PEOPLE_FIGURES_SQL, [...withMode, SATISFACTION_URL, SATISFACTION_ITEMS.map((i) => i.linkId), SATISFACTION_SCORE, language]),
      this.query<{ series: SeriesRow[]; languages: LanguageRow[] }[]>(SCORES_SQL, scoreParams),
    ]);
    const { funnel: funnelRows, timepoints: timepointRows, satisfaction: satisfactionRows, safety: safetyRows } = figures;
    const folded = foldFunnel(funnelRows);
    return {
      program: { slug: f.program, title: program.title, version: program.version, sessionCount: program.session_count, minAttended: program.completion_rule.minAttended },
      ...folded,
      timepoints: program.timepoints.map((tp) => {
        const row = timepointRows.find((r) => r.timepoint === tp.code);
        return { code: tp.code, due: row?.due ?? 0, completed: row?.completed ?? 0 };
      }),
      scores: foldLanguages(foldScores(metas, scores.series, folded.funnel.enrolled), scores.languages),
      satisfaction: foldSatisfaction(SATISFACTION_ITEMS, satisfactionRows, satisfactionRating),
      safety: { raised: safetyRows[0]?.raised ?? 0, followedUp: safetyRows[0]?.followed_up ?? 0 },
    };
  }

  async csvGroups(f: OutcomeFilters): Promise<CsvGroup[]> {
    await this.program(f);
    type GroupRow = {
      cohort_label: string; role: ParticipantType; participants: number; rows: number;
      languages: Record<string, number>; answer_modes: Record<AnswerMode, number>; pairs: Record<string, number>;
    };
    const rows = await this.query<GroupRow[]>(CSV_GROUPS_SQL, [...peopleParams(f), f.answerMode ?? null, f.language ?? null]);
    const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
    const sorted = <K extends string>(counts: Partial<Record<K, number>> | null) => (Object.entries(counts ?? {}) as [K, number][]).sort(([a], [b]) => compare(a, b));
    return rows.map((r) => ({
      cohort: r.cohort_label,
      participantType: r.role,
      participants: r.participants,
      rows: r.rows,
      languages: sorted(r.languages).map(([language, participants]) => ({ language, participants })),
      answerModes: sorted(r.answer_modes).map(([answerMode, participants]) => ({ answerMode, participants })),
      pairs: Object.entries(r.pairs ?? {})
        .map(([pair, participants]) => {
          const [language, answerMode] = JSON.parse(pair) as [string, AnswerMode];
          return { language, answerMode, participants };
        })
        .sort((a, b) => compare(a.language, b.language) || compare(a.answerMode, b.answerMode)),
    }));
  }

  async *csvRows(f: OutcomeFilters): AsyncIterable<CsvRow> {
    const runner = this.ds.createQueryRunner();
    const client = (await runner.connect()) as PoolClient;
    await client.query(`BEGIN; ${REPORT_SETTINGS}`);
    // pg-query-stream's cursor (pg-cursor), read batch by batch here rather than through its Readable: when the
    // connection dies mid-export, the Readable's destroy waits for the cursor to close, which waits for an answer a
    // dead socket never gives, and the export hung with its connection held (seen in review, PostgreSQL).
    // QueryStream stays the submittable, not a bare pg-cursor: it also calls the callback node-postgres gives a query
    // when the cursor ends or fails, which clears the query-timeout timer; pg-cursor alone never does, so each export
    // would leave that timer running for DB_QUERY_TIMEOUT_MS after its last row.
    const query = new QueryStream(CSV_ROWS_SQL, [...peopleParams(f), f.answerMode ?? null, f.language ?? null], { batchSize: SqlOutcomeData.csvBatch });
    const cursor = query.cursor as CsvCursor;
    // node-postgres reads a submittable's own query_timeout before the connection's.
    if (SqlOutcomeData.csvCursorTimeoutMs !== undefined) Object.assign(query, { query_timeout: SqlOutcomeData.csvCursorTimeoutMs });
    // An export must end within the query timeout, its reader's pauses included. An error that reaches the cursor
    // while no read is waiting (that timeout during a slow download) is followed by the server's ReadyForQuery, which
    // pg-cursor takes as the end of the rows: the export ended cleanly, cut short, and answered 200 with part of the
    // file. Kept here, and thrown once the rows stop: the download breaks instead.
    let failure: unknown;
    cursor.on('error', (err) => (failure ??= err));
    client.query(query);
    const read = () => new Promise<CsvSqlRow[]>((resolve, reject) => cursor.read(SqlOutcomeData.csvBatch, (err, rows) => (err ? reject(err) : resolve(rows))));
    let complete = false;
    try {
      for (let rows = await read(); rows.length; rows = await read()) {
        for (const r of rows) {
          yield {
            participant: this.pseudonyms.of(r.participant_key),
            participantType: r.role,
            cohort: r.cohort_label,
            timepoint: r.timepoint,
            instrument: r.instrument_url,
            score: r.link_id,
            value: r.value,
            answerMode: r.proxy ? 'proxy' : 'self',
            language: r.language,
          };
        }
      }
      complete = true;
      if (failure !== undefined) throw failure;
    } finally {
      // A consumer that stops early (a client hanging up) closes the cursor before the connection goes back. Never
      // awaited: on a silent connection nothing would ever answer it (pg-cursor, once closing, ignores the timeout
      // and the socket's errors); the ROLLBACK queues behind it under the query timeout, and a connection whose query
      // timed out is ended (ClosingClient). After an error the cursor is not closed at all: the connection may be
      // dead, and a dead one leaves the pool on its own error.
      if (!complete && failure === undefined) cursor.close(() => undefined);
      await client.query('ROLLBACK').catch(() => undefined);
      await runner.release();
    }
  }

  private query<T>(sql: string, params: unknown[]): Promise<T> {
    return this.ds.transaction(async (m) => {
      await m.query(REPORT_SETTINGS);
      return (await m.query(sql, params)) as T;
    });
  }

  private async program(f: OutcomeFilters): Promise<ProgramRow> {
    const [row] = await this.query<ProgramRow[]>(PROGRAM_SQL, [f.program, f.version ?? null]);
    if (!row) {
      throw new DomainError('REPORTS.UNKNOWN_PROGRAM', `No program '${f.program}'${f.version ? ` with version ${f.version}` : ''} in the catalogue.`, [
        { message: 'unknown program or version', expression: f.version ? 'version' : 'program' },
      ]);
    }
    return row;
  }

  /** Built-in instruments and the clinic's imported ones (imported metadata wins for its own URL). */
  private async definitions(registrationId: string): Promise<Map<string, InstrumentDefinition>> {
    const imported = await this.query<{ questionnaire: InstrumentDefinition['questionnaire']; scores: InstrumentDefinition['scores'] }[]>(DEFINITIONS_SQL, [registrationId]);
    return definitionsByUrl([...BUILT_IN_INSTRUMENTS, ...imported.map((d) => ({ questionnaire: d.questionnaire, scores: d.scores, safetyRules: [] }))]);
  }
}
