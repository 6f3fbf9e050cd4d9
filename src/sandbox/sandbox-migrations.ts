import type { DataSource } from 'typeorm';
import { sandboxMigrations } from './migrations/index.js';

/** The sandbox's migration history: apart from the service's `migrations`, and present only where it is mounted. */
export const SANDBOX_MIGRATIONS_TABLE = 'sandbox_migrations';

/**
 * Applies the sandbox's pending migrations in one transaction, after the service's own (the DataSource ran those
 * when it connected). Instances starting together take turns on an advisory lock. Returns what it applied.
 */
export async function runSandboxMigrations(ds: DataSource, list = sandboxMigrations): Promise<string[]> {
  const q = ds.createQueryRunner();
  await q.connect();
  try {
    await q.startTransaction();
    await q.query(`SELECT pg_advisory_xact_lock(hashtext('${SANDBOX_MIGRATIONS_TABLE}'))`);
    await q.query(`CREATE TABLE IF NOT EXISTS "${SANDBOX_MIGRATIONS_TABLE}" ("name" text PRIMARY KEY, "applied_at" timestamptz NOT NULL DEFAULT now())`);
    const rows: { name: string }[] = await q.query(`SELECT "name" FROM "${SANDBOX_MIGRATIONS_TABLE}"`);
    const done = new Set(rows.map((r) => r.name));
    const applied: string[] = [];
    for (const Migration of list) {
      const migration = new Migration();
      if (done.has(migration.name)) continue;
      await migration.up(q);
      await q.query(`INSERT INTO "${SANDBOX_MIGRATIONS_TABLE}" ("name") VALUES ($1)`, [migration.name]);
      applied.push(migration.name);
    }
    await q.commitTransaction();
    return applied;
  } catch (e) {
    if (q.isTransactionActive) await q.rollbackTransaction();
    throw e;
  } finally {
    await q.release();
  }
}
