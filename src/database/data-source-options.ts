import type { DataSourceOptions } from 'typeorm';
import { migrations } from '../../migrations/index.js';
import { ClosingClient } from './closing-client.js';
import { MigrationProgressLogger } from './migration-logger.js';
import { SnakeNamingStrategy } from './snake-naming.strategy.js';

/** The entity classes a data source maps: the service's list is `src/entities.ts`, beside the app module. */
export type EntityList = NonNullable<DataSourceOptions['entities']>;

export interface ConnectionSettings {
  url: string;
  /** A schema other than `public`: tests get a fresh one each. */
  schema?: string;
  poolSize: number;
  /** How long an idle pooled connection is kept (DB_POOL_IDLE_MS); pg-pool's own default (10 s) when absent. */
  poolIdleMs?: number;
  queryTimeoutMs: number;
  /** Send `statement_timeout` (serverStatementTimeoutOf) when the connection starts; default true. */
  serverStatementTimeout?: boolean;
  /** Longest wait for a pooled connection; beyond it pg-pool fails the request, which is answered 503. */
  connectionTimeoutMs?: number;
}

/** How much later than the client the server cancels a statement (the client's error is the one callers see). */
export const SERVER_TIMEOUT_MARGIN_MS = 1000;
/** PostgreSQL's largest `statement_timeout` (an int, milliseconds): a larger one refuses every connection. */
const MAX_STATEMENT_TIMEOUT_MS = 2_147_483_647;

/**
 * The startup parameters a connection sends for its server-side statement limit (none when switched off): also what
 * the check at start sends, so that a pooler refusing them fails there, in one line, not at the pool's first query.
 */
export function serverStatementTimeoutOf(s: Pick<ConnectionSettings, 'queryTimeoutMs' | 'serverStatementTimeout'>): { statement_timeout?: number } {
  if (s.serverStatementTimeout === false) return {};
  return { statement_timeout: Math.min(s.queryTimeoutMs + SERVER_TIMEOUT_MARGIN_MS, MAX_STATEMENT_TIMEOUT_MS) };
}

/**
 * The one DataSource configuration shared by Nest, the CLIs and tests. Never `synchronize`. Column names come
 * from the snake_case naming strategy (entities name a column only where it differs).
 */
export function dataSourceOptions(s: ConnectionSettings, entities: EntityList): DataSourceOptions {
  return {
    type: 'postgres',
    url: s.url,
    schema: s.schema,
    entities,
    namingStrategy: new SnakeNamingStrategy(),
    migrations,
    migrationsRun: false,
    logger: new MigrationProgressLogger(),
    migrationsTransactionMode: 'each',
    synchronize: false,
    uuidExtension: 'pgcrypto',
    poolSize: s.poolSize,
    extra: {
      // PGlite serialises transactions: a waiting connection must fail rather than hang forever. A saturated
      // pool queues callers; connectionTimeoutMillis bounds that wait (the error filter answers 503 + Retry-After).
      query_timeout: s.queryTimeoutMs,
      // The server's own limit, a little later: a query the client gave up on (and whose connection ClosingClient
      // ended) is cancelled by PostgreSQL too, instead of running on, unseen, in the connection budget (a closed
      // socket alone does not stop it). node-postgres sends it at connection start; PGlite ignores it. It overrides a
      // role's or database's own setting (DB_SERVER_STATEMENT_TIMEOUT=false leaves those in force).
      ...serverStatementTimeoutOf(s),
      connectionTimeoutMillis: s.connectionTimeoutMs ?? 10000,
      // A connection whose query timed out is ended, never handed to the next request (closing-client.ts).
      Client: ClosingClient,
      // An idle connection never keeps the process alive (on PostgreSQL a CLI or a test that forgets to close its pool
      // still ends; the embedded database's server keeps its own process alive anyway).
      allowExitOnIdle: true,
      // Connections kept idle for minutes: TCP keepalive from the first minute of silence keeps a NAT or firewall on
      // the way from dropping them unseen, and finds a peer gone while idle within about a minute and a half.
      ...(s.poolIdleMs !== undefined ? { idleTimeoutMillis: s.poolIdleMs, keepAlive: true, keepAliveInitialDelayMillis: 60_000 } : {}),
      ...(s.schema ? { options: `-c search_path=${s.schema}` } : {}),
    },
  };
}
