import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// The sandbox EHR is quarantined (issue 13): only the app module mounts it. config/, smart/, main.ts, app.setup.ts
// and every other module know nothing of it; its error codes are not the service's.

const SANDBOX = fileURLToPath(new URL('.', import.meta.url));
const SRC = resolve(SANDBOX, '..');
const MOUNTED_BY = join(SRC, 'app.module.ts');

const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));

/** Every module specifier a file imports (also for its side effects only) or re-exports, statically or with `import()`. */
const specifiers = (file: string): string[] => {
  const text = readFileSync(file, 'utf8');
  const statics = text.matchAll(/(?:^|\n)\s*(?:import|export)\s+(?:[^'";]*?\bfrom\s+)?['"]([^'"]+)['"]/g);
  const dynamics = text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g);
  return [...statics, ...dynamics].map(([, s]) => s);
};

const intoSandbox = (file: string, spec: string): boolean => spec.startsWith('.') && (resolve(file, '..', spec) + '/').startsWith(SANDBOX);

describe('the sandbox is imported by the app module only', () => {
  const outside = sources(SRC).filter((f) => !f.startsWith(SANDBOX));

  it('scans config/, smart/, main.ts and app.setup.ts among the rest', () => {
    const scanned = outside.map((f) => relative(SRC, f));
    expect(scanned).toEqual(expect.arrayContaining(['main.ts', 'app.setup.ts', 'config/index.ts', 'smart/smart.module.ts', 'entities.ts']));
    // The check itself sees an import into the sandbox (the app module's).
    expect(specifiers(MOUNTED_BY).some((s) => intoSandbox(MOUNTED_BY, s))).toBe(true);
  });

  it('no file outside src/sandbox but app.module.ts imports it', () => {
    const leaks = outside
      .filter((f) => f !== MOUNTED_BY)
      .flatMap((f) => specifiers(f).filter((s) => intoSandbox(f, s)).map((s) => `${relative(SRC, f)} → ${s}`));
    expect(leaks).toEqual([]);
  });

  it('the service error codes hold none of the sandbox (they are in sandbox-errors.ts)', () => {
    expect(readFileSync(join(SRC, 'common', 'errors', 'error-codes.ts'), 'utf8')).not.toMatch(/SANDBOX\./);
  });
});
