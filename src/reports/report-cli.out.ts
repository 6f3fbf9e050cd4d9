import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { realpath, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Writable } from 'node:stream';
import { cliErrorLine } from '../cli/bootstrap.js';

/**
 * Writes an export to `path` whole or not at all: into a temporary file beside it, renamed over `path` once `write`
 * has finished, removed when it fails. A scheduled job must never find part of an export under its final name (the
 * CLI exits non-zero, but whatever picks the file up may not look), and a failed run leaves the last good file as it
 * was. The file replaced keeps its permissions; through a symlink, the file it names is replaced; a target that is
 * not a regular file (`/dev/stdout`, a named pipe) is written as the rows come, as before. The temporary name is
 * random and created only if absent, so nothing planted in a shared folder is written through. `beforePlacing` runs once
 * the file is written, before it is renamed into place; if it throws, the file is removed instead.
 * Hand-written: write-file-atomic, the usual library, takes a whole buffer, not a stream.
 */
export async function writeWhole(path: string, write: (out: Writable) => Promise<void>, beforePlacing?: () => Promise<void>): Promise<void> {
  const existing = await stat(path).catch(() => undefined);
  if (existing && !existing.isFile()) return write(createWriteStream(path));
  const target = existing ? await realpath(path) : path;
  const temporary = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.partial`);
  try {
    await write(createWriteStream(temporary, { flags: 'wx', mode: existing ? existing.mode & 0o777 : 0o666 }));
    // Written whole; what must hold before it takes its name (its audit row) holds, or it is removed unseen.
    await beforePlacing?.();
    await rename(temporary, target);
  } catch (err) {
    await rm(temporary, { force: true });
    throw err;
  }
}

/**
 * The report CLI's way out for an export: `path` written whole (writeWhole), its audit row (`settle`, from
 * OutcomeExportService.exportTo) written before the file takes its name; no path: standard output, audited after.
 */
export function exportOutput<T>(path: string | undefined, emit: (built: T, out: Writable) => Promise<void>, stdout: Writable = process.stdout) {
  return (built: T, settle: () => Promise<void>): Promise<void> => (path ? writeWhole(path, (out) => emit(built, out), settle) : emit(built, stdout));
}

/** The one line the report CLI prints for an error: cliErrorLine's (a driver's error by its name and code only). */
export function reportErrorLine(err: unknown): string {
  return cliErrorLine(err, 'Report failed', 'the report stopped on');
}
