#!/usr/bin/env node
// Builds what changed, and says so: `npm run build` (both parts), `npm start` (then runs the service),
// `node scripts/build.mjs server|app|bench` (one part; `bench`, the service benchmark, only when asked).
//
// - The server is compiled by TypeScript's own incremental build (`tsc -b tsconfig.build.json`, build info in
//   dist/tsconfig.build.tsbuildinfo): it re-emits only what changed. The same output as `nest build`, whose tsc
//   builder adds nothing here (no plugins, no assets).
// - The browser app is built by Vite, which has no incremental mode: the whole app is rebuilt, or skipped.
//
// Hand-written, because neither tool can say what changed before it starts, nor skip itself cheaply (tsc -b still
// costs about a second to find nothing to do, Vite always rebuilds): each part's inputs are hashed, and the
// hashes of the last successful build are kept beside its output (dist/.inputs.json, smart-launch/dist/.inputs.json).
// Same hashes and the output present: skipped. A deleted input: the part's output is removed first, so no stale
// file is left behind. A changed lockfile (other dependencies): the server is rebuilt with `tsc -b --force`.
/* global process, console */
/* eslint-disable no-console -- a build script speaks on the console */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

const root = join(import.meta.dirname, '..');
const LOCKFILE = 'package-lock.json';

/** Every file under `dir` (relative to the repository, with `/`), minus what `skip` refuses. */
function walk(dir, skip) {
  const abs = join(root, dir);
  if (!existsSync(abs)) return [];
  const out = [];
  for (const entry of readdirSync(abs, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const file = relative(root, join(entry.parentPath, entry.name)).split(sep).join('/');
    if (!skip(file)) out.push(file);
  }
  return out;
}

const isSpec = (file) => /\.spec\.tsx?$/.test(file);

const VITE_CONFIG = 'smart-launch/vite.config.ts';

/**
 * The files and folders outside smart-launch/ that the app's Vite aliases point at (relative to the repository),
 * read from the config's `new URL('../…', import.meta.url)` targets: importing the config would need Vite's
 * TypeScript loader before we even know whether to build.
 */
function appAliasTargets() {
  const config = readFileSync(join(root, VITE_CONFIG), 'utf8');
  return [...config.matchAll(/new URL\(\s*'(\.\.\/[^']+)'\s*,\s*import\.meta\.url\s*\)/g)].map((m) =>
    relative(root, join(root, 'smart-launch', m[1])).split(sep).join('/'),
  );
}

const PARTS = {
  server: {
    label: 'the server',
    output: 'dist',
    ready: ['dist/src/main.js', 'dist/tsconfig.build.tsbuildinfo'],
    inputs: () => [
      ...walk('src', (f) => !f.endsWith('.ts') || isSpec(f)),
      ...walk('migrations', (f) => !f.endsWith('.ts')),
      'tsconfig.json',
      'tsconfig.build.json',
      LOCKFILE,
    ],
    command: (changed) => [
      'node_modules/typescript/bin/tsc',
      '-b',
      'tsconfig.build.json',
      ...(changed.includes(LOCKFILE) ? ['--force'] : []),
    ],
  },
  // The service benchmark (test/bench, with the test helpers it imports) compiled on its own into dist/bench: the
  // server's build never includes test code. `npm run bench` asks for it.
  bench: {
    label: 'the service benchmark',
    output: 'dist/bench',
    ready: ['dist/bench/test/bench/service.bench.js'],
    inputs: () => [
      ...walk('test/bench', (f) => !f.endsWith('.ts') || /\.(e2e-)?spec\.ts$/.test(f)),
      ...walk('test/support', (f) => !f.endsWith('.ts')),
      ...walk('src', (f) => !f.endsWith('.ts') || isSpec(f)),
      'tsconfig.json',
      'tsconfig.bench.json',
      LOCKFILE,
    ],
    command: (changed) => ['node_modules/typescript/bin/tsc', '-b', 'tsconfig.bench.json', ...(changed.includes(LOCKFILE) ? ['--force'] : [])],
  },
  app: {
    label: 'the browser app',
    output: 'smart-launch/dist',
    ready: ['smart-launch/dist/index.html'],
    inputs: () => [
      ...walk('smart-launch', (f) => f.startsWith('smart-launch/dist/') || f.endsWith('.md')),
      // The app imports from the server's tree through Vite's aliases (@engine, @fhir-id): whatever they name is
      // an input too, so a new alias needs no second listing here.
      ...appAliasTargets().flatMap((target) =>
        target.endsWith('.ts') ? [target] : walk(target, (f) => !f.endsWith('.ts') || isSpec(f)),
      ),
      LOCKFILE,
    ],
    command: () => ['node_modules/vite/bin/vite.js', 'build', '--config', 'smart-launch/vite.config.ts'],
  },
};

function hashes(files) {
  const out = {};
  for (const file of [...new Set(files)].sort()) {
    const abs = join(root, file);
    if (existsSync(abs)) out[file] = createHash('sha256').update(readFileSync(abs)).digest('hex');
  }
  return out;
}

function readManifest(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}

const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;

function describe(changed, removed) {
  const names = [...changed, ...removed.map((f) => `${f} (deleted)`)];
  const shown = names.length <= 3 ? `: ${names.join(', ')}` : '';
  return `changed: ${plural(names.length, 'file')}${shown}`;
}

function build(name) {
  const part = PARTS[name];
  const manifestPath = join(root, part.output, '.inputs.json');
  const current = hashes(part.inputs());
  const previous = readManifest(manifestPath);
  const ready = part.ready.every((file) => existsSync(join(root, file)));
  let changed = [];
  let removed = [];
  let reason;
  if (!previous || !ready) {
    reason = 'first build';
  } else {
    changed = Object.keys(current).filter((file) => previous[file] !== current[file]);
    removed = Object.keys(previous).filter((file) => !(file in current));
    if (changed.length === 0 && removed.length === 0) {
      console.log(`${part.label}: unchanged, skipped`);
      return;
    }
    reason = describe(changed, removed);
  }
  // Nothing to reuse, or something to take away: start from an empty output folder.
  if (reason === 'first build' || removed.length > 0) rmSync(join(root, part.output), { recursive: true, force: true });
  console.log(`building ${part.label} (${reason})…`);
  const started = Date.now();
  const result = spawnSync(process.execPath, part.command(changed), { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`building ${part.label} failed`);
    process.exit(result.status ?? 1);
  }
  writeFileSync(manifestPath, JSON.stringify(current, null, 1));
  console.log(`built ${part.label} in ${Math.round((Date.now() - started) / 1000)} s`);
}

const wanted = process.argv.slice(2);
for (const name of wanted.length > 0 ? wanted : ['app', 'server']) {
  if (!(name in PARTS)) {
    console.error(`unknown part "${name}" (expected: ${Object.keys(PARTS).join(', ')})`);
    process.exit(2);
  }
  build(name);
}
