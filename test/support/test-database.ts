import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { migratedPgliteSnapshot } from './pglite-snapshot.js';

/**
 * Where a test suite's tables live. With DATABASE_URL (CI's PostgreSQL) each suite gets a fresh schema,
 * dropped afterwards; without it, an in-memory embedded PostgreSQL of its own.
 */
export interface TestDatabase {
  url: string | undefined;
  dataDir: string;
  schema: string;
  /** Embedded only: the migrated snapshot the suite's in-memory database starts from (see pglite-snapshot.ts). */
  seedFrom?: string;
  drop(): Promise<void>;
}

export interface TestDatabaseOptions {
  /**
   * An embedded database that starts already migrated, from the snapshot migrated once (the app's migrations at
   * boot then find nothing to do). Otherwise it starts empty. A PostgreSQL schema always starts empty: the app
   * migrates it at boot, which takes PostgreSQL well under a second.
   */
  migrated?: boolean;
}

export async function createTestDatabase(options: TestDatabaseOptions = {}): Promise<TestDatabase> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const seedFrom = options.migrated ? await migratedPgliteSnapshot() : undefined;
    return { url: undefined, dataDir: ':memory:', schema: 'public', ...(seedFrom ? { seedFrom } : {}), drop: async () => {} };
  }
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`CREATE SCHEMA ${schema}`);
  await client.end();
  return {
    url,
    dataDir: ':memory:',
    schema,
    async drop() {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await c.end();
    },
  };
}
