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
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Clinics run current evergreen browsers inside their EHRs; no legacy bundle.
    target: 'es2022',
    // A modulepreload polyfill is injected as code in the entry chunk, never inline (CSP script-src 'self').
    modulePreload: { polyfill: false },
    sourcemap: true,
    assetsInlineLimit: 0,
  },
});
