import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const poolOf = (t: TestApp) => (t.app.get(DataSource).driver as PostgresDriver).master as Pool & { options: Record<string, unknown> };

/**
 * The service's pool keeps an idle connection for DB_POOL_IDLE_MS (10 minutes by default), not pg-pool's 10 s: a
 * screen opened after a pause otherwise paid a new connection per request (a handshake and a cold PostgreSQL
 * backend; the benchmark's pause scenario measures it). A connection kept that long sends TCP keepalives, so a NAT
 * or firewall on the way does not drop it unseen.
 */
describe('the database pool', () => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('keeps an idle connection ten minutes by default, with TCP keepalive after a minute of silence', async () => {
    t = await createTestApp();
    expect(poolOf(t).options).toMatchObject({ idleTimeoutMillis: 600_000, keepAlive: true, keepAliveInitialDelayMillis: 60_000 });
    // The connection a query used goes back to the pool and is there for the next one.
    await t.app.get(DataSource).query('SELECT 1');
    expect(poolOf(t).idleCount).toBeGreaterThanOrEqual(1);
  });

  it('keeps it as long as DB_POOL_IDLE_MS says', async () => {
    t = await createTestApp({ database: { poolIdleMs: 45_000 } });
    expect(poolOf(t).options).toMatchObject({ idleTimeoutMillis: 45_000, keepAlive: true });
  });
});
