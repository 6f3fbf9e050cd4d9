import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { DataSource } from 'typeorm';
import { migrations } from '../../migrations/index.js';
import { dataSourceOptions } from '../../src/database/data-source-options.js';
import { entities } from '../../src/entities.js';
import { snapshotFile, startEmbeddedPostgres } from '../../src/database/embedded-postgres.js';

// The embedded database every suite starts from: PGlite after initdb and every migration, written to a file
// (PGlite's dumpDataDir) by the first suite that needs it and loaded by every later one (`seedFrom`); initdb is
// most of an embedded start. The file is named by a hash of the migrations and PGlite's version, so a changed
// migration makes a new one; it survives between runs in node_modules/.cache. Two jest workers that both find it
// missing both build it (the same bytes; each renames its own complete file into place), which is cheaper than
// a lock. test/migrations.e2e-spec.ts still migrates an empty database at boot (createTestApp's `emptyDatabase`).

const CACHE_DIR = join(process.cwd(), 'node_modules', '.cache', 'als-wellness-tests');
const PREFIX = 'pglite-migrated-';

function snapshotKey(): string {
  const hash = createHash('sha256');
  hash.update(readFileSync(join(process.cwd(), 'node_modules', '@electric-sql', 'pglite', 'package.json')));
  const dir = join(process.cwd(), 'migrations');
  for (const name of readdirSync(dir).sort()) hash.update(`${name}\n`).update(readFileSync(join(dir, name)));
  hash.update(readFileSync(join(process.cwd(), 'src', 'database', 'data-source-options.ts')));
  return hash.digest('hex').slice(0, 16);
}

/** The path of the migrated snapshot, built first if this set of migrations has none yet. */
export async function migratedPgliteSnapshot(): Promise<string> {
  const file = join(CACHE_DIR, `${PREFIX}${snapshotKey()}.tar`);
  if (existsSync(file)) return file;
  const server = await startEmbeddedPostgres(null, 4);
  try {
    const ds = new DataSource(dataSourceOptions({ url: server.url, poolSize: 1, queryTimeoutMs: 120_000 }, entities));
    await ds.initialize();
    try {
      const applied = await ds.runMigrations({ transaction: 'each' });
      if (applied.length !== migrations.length) throw new Error(`Applied ${applied.length} of ${migrations.length} migrations`);
    } finally {
      await ds.destroy();
    }
    const tar = await server.snapshot();
    mkdirSync(CACHE_DIR, { recursive: true });
    // Written aside and renamed: a suite or another jest run never reads half a file.
    const partial = `${file}.${randomBytes(4).toString('hex')}.partial`;
    writeFileSync(partial, tar);
    renameSync(partial, file);
    // Snapshots of other migrations go once nobody can still be starting from them (a run in progress while a
    // migration was added); half-written files of crashed runs go too.
    for (const other of readdirSync(CACHE_DIR)) {
      const path = join(CACHE_DIR, other);
      try {
        if (other.startsWith(PREFIX) && path !== file && Date.now() - statSync(path).mtimeMs > 3_600_000) rmSync(path, { force: true });
      } catch {
        // another run removed it first
      }
    }
    return file;
  } finally {
    await server.stop();
  }
}

/**
 * Fills an empty on-disk DATA_DIR with the migrated snapshot (in `<dataDir>/pg`, where the embedded database keeps
 * its files), so that the built service or a CLI started on it finds an existing, migrated database instead of
 * running initdb and every migration: for suites not about a first start.
 */
export async function seedDataDirFromSnapshot(dataDir: string): Promise<void> {
  const db = await PGlite.create({ dataDir: join(dataDir, 'pg'), loadDataDir: snapshotFile(await migratedPgliteSnapshot()) });
  await db.close();
}
