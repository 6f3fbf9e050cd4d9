import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

// The engine runs in the service and in the browser's player (smart-launch/, alias @engine): it may import only
// itself, FHIR types and fhirpath.js. Nothing from Nest, TypeORM, the rest of the service or Node (node:*), which
// Vite cannot bundle for the browser.

const ENGINE = fileURLToPath(new URL('.', import.meta.url));
const ALLOWED = ['fhir/r4.js', 'fhirpath', 'fhirpath/fhir-context/r4'];

const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') && !e.name.endsWith('.spec.ts') ? [join(dir, e.name)] : [],
  );

describe('the questionnaire engine stays framework-free and bundleable', () => {
  it('imports only itself, FHIR types and fhirpath.js', () => {
    const outside = sources(ENGINE).flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/(?:^|\n)\s*(?:import|export)[^'";]*?from\s+'([^']+)'/g)]
        .map(([, spec]) => spec)
        .filter((spec) => (spec.startsWith('.') ? !join(file, '..', spec).startsWith(ENGINE) : !ALLOWED.includes(spec)))
        .map((spec) => `${relative(ENGINE, file)} → ${spec}`),
    );
    expect(sources(ENGINE).length).toBeGreaterThan(20);
    expect(outside).toEqual([]);
  });
});
