import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { mkdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export interface EmbeddedPostgres {
  url: string;
  /** The whole data directory as a tar (PGlite's `dumpDataDir`); tests start their databases from such a snapshot. */
  snapshot(): Promise<Uint8Array>;
  stop(): Promise<void>;
}

const SMALL_BUFFERS = [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB'];

/**
 * A snapshot file (tests), as the Blob PGlite's `loadDataDir` takes. PGlite reads it whole (`arrayBuffer()`), and a
 * Blob made of the file's bytes copies them and hands them back through a stream of small chunks: for a 40 MB
 * snapshot that was a third of each test database's start (about 0.5 s of CPU of 1.3 s, measured). This one hands
 * back the bytes it read.
 */
export function snapshotFile(path: string): Blob {
  const bytes = readFileSync(path);
  return new (class extends Blob {
    override arrayBuffer(): Promise<ArrayBuffer> {
      const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
      return Promise.resolve((whole ? bytes.buffer : bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)) as ArrayBuffer);
    }
  })();
}

/**
 * Starts PGlite behind its PostgreSQL wire-protocol socket so the ordinary `pg` driver and TypeORM connect
 * unchanged. `dataDir` keeps the data across restarts; `null` runs in memory (tests).
 * `seedFrom` (tests only, in memory only): a snapshot file written from `snapshot()`; the database starts as that
 * one was (already migrated) instead of running initdb, which is most of an embedded start, and with small buffers.
 * PGlite runs one transaction at a time: callers must set pg's query and connection timeouts.
 */
export async function startEmbeddedPostgres(dataDir: string | null, maxConnections = 32, seedFrom?: string): Promise<EmbeddedPostgres> {
  let db: PGlite;
  if (dataDir) {
    if (seedFrom) throw new Error('A seed snapshot is for an in-memory embedded database only');
    const dir = resolve(dataDir, 'pg');
    mkdirSync(dir, { recursive: true });
    // The embedded database is for development and small pilots: 16 MB of shared buffers instead of PostgreSQL's
    // 128 MB cuts the service's idle RSS by about 160 MB (README, "Memory"); PostgreSQL proper is for production.
    db = await PGlite.create({ dataDir: dir, startParams: SMALL_BUFFERS });
  } else if (seedFrom) {
    // A test database holds a few megabytes: 16 MB of shared buffers instead of PostgreSQL's 128 MB halves its
    // start (the buffers are set up on every start).
    db = await PGlite.create({ loadDataDir: snapshotFile(seedFrom), startParams: SMALL_BUFFERS });
  } else {
    db = await PGlite.create({ startParams: SMALL_BUFFERS });
  }
  const server = new PGLiteSocketServer({ db, port: 0, host: '127.0.0.1', maxConnections });
  await server.start();
  const address = server.getServerConn();
  return {
    url: `postgres://postgres@${address}/postgres`,
    async snapshot() {
      return new Uint8Array(await (await db.dumpDataDir('none')).arrayBuffer());
    },
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
