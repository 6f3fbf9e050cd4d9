import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * Where a test suite's tables live. With DATABASE_URL (CI's PostgreSQL) each suite gets a fresh schema,
 * dropped afterwards; without it, an in-memory embedded PostgreSQL of its own.
 */
export interface TestDatabase {
  url: string | undefined;
  dataDir: string;
  schema: string;
  drop(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const url = process.env.DATABASE_URL;
  if (!url) return { url: undefined, dataDir: ':memory:', schema: 'public', drop: async () => {} };
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
