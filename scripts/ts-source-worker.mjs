/* global URL, process */
// A child process's entry when the service runs from its TypeScript sources (jest): registers the hooks that load
// .ts, then the module named by its first argument (or a worker thread's workerData.entry). See scripts/ts-source-hooks.mjs.
import { register } from 'node:module';
import { workerData } from 'node:worker_threads';

register(new URL('./ts-source-hooks.mjs', import.meta.url));
await import(workerData?.entry ?? process.argv[2]);
