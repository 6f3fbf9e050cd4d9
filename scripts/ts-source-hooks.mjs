// Module hooks for a worker thread started from the TypeScript sources (jest, never the built service): `./x.js`
// imports resolve to `./x.ts`, which TypeScript transpiles on load. The built service's workers load dist/*.js.
// Hand-written, because the tools that do this (tsx, ts-node) are not dependencies here and these dozen lines
// with the TypeScript already installed do the same for our imports.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const LOCAL = /^(\.{1,2}\/|\/|file:)/;

export async function resolve(specifier, context, next) {
  try {
    return await next(specifier, context);
  } catch (err) {
    if (LOCAL.test(specifier) && specifier.endsWith('.js')) return next(`${specifier.slice(0, -3)}.ts`, context);
    throw err;
  }
}

export async function load(url, context, next) {
  if (!url.startsWith('file:') || !url.endsWith('.ts')) return next(url, context);
  const fileName = fileURLToPath(url);
  const { outputText } = ts.transpileModule(readFileSync(fileName, 'utf8'), {
    fileName,
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, isolatedModules: true, esModuleInterop: true },
  });
  return { format: 'module', source: outputText, shortCircuit: true };
}
