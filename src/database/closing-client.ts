import pg from 'pg';

/** The error node-postgres gives a query that outran `query_timeout` (it has no code of its own). */
const READ_TIMEOUT = 'Query read timeout';

/**
 * A node-postgres client that ends its connection when a query outruns the client-side `query_timeout`
 * (DB_QUERY_TIMEOUT_MS). node-postgres fails the query but keeps the connection, whose query is still under way on
 * the server or lost on a dead network path; TypeORM then releases it to the pool without an error, and the pool,
 * which hands out the connection returned last first, gave it to the next request, which waited behind it until it
 * timed out too: every request on a connection that died mid-query failed, for as long as the pool kept it (seen in
 * review with a proxy that silently dropped traffic). `end()` marks the client as ending at once, so the pool drops
 * it on release; with a query still active it destroys the socket rather than wait for the server. Written here
 * because neither node-postgres nor TypeORM offers it (TypeORM's release passes no error).
 */
export class ClosingClient extends pg.Client {
  override query(...args: unknown[]): never {
    const result = (super.query as (...a: unknown[]) => unknown)(...args);
    if (result instanceof Promise) {
      result.catch((err: unknown) => {
        if (err instanceof Error && err.message === READ_TIMEOUT) this.end().catch(() => undefined);
      });
    }
    return result as never;
  }
}
