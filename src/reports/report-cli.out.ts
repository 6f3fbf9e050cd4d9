import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Writable } from 'node:stream';

/**
 * Writes an export to `path` whole or not at all: into a temporary file beside it, renamed over `path` once `write`
 * has finished, removed when it fails. A scheduled job must never find part of an export under its final name (the
 * CLI exits non-zero, but whatever picks the file up may not look), and a failed run leaves the last good file as it
 * was. Hand-written: write-file-atomic, the usual library, takes a whole buffer, not a stream.
 */
export async function writeWhole(path: string, write: (out: Writable) => Promise<void>): Promise<void> {
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.partial`);
  try {
    await write(createWriteStream(temporary));
    await rename(temporary, path);
  } catch (err) {
    await rm(temporary, { force: true });
    throw err;
  }
}
