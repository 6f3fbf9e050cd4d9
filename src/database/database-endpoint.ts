import { Logger } from '@nestjs/common';
import type { DatabaseConfig } from '../config/database.config.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres.js';

/** Where the database is: the configured PostgreSQL, or an embedded one this process started and must stop. */
export class DatabaseEndpoint {
  private constructor(
    readonly url: string,
    readonly embedded: boolean,
    private readonly server?: EmbeddedPostgres,
  ) {}

  static async open(config: DatabaseConfig): Promise<DatabaseEndpoint> {
    if (config.url) return new DatabaseEndpoint(config.url, false);
    const server = await startEmbeddedPostgres(config.dataDir === ':memory:' ? null : config.dataDir, config.poolSize + 8);
    new Logger('Database').log(
      `Embedded PostgreSQL (PGlite) started, data in ${config.dataDir === ':memory:' ? 'memory' : config.dataDir}`,
    );
    return new DatabaseEndpoint(server.url, true, server);
  }

  async close(): Promise<void> {
    await this.server?.stop();
  }
}
