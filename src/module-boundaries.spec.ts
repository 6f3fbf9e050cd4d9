import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

// The import graph of src/ (docs/architecture.md, "The rules"): the frame's floors never import the features
// above them, and no import circle exists. Imports are read with the TypeScript scanner (type-only imports
// count: they couple the modules all the same); only relative imports are followed.

const SRC = fileURLToPath(new URL('.', import.meta.url));
const FEATURES = ['smart', 'fhir', 'programs', 'questionnaires', 'reports', 'sandbox', 'summary'];
const FLOORS = ['common', 'config', 'database', 'audit', 'health'];
/** The CLIs' one bootstrap: above the frame, below the features (each CLI passes the entities it needs). */
const CLI = 'cli';
/** The root files (app.module.ts, entities.ts, main.ts, app.setup.ts, migrate.cli.ts): the top, composing the rest. */
const ROOT = '(root)';

/** Imports allowed for now against the rules below, each with the work that removes it: this list only shrinks. */
const KNOWN_EXCEPTIONS: string[] = [];

/** Circles allowed for now (each one as its files, sorted): this list only shrinks. */
const KNOWN_CIRCLES: string[][] = [];

/** Circles between top-level folders of src/ allowed for now (each one as its folders, sorted): this list only shrinks. */
const KNOWN_MODULE_CIRCLES: string[][] = [];

const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') && !e.name.endsWith('.spec.ts') ? [join(dir, e.name)] : [],
  );

/** The src/ files a file imports (relative specifiers, `.js` mapped back to `.ts` or `/index.ts`). */
function importsOf(file: string, known: Set<string>): string[] {
  const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  return importedFiles
    .map((f) => f.fileName)
    .filter((spec) => spec.startsWith('.'))
    .map((spec) => {
      const target = resolve(dirname(file), spec);
      const base = target.replace(/\.js$/, '');
      return [`${base}.ts`, join(base, 'index.ts')].find((c) => known.has(c)) ?? target;
    })
    .filter((target) => target.startsWith(SRC));
}

const files = sources(SRC);
const known = new Set(files);
const rel = (file: string) => relative(SRC, file).split('\\').join('/');
const graph = new Map(files.map((f) => [rel(f), [...new Set(importsOf(f, known).map(rel))]]));
const moduleOf = (file: string) => (file.includes('/') ? file.split('/')[0] : '(root)');

interface Rule {
  name: string;
  from: (file: string) => boolean;
  to: (target: string) => boolean;
}

const RULES: Rule[] = [
  {
    name: 'the frame (common, config, database, audit, health) imports no feature module',
    from: (f) => FLOORS.includes(moduleOf(f)),
    to: (t) => FEATURES.includes(moduleOf(t)),
  },
  {
    name: 'the frame imports neither the CLI bootstrap nor the root files',
    from: (f) => FLOORS.includes(moduleOf(f)),
    to: (t) => [CLI, ROOT].includes(moduleOf(t)),
  },
  {
    name: 'the CLI bootstrap imports only the frame (its caller hands it the entities)',
    from: (f) => moduleOf(f) === CLI,
    to: (t) => !FLOORS.includes(moduleOf(t)) && moduleOf(t) !== CLI,
  },
  { name: 'no module imports the root files (the top floor)', from: (f) => moduleOf(f) !== ROOT, to: (t) => moduleOf(t) === ROOT },
  { name: 'common imports nothing from audit (audit builds on common)', from: (f) => moduleOf(f) === 'common', to: (t) => moduleOf(t) === 'audit' },
  { name: 'config imports neither sandbox nor smart', from: (f) => moduleOf(f) === 'config', to: (t) => ['sandbox', 'smart'].includes(moduleOf(t)) },
  {
    // Reports read the owning modules' report views (their read-models/), never their tables: of programs and
    // questionnaires they import only pure constants (the engine's instrument definitions, withdrawal reasons).
    name: 'reports import no other feature module but its pure constants',
    from: (f) => moduleOf(f) === 'reports',
    to: (t) =>
      FEATURES.includes(moduleOf(t)) &&
      moduleOf(t) !== 'reports' &&
      !t.startsWith('questionnaires/engine/') &&
      !/^programs\/.*withdrawal-reasons\.ts$/.test(t),
  },
];

const violations = (rule: Rule) =>
  [...graph].flatMap(([file, targets]) => (rule.from(file) ? targets.filter(rule.to).map((t) => `${file} → ${t}`) : []));

/** The same graph between top-level folders of src/ (the root files as one node). */
const moduleGraph = new Map<string, string[]>();
for (const [file, targets] of graph) {
  const from = moduleOf(file);
  const edges = new Set([...(moduleGraph.get(from) ?? []), ...targets.map(moduleOf)].filter((m) => m !== from));
  moduleGraph.set(from, [...edges]);
}

/** Strongly connected components of more than one node (Tarjan), or a node importing itself. */
function circles(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || graph.get(v)?.includes(v)) found.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found.sort((a, b) => a[0].localeCompare(b[0]));
}

/** Every table the migrations create, by name. */
const MIGRATIONS = join(SRC, '..', 'migrations');
const TABLES = new Set(
  readdirSync(MIGRATIONS)
    .filter((f) => f.endsWith('.ts'))
    .flatMap((f) => [...readFileSync(join(MIGRATIONS, f), 'utf8').matchAll(/CREATE TABLE (?:IF NOT EXISTS )?"?(\w+)"?/g)].map((m) => m[1])),
);

/** Tables a report file reads or writes (FROM, JOIN, INTO, UPDATE), as `file → table`. */
const tablesReadBy = (dir: string, skip: (file: string) => boolean) =>
  sources(join(SRC, dir))
    .filter((f) => !skip(rel(f)))
    .flatMap((f) =>
      [...readFileSync(f, 'utf8').matchAll(/\b(?:FROM|JOIN|INTO|UPDATE)\s+"?(\w+)"?/gi)]
        .map((m) => m[1])
        .filter((name) => TABLES.has(name))
        .map((name) => `${rel(f)} → ${name}`),
    );

describe('the import graph of src/', () => {
  it('is read from the whole tree', () => {
    expect(files.length).toBeGreaterThan(200);
    expect(graph.get('reports/outcome-data.sql.ts')).toContain('reports/sql/outcome-queries.sql.ts');
  });

  it.each(RULES.map((r) => [r.name, r] as const))('%s', (_name, rule) => {
    expect(violations(rule).filter((v) => !KNOWN_EXCEPTIONS.includes(v))).toEqual([]);
  });

  it("reports' SQL reads the owning modules' report views, never a table", () => {
    expect(TABLES.has('questionnaire_score') && TABLES.has('referral')).toBe(true);
    // bench/ builds a synthetic clinic in the programs and questionnaires tables: a fixture, not a report.
    expect([...new Set(tablesReadBy('reports', (f) => f.startsWith('reports/bench/')))]).toEqual([]);
  });

  it("the note summary's SQL reads the owning modules' report views, never a table", () => {
    expect([...new Set(tablesReadBy('summary', () => false))]).toEqual([]);
  });

  it('has no import circle between files', () => {
    const known = new Set(KNOWN_CIRCLES.map((c) => c.join(' ⟲ ')));
    expect(circles(graph).map((c) => c.join(' ⟲ ')).filter((c) => !known.has(c))).toEqual([]);
  });

  it('has no import circle between the top-level folders of src/', () => {
    expect(moduleGraph.get('reports')).toContain('common');
    const known = new Set(KNOWN_MODULE_CIRCLES.map((c) => c.join(' ⟲ ')));
    expect(circles(moduleGraph).map((c) => c.join(' ⟲ ')).filter((c) => !known.has(c))).toEqual([]);
  });

  it('lists only exceptions that still exist (the lists only shrink)', () => {
    const all = RULES.flatMap(violations);
    expect(KNOWN_EXCEPTIONS.filter((v) => !all.includes(v))).toEqual([]);
    const now = new Set(circles(graph).map((c) => c.join(' ⟲ ')));
    expect(KNOWN_CIRCLES.map((c) => c.join(' ⟲ ')).filter((c) => !now.has(c))).toEqual([]);
    const nowModules = new Set(circles(moduleGraph).map((c) => c.join(' ⟲ ')));
    expect(KNOWN_MODULE_CIRCLES.map((c) => c.join(' ⟲ ')).filter((c) => !nowModules.has(c))).toEqual([]);
  });
});
