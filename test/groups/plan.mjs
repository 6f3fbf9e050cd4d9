// Which unit specs, API and browser suites share one jest test file in a full run (`npm test`, `.ci/run`: JEST_GROUPED=1).
//
// Why: jest gives every test file a fresh module registry, and loading the service's module graph (NestJS,
// TypeORM, fhirpath, zod…) into it costs about 3.5 s of CPU per file under jest's ESM runtime, which has no code
// cache (a profile of a file that only imports the test app: V8 compiles and jest's resolver, nothing of ours).
// Most API suites take 5–8 s in all, so half of their cost was loading. A group file imports several suites, so
// they share one load; each suite still builds its own app on its own database in its own `describe`, and runs
// exactly as it does alone. Nothing here is hand-kept per suite: every `test/*.e2e-spec.ts` not named below is
// grouped, so a new suite runs in CI without being listed anywhere.
//
// Run alone (`npm run jest -- test/x.e2e-spec.ts`, no JEST_GROUPED) every suite is its own file, as before.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const TEST_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');

/** How many group files there are (test/groups/api-N.e2e-group.ts, N = 1…GROUPS). */
export const GROUPS = 4;

/**
 * Suites that stay files of their own:
 * - those that use no database or start the built service on a database of its own (.ci/run skips them in its
 *   PGlite pass by file name, so they must keep their names);
 * - those that set process-wide state (environment variables) for the app they build;
 * - the long ones (tens of seconds of their own), where loading is a small part and a file of their own lets jest
 *   spread them over its two workers.
 */
export const STANDALONE = new Set([
  'docs-links.e2e-spec.ts',
  'fhir-validity.e2e-spec.ts',
  'reference-ehr.e2e-spec.ts',
  'service-process.e2e-spec.ts',
  'database-unreachable.e2e-spec.ts',
  'sandbox-quarantine.e2e-spec.ts',
  'outbox-concurrency.e2e-spec.ts',
  'registry-cli.e2e-spec.ts',
  'report-cli.e2e-spec.ts',
  'overload.e2e-spec.ts',
  'questionnaire-delivery.e2e-spec.ts',
  'write-back-sandbox.e2e-spec.ts',
  'write-back-journey.e2e-spec.ts',
  'registration-guard.e2e-spec.ts',
]);

/** How many browser group files there are (test/groups/browser-N.e2e-group.ts, N = 1…BROWSER_GROUPS). */
export const BROWSER_GROUPS = 2;

/**
 * The browser suites (test/browser/) that stay files of their own: the long ones, as above (each is minutes of
 * page work on a busy machine; a file of its own lets jest spread them over its two workers). The others are
 * grouped like the API suites, and a browser group's suites also share one Chromium (support/chromium.ts,
 * shareChromium): one launch per group file instead of one per suite. Each suite still starts its own service on
 * its own database and opens its own browser contexts.
 */
export const BROWSER_STANDALONE = new Set(['patient-switch-flow.e2e-spec.ts', 'player-spanish.e2e-spec.ts']);

/** How many unit spec group files there are (test/groups/unit-N.e2e-group.ts, N = 1…UNIT_GROUPS). */
export const UNIT_GROUPS = 3;

/**
 * Unit specs that stay files of their own: the long ones (tens of seconds of their own), which would make a unit
 * group too long to fill the tail (test/support/test-sequencer.mjs runs the unit groups last).
 */
export const UNIT_STANDALONE = new Set(['src/reports/disclosure-attack.spec.ts']);

/** The API suites in `test/` that are grouped, sorted by name. */
export function groupedSuites() {
  return readdirSync(TEST_DIR)
    .filter((f) => f.endsWith('.e2e-spec.ts') && !STANDALONE.has(f))
    .sort();
}

/** The suites of group n (1…GROUPS), as absolute paths: every GROUPS-th grouped suite, starting at the n-th. */
export function groupMembers(n) {
  if (!Number.isInteger(n) || n < 1 || n > GROUPS) throw new Error(`no test group ${n} (1…${GROUPS})`);
  return groupedSuites()
    .filter((_, i) => i % GROUPS === n - 1)
    .map((f) => join(TEST_DIR, f));
}

/** The browser suites in `test/browser/` that are grouped, sorted by name. */
export function browserGroupedSuites() {
  return readdirSync(join(TEST_DIR, 'browser'))
    .filter((f) => f.endsWith('.e2e-spec.ts') && !BROWSER_STANDALONE.has(f))
    .sort();
}

/** The suites of browser group n (1…BROWSER_GROUPS), as absolute paths: every BROWSER_GROUPS-th, from the n-th. */
export function browserGroupMembers(n) {
  if (!Number.isInteger(n) || n < 1 || n > BROWSER_GROUPS) throw new Error(`no browser test group ${n} (1…${BROWSER_GROUPS})`);
  return browserGroupedSuites()
    .filter((_, i) => i % BROWSER_GROUPS === n - 1)
    .map((f) => join(TEST_DIR, 'browser', f));
}

/**
 * The unit specs that are grouped: every `*.spec.ts` under src/ and migrations/, and those directly in test/ (none
 * of them uses a database), but UNIT_STANDALONE, as paths relative to the repository, sorted. Most unit specs take
 * well under a second of their own, so loading their imports was most of their cost: the 105 of src/ and
 * migrations/ took 52 s of CPU one file each, 31 s in one file (in band, 2026-12-03). They share a module registry
 * in a group, so a unit spec keeps no state of its own across files: spies restored, fake timers given back (all do).
 */
export function unitSuites() {
  const root = join(TEST_DIR, '..');
  const under = (dir) =>
    readdirSync(join(root, dir), { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile() && e.name.endsWith('.spec.ts'))
      .map((e) => relative(root, join(e.parentPath, e.name)).split(sep).join('/'));
  const top = readdirSync(TEST_DIR).filter((f) => f.endsWith('.spec.ts')).map((f) => `test/${f}`);
  // .ci/run's PGlite pass leaves the unit groups out: a spec here that builds the app (a database) would be proven on
  // PostgreSQL only. Such a suite is an `.e2e-spec.ts`.
  for (const f of top) {
    if (/support\/test-app/.test(readFileSync(join(root, f), 'utf8'))) throw new Error(`${f} builds the test app: name it .e2e-spec.ts (unit specs use no database)`);
  }
  return [...under('src'), ...under('migrations'), ...top].filter((f) => !UNIT_STANDALONE.has(f)).sort();
}

/** The specs of unit group n (1…UNIT_GROUPS), as absolute paths: every UNIT_GROUPS-th, from the n-th. */
export function unitGroupMembers(n) {
  if (!Number.isInteger(n) || n < 1 || n > UNIT_GROUPS) throw new Error(`no unit test group ${n} (1…${UNIT_GROUPS})`);
  const root = join(TEST_DIR, '..');
  return unitSuites()
    .filter((_, i) => i % UNIT_GROUPS === n - 1)
    .map((f) => join(root, f));
}

/**
 * Each group file of a kind, 1…its constant, exists and there is no other: raising a constant without adding the
 * file would leave its suites in no file at all (excluded as grouped, imported by no group) with CI green.
 */
export function checkGroupFiles() {
  const present = readdirSync(join(TEST_DIR, 'groups')).filter((f) => f.endsWith('.e2e-group.ts'));
  for (const [kind, count] of [['api', GROUPS], ['browser', BROWSER_GROUPS], ['unit', UNIT_GROUPS]]) {
    const found = present.filter((f) => new RegExp(`^${kind}-\\d+\\.e2e-group\\.ts$`).test(f)).sort();
    const wanted = Array.from({ length: count }, (_, i) => `${kind}-${i + 1}.e2e-group.ts`).sort();
    if (found.join() !== wanted.join()) {
      throw new Error(`test/groups: ${kind} groups are ${found.join(', ') || 'none'}; plan.mjs expects ${wanted.join(', ')}`);
    }
  }
}
