// ESM jest (see CONTRIBUTING.md): ts-jest in ESM mode, `.js` import suffixes mapped back to sources.
import { browserGroupedSuites, checkGroupFiles, groupedSuites, unitSuites } from './test/groups/plan.mjs';

// A full run (`npm test`, `.ci/run`) sets JEST_GROUPED=1: the unit specs and the short API and browser suites then
// run a few to a file, sharing one module load, and a browser group one Chromium (test/groups/plan.mjs says why and which). Without it,
// every suite is its own file.
const grouped = process.env.JEST_GROUPED === '1';
if (grouped) checkGroupFiles();

/** @type {import('jest').Config} */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  // Our `./x.js` imports resolve to `./x.ts`; resolutions are kept for a worker's life (test/support/jest-resolver.cjs).
  resolver: '<rootDir>/test/support/jest-resolver.cjs',
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json', 'node'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json', diagnostics: false }],
  },
  roots: ['<rootDir>/src', '<rootDir>/test', '<rootDir>/migrations'],
  testMatch: grouped
    ? [
        '**/*.spec.ts',
        '**/*.e2e-spec.ts',
        '**/*.e2e-group.ts',
        ...groupedSuites().map((f) => `!**/test/${f}`),
        ...browserGroupedSuites().map((f) => `!**/test/browser/${f}`),
        ...unitSuites().map((f) => `!**/${f}`),
      ]
    : ['**/*.spec.ts', '**/*.e2e-spec.ts'],
  // Generous: a busy 2-core machine builds an embedded database in tens of seconds; a timeout is not an assertion.
  testTimeout: 180000,
  maxWorkers: 2,
  // Longest first on a clean clone too, a group file weighing what its suites weigh (test/support/test-sequencer.mjs).
  testSequencer: '<rootDir>/test/support/test-sequencer.mjs',
};
