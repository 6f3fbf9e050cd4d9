import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The browser app is built to smart-launch/dist and served by the service at /app/ (src/app.setup.ts).
// Preact's automatic JSX runtime via Vite's built-in Oxc transform: no Babel plugin needed.
const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: '/app/',
  publicDir: false,
  logLevel: 'warn',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  // The questionnaire engine the server runs (enableWhen and enableWhenExpression, per-question checks, response
  // building) is imported from its one home, not copied, and so is the FHIR id pattern (tsconfig.json has the same
  // paths).
  resolve: {
    alias: {
      '@engine': fileURLToPath(new URL('../src/questionnaires/engine', import.meta.url)),
      '@fhir-id': fileURLToPath(new URL('../src/common/fhir-id.ts', import.meta.url)),
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Clinics run current evergreen browsers inside their EHRs; no legacy bundle.
    target: 'es2022',
    // A modulepreload polyfill is injected as code in the entry chunk, never inline (CSP script-src 'self').
    modulePreload: { polyfill: false },
    sourcemap: true,
    assetsInlineLimit: 0,
    // The player's chunk carries fhirpath.js and its FHIR R4 model (about 1.2 MB, 230 kB gzipped), as the server
    // runs them: loaded only when a questionnaire opens (pages/PlayerPage.tsx), never on the first screen.
    chunkSizeWarningLimit: 1300,
    // Rolldown's "plugin timings" note only says the machine was busy; `npm start` prints its own one-line steps.
    rolldownOptions: { checks: { pluginTimings: false } },
  },
});
