import { registerAs } from '@nestjs/config';
import { z } from 'zod';
import { bool, positiveInt, readEnv } from './env.js';

export interface DatabaseConfig {
  /** A real PostgreSQL; when absent the service starts an embedded one (PGlite) on `dataDir`. */
  url: string | undefined;
  /** Folder of the embedded database; `:memory:` keeps it in memory (tests). */
  dataDir: string;
  /** Schema for our tables; `public` unless several deployments share one database. */
  schema: string;
  poolSize: number;
  /**
   * How long a pooled connection may sit idle before it is closed. A new connection costs a TCP (often TLS) handshake,
   * authentication and a PostgreSQL backend whose caches start cold: tens of milliseconds a request, paid again by
   * every screen opened after a pause when connections close as soon as pg-pool's default (10 s).
   */
  poolIdleMs: number;
  queryTimeoutMs: number;
  /**
   * Whether each connection asks PostgreSQL to cancel a statement itself a second after DB_QUERY_TIMEOUT_MS
   * (`statement_timeout`, sent when the connection starts). Off for a pooler that refuses startup parameters
   * (PgBouncer by default): then set `statement_timeout` on the database role instead.
   */
  serverStatementTimeout: boolean;
  /** How long a request waits for a pooled connection before it is shed (503); also bounds the check at start. */
  connectionTimeoutMs: number;
  /**
   * Tests only, never read from the environment: a snapshot of an already migrated embedded database (see
   * `startEmbeddedPostgres`) the in-memory database starts from.
   */
  seedFrom?: string;
}

const postgresUrl = z
  .string()
  .url()
  .refine((v) => /^postgres(ql)?:\/\//.test(v))
  .optional();

export function loadDatabaseConfig(env: NodeJS.ProcessEnv = process.env): DatabaseConfig {
  return {
    url: readEnv(env, 'DATABASE_URL', postgresUrl, 'a postgres:// URL, e.g. postgres://user@127.0.0.1:5432/db'),
    dataDir: readEnv(env, 'DATA_DIR', z.string().default('.data'), 'a folder path'),
    schema: readEnv(env, 'DB_SCHEMA', z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/).default('public'), 'a lower-case SQL identifier'),
    poolSize: readEnv(env, 'DB_POOL_SIZE', positiveInt(10), 'a positive integer'),
    poolIdleMs: readEnv(env, 'DB_POOL_IDLE_MS', positiveInt(600_000), 'a positive integer (milliseconds)'),
    queryTimeoutMs: readEnv(env, 'DB_QUERY_TIMEOUT_MS', positiveInt(30000), 'a positive integer (milliseconds)'),
    serverStatementTimeout: readEnv(env, 'DB_SERVER_STATEMENT_TIMEOUT', bool(true), 'true or false'),
    connectionTimeoutMs: readEnv(env, 'DB_CONNECTION_TIMEOUT_MS', positiveInt(10000), 'a positive integer (milliseconds)'),
  };
}

export const databaseConfig = registerAs('database', () => loadDatabaseConfig());
