import { parentPort } from 'node:worker_threads';
import { populateResponse } from '../engine/population.js';
import type { PopulationReply, PopulationTask } from './population-sandbox.js';

// The worker thread of population-sandbox.ts: runs one form's pre-population at a time, off the service's thread.
parentPort?.on('message', (task: PopulationTask) => {
  let reply: PopulationReply;
  try {
    reply = { id: task.id, population: populateResponse(task.questionnaire, task.contexts, task.base) };
  } catch (err) {
    reply = { id: task.id, error: err instanceof Error ? err.message : String(err) };
  }
  parentPort?.postMessage(reply);
});

// Loaded (engine and FHIRPath compiled): the sandbox's deadline runs from here, not from the thread's start.
parentPort?.postMessage({ ready: true });
