import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver.js';
import { ClosingClient } from '../src/database/closing-client.js';
import { dataSourceOptions, SERVER_TIMEOUT_MARGIN_MS, serverStatementTimeoutOf } from '../src/database/data-source-options.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const poolOf = (ds: DataSource) => (ds.driver as PostgresDriver).master as Pool & { options: Record<string, unknown> };

/**
 * The service's pool keeps an idle connection for DB_POOL_IDLE_MS (10 minutes by default), not pg-pool's 10 s: a
 * screen opened after a pause otherwise paid a new connection per request (a handshake and a cold PostgreSQL
 * backend; the benchmark's pause scenario measures it). A connection kept that long sends TCP keepalives, so a NAT
 * or firewall on the way does not drop it unseen; an idle one never keeps a process alive; and one whose query
 * timed out is ended, never handed to the next request.
 */
describe('the database pool', () => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('keeps an idle connection ten minutes by default, with TCP keepalive after a minute of silence', async () => {
    t = await createTestApp();
    expect(poolOf(t.app.get(DataSource)).options).toMatchObject({ idleTimeoutMillis: 600_000, keepAlive: true, keepAliveInitialDelayMillis: 60_000, allowExitOnIdle: true, Client: ClosingClient });
  });

  it('asks the server to cancel a statement a little after the client gives up on it', async () => {
    t = await createTestApp({ database: { queryTimeoutMs: 7000 } });
    expect(poolOf(t.app.get(DataSource)).options).toMatchObject({ query_timeout: 7000, statement_timeout: 7000 + SERVER_TIMEOUT_MARGIN_MS });
  });

  it('leaves the server its own statement limit when DB_SERVER_STATEMENT_TIMEOUT=false, and never asks for more than PostgreSQL takes', async () => {
    t = await createTestApp({ database: { queryTimeoutMs: 7000, serverStatementTimeout: false } });
    const options = poolOf(t.app.get(DataSource)).options;
    expect(options.query_timeout).toBe(7000);
    expect(options).not.toHaveProperty('statement_timeout');
    // PostgreSQL's statement_timeout is an int of milliseconds: one above it would refuse every connection.
    expect(serverStatementTimeoutOf({ queryTimeoutMs: 2_147_483_000 })).toEqual({ statement_timeout: 2_147_483_647 });
  });

  it('keeps it as long as DB_POOL_IDLE_MS says', async () => {
    t = await createTestApp({ database: { poolIdleMs: 45_000 } });
    expect(poolOf(t.app.get(DataSource)).options).toMatchObject({ idleTimeoutMillis: 45_000, keepAlive: true });
  });

  // PGlite serves one connection at a time: a second one cannot open while the first still runs its query.
  (process.env.DATABASE_URL ? it : it.skip)('ends a connection whose query timed out instead of handing it to the next request (real PostgreSQL)', async () => {
    const ds = new DataSource(dataSourceOptions({ url: process.env.DATABASE_URL as string, poolSize: 1, queryTimeoutMs: 3000, poolIdleMs: 600_000 }, []));
    await ds.initialize();
    let stuck: number | undefined;
    try {
      const pid = async () => ((await ds.query('SELECT pg_backend_pid() AS pid')) as { pid: number }[])[0].pid;
      stuck = await pid();
      // Still running on the server when the client gives up on it (as a query on a dead network path never answers).
      await expect(ds.query('SELECT pg_sleep(60)')).rejects.toThrow('Query read timeout');
      // The one pooled connection was that one: the next query gets a new connection and its answer at once,
      // instead of waiting behind the sleep on the old one and timing out in turn.
      expect(await pid()).not.toBe(stuck);
      // And the server cancels the abandoned query (statement_timeout, a second after the client's limit) instead of
      // sleeping on for a minute in the connection budget: an ended socket alone does not stop it. The bound is
      // far above the 4 s it takes; without the server's limit the query stays active for 60 s.
      const running = async () => ((await ds.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE pid = $1 AND state = 'active'`, [stuck])) as { n: number }[])[0].n;
      for (let i = 0; i < 60 && (await running()) > 0; i++) await new Promise((r) => setTimeout(r, 500));
      expect(await running()).toBe(0);
    } finally {
      if (stuck !== undefined) await ds.query('SELECT pg_terminate_backend($1)', [stuck]).catch(() => undefined);
      await ds.destroy();
    }
  }, 60_000);
});
