import { Logger } from '@nestjs/common';
import pg from 'pg';
import type { DatabaseConfig } from '../config/database.config.js';
import { serverStatementTimeoutOf } from './data-source-options.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres.js';

/** The configured PostgreSQL did not answer at start; main.ts prints the message as the one line an operator sees. */
export class DatabaseUnreachableError extends Error {
  constructor(where: string, reason: string) {
    super(`Cannot reach the database named by DATABASE_URL (${where}): ${reason}`);
    this.name = 'DatabaseUnreachableError';
  }
}

/** host:port/database of a postgres URL, never its user or password. */
function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || '5432'}${u.pathname}`;
  } catch {
    return 'an unreadable URL';
  }
}

const STARTUP_CONNECT_TIMEOUT_MS = 10_000;

/** What a pooler that refuses a startup parameter answers (PgBouncer: `unsupported startup parameter: <name>`). */
const REFUSED_PARAMETER = /unsupported startup parameter/i;

/**
 * Connects once (bounded by the connection timeout) so a wrong or down DATABASE_URL fails fast, in one line. It sends
 * the startup parameters the pool's connections send: a pooler that refuses them fails here, saying what to set.
 */
async function assertReachable(url: string, timeoutMs: number, startup: Record<string, unknown>): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs, ...startup });
  // A socket error after connect (the server going away during the check) must not become an unhandled event.
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (err) {
    const e = err as { code?: unknown; message?: unknown };
    let reason = typeof e.code === 'string' && /^E[A-Z]+$/.test(e.code) ? e.code : String(e.message ?? err);
    if (REFUSED_PARAMETER.test(reason) && 'statement_timeout' in startup) {
      reason += ' (a connection pooler such as PgBouncer refuses it: set DB_SERVER_STATEMENT_TIMEOUT=false, and statement_timeout on the database role instead)';
    }
    throw new DatabaseUnreachableError(describeUrl(url), reason.replace(/\s+/g, ' ').trim());
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Where the database is: the configured PostgreSQL, or an embedded one this process started and must stop. */
export class DatabaseEndpoint {
  private constructor(
    readonly url: string,
    readonly embedded: boolean,
    private readonly server?: EmbeddedPostgres,
  ) {}

  static async open(config: DatabaseConfig): Promise<DatabaseEndpoint> {
    if (config.url) {
      // The start-up check waits at least 10 s whatever the pool's wait: a pool tuned to shed quickly under load must
      // not turn a slow first connection on a busy machine into "unreachable". A refused or unresolvable address
      // still fails at once.
      await assertReachable(config.url, Math.max(config.connectionTimeoutMs, STARTUP_CONNECT_TIMEOUT_MS), serverStatementTimeoutOf(config));
      return new DatabaseEndpoint(config.url, false);
    }
    const server = await startEmbeddedPostgres(config.dataDir === ':memory:' ? null : config.dataDir, config.poolSize + 8, config.seedFrom);
    new Logger('Database').log(
      `Embedded PostgreSQL (PGlite) started, data in ${config.dataDir === ':memory:' ? 'memory' : config.dataDir}`,
    );
    return new DatabaseEndpoint(server.url, true, server);
  }

  async close(): Promise<void> {
    await this.server?.stop();
  }
}
