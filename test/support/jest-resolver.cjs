// jest resolver (see jest.config.js). Two things jest's default resolution does slowly for this project:
//  - Sources import `./x.js` (NodeNext ESM) while the file on disk is `./x.ts`. A moduleNameMapper stripped the
//    suffix and jest then probed every extension, for our imports and for every `require('./y.js')` inside
//    node_modules as well. Here only our own relative imports are rewritten, straight to the `.ts` file.
//  - jest keeps its resolution cache per test file; results here are kept for the worker's life (files do not
//    appear or move during a run).
// Hand-written because no published resolver does the first part without a build step; ~20 lines.
'use strict';
/* global module */
const cache = new Map();

module.exports = function resolve(request, options) {
  const key = `${options.basedir}\0${request}\0${(options.conditions || []).join(',')}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  let resolved;
  if (request.endsWith('.js') && request.startsWith('.') && !options.basedir.includes('/node_modules/')) {
    try {
      resolved = options.defaultResolver(`${request.slice(0, -3)}.ts`, options);
    } catch {
      // not one of our TypeScript sources (a .js file of our own): resolve as asked
    }
  }
  resolved ??= options.defaultResolver(request, options);
  cache.set(key, resolved);
  return resolved;
};
