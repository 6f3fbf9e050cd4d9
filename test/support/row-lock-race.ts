import pg from 'pg';
import type { DataSource } from 'typeorm';

/**
 * Two requests made to race deterministically on real PostgreSQL, without sleeps: a second raw connection holds row
 * locks, the requests queue behind them in a known order (seen in pg_stat_activity), then the locks are released.
 * (PGlite runs one transaction at a time: nothing races there.)
 */
export class RowLockRace {
  /** `ds`: the app's pool, to watch from; `raw`: a connection of its own, on the app's schema, to hold the locks. */
  constructor(
    private readonly ds: DataSource,
    private readonly raw: pg.Client,
  ) {}

  /** A race with a raw connection of its own on `schema` of DATABASE_URL (real PostgreSQL only); `close` ends it. */
  static async open(ds: DataSource, schema: string): Promise<RowLockRace> {
    const raw = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await raw.connect();
    try {
      await raw.query(`SET search_path TO ${schema}`);
    } catch (err) {
      await raw.end();
      throw err;
    }
    return new RowLockRace(ds, raw);
  }

  /** Ends the raw connection (a transaction still open on it is rolled back). */
  close(): Promise<void> {
    return this.raw.end();
  }

  /** Begins a transaction on the raw connection that holds the rows `lock` selects (at least one); resolves with its backend pid. */
  async hold(lock: [string, unknown[]]): Promise<number> {
    await this.raw.query('BEGIN');
    const held = (await this.raw.query(lock[0], lock[1])).rowCount;
    if (!held) throw new Error(`the lock statement selected no row: ${lock[0]}`);
    return (await this.raw.query('SELECT pg_backend_pid() AS pid')).rows[0].pid as number;
  }

  /** A statement inside the holding transaction: a change made while the requests wait. */
  async query(sql: string, params: unknown[] = []): Promise<void> {
    await this.raw.query(sql, params);
  }

  /** Commits the holding transaction: the locks go, the waiting requests go on. */
  async release(): Promise<void> {
    await this.raw.query('COMMIT');
  }

  /** Waits (polling pg_stat_activity: a bounded number of polls, not a time) until `n` backends whose statement matches are blocked behind `holders`. */
  async blockedBehind(holders: number[], n: number, statement: RegExp): Promise<number[]> {
    for (let i = 0; i < 3000; i++) {
      // From the app's pool, not from `raw`: inside a transaction pg_stat_activity answers one snapshot throughout.
      const rows: { pid: number; query: string }[] = await this.ds.query(`SELECT pid, query FROM pg_stat_activity WHERE pg_blocking_pids(pid) && $1::int[]`, [holders]);
      const waiting = rows.filter((r) => statement.test(r.query));
      if (waiting.length >= n) return waiting.map((r) => r.pid);
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`fewer than ${n} backends blocked behind ${holders.join(',')}`);
  }

  /**
   * Holds the rows `lock` selects (a SELECT … FOR UPDATE; at least one) on the raw connection, sends `first`, sends
   * `second` once `first` waits, and lets go once both wait (their statements match `waiting`): `first` goes first.
   */
  async oneAfterTheOther<A, B>(lock: [string, unknown[]], waiting: RegExp, first: () => PromiseLike<A>, second: () => PromiseLike<B>): Promise<[A, B]> {
    let a: Promise<A> | undefined;
    let b: Promise<B> | undefined;
    try {
      const rawPid = await this.hold(lock);
      a = Promise.resolve(first());
      const [firstPid] = await this.blockedBehind([rawPid], 1, waiting);
      b = Promise.resolve(second());
      await this.blockedBehind([rawPid, firstPid], 2, waiting);
    } finally {
      await this.release();
    }
    return Promise.all([a!, b!]);
  }
}
