import { chmodSync, lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { writeWhole } from './report-cli.out.js';

describe('writeWhole (the report CLI\'s --out)', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'als-out-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('leaves the whole export under its name, and nothing else', async () => {
    const path = join(dir, 'outcomes.csv');
    await writeWhole(path, (out) => pipeline(async function* () {
      yield 'a,b\n';
      yield '1,2\n';
    }, out));
    expect(readFileSync(path, 'utf8')).toBe('a,b\n1,2\n');
    expect(readdirSync(dir)).toEqual(['outcomes.csv']);
  });

  it('keeps the permissions of the file it replaces, and replaces the file a symlink names, not the symlink', async () => {
    const real = join(dir, 'real.csv');
    writeFileSync(real, 'yesterday\n');
    chmodSync(real, 0o600);
    const link = join(dir, 'latest.csv');
    symlinkSync(real, link);
    await writeWhole(link, (out) => pipeline(async function* () {
      yield 'a,b\n';
    }, out));
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(real, 'utf8')).toBe('a,b\n');
    expect(statSync(real).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir).sort()).toEqual(['latest.csv', 'real.csv']);
  });

  it('leaves no part of a failed export, and the last good file as it was', async () => {
    const path = join(dir, 'outcomes.csv');
    writeFileSync(path, 'yesterday\n');
    const failing = writeWhole(path, (out) => pipeline(async function* () {
      yield 'a,b\n';
      throw new Error('Query read timeout'); // the rows stop mid-export
    }, out));
    await expect(failing).rejects.toThrow('Query read timeout');
    expect(readFileSync(path, 'utf8')).toBe('yesterday\n');
    expect(readdirSync(dir)).toEqual(['outcomes.csv']);
  });
});
