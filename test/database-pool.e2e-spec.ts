import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver.js';
import { ClosingClient } from '../src/database/closing-client.js';
import { dataSourceOptions } from '../src/database/data-source-options.js';
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
    } finally {
      if (stuck !== undefined) await ds.query('SELECT pg_terminate_backend($1)', [stuck]).catch(() => undefined);
      await ds.destroy();
    }
  });
});
