import { chmodSync, lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { DomainError } from '../common/errors/domain-error.js';
import { reportErrorLine, writeWhole } from './report-cli.out.js';

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

describe('reportErrorLine (what the report CLI prints when it fails)', () => {
  it("names a database driver's error by its name and code, never by its message (which can quote a value)", () => {
    // As pg reports a bad value in a row it was reading: the message quotes it. Synthetic, no patient's.
    const driver = Object.assign(new Error('invalid input syntax for type integer: "Avery Sample, MRN 000-SYN-0001"'), { name: 'QueryFailedError', code: '22P02' });
    const line = reportErrorLine(driver);
    expect(line).toBe('Report failed: the report stopped on an unexpected error (QueryFailedError, code 22P02); its message is not shown, as it may quote data.');
    expect(line).not.toContain('Avery');
  });

  it('says what our coded errors say', () => {
    expect(reportErrorLine(new DomainError('REGISTRY.NOT_FOUND', 'no such EHR registration'))).toBe('REGISTRY.NOT_FOUND: no such EHR registration');
  });

  it('prints neither a name nor a code that is not a plain token', () => {
    const odd = Object.assign(new Error('x'), { name: 'Error: value "Avery"', code: { value: 'Avery' } });
    expect(reportErrorLine(odd)).toBe('Report failed: the report stopped on an unexpected error (Error); its message is not shown, as it may quote data.');
    expect(reportErrorLine('a thrown string "Avery"')).not.toContain('Avery');
  });
});
