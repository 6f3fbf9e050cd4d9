import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';

export interface EmbeddedPostgres {
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts PGlite behind its PostgreSQL wire-protocol socket so the ordinary `pg` driver and TypeORM connect
 * unchanged. `dataDir` keeps the data across restarts; `null` runs in memory (tests).
 * PGlite runs one transaction at a time: callers must set pg's query and connection timeouts.
 */
export async function startEmbeddedPostgres(dataDir: string | null, maxConnections = 32): Promise<EmbeddedPostgres> {
  let db: PGlite;
  if (dataDir) {
    const dir = resolve(dataDir, 'pg');
    mkdirSync(dir, { recursive: true });
    db = await PGlite.create({ dataDir: dir });
  } else {
    db = await PGlite.create();
  }
  const server = new PGLiteSocketServer({ db, port: 0, host: '127.0.0.1', maxConnections });
  await server.start();
  const address = server.getServerConn();
  return {
    url: `postgres://postgres@${address}/postgres`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
