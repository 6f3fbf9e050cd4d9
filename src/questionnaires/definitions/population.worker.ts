import { populateResponse } from '../engine/population.js';
import type { PopulationReply, PopulationTask } from './population-sandbox.js';

// The child process of population-sandbox.ts: runs one form's pre-population at a time, off the service's process.
process.on('message', (task: PopulationTask) => {
  let reply: PopulationReply;
  try {
    reply = { id: task.id, population: populateResponse(task.questionnaire, task.contexts, task.base) };
  } catch (err) {
    reply = { id: task.id, error: err instanceof Error ? err.message : String(err) };
  }
  process.send?.(reply);
});

// Loaded (engine and FHIRPath compiled): the sandbox's deadline runs from here, not from the thread's start.
process.send?.({ ready: true });

// The service went away (or dropped this child): nothing is left to answer.
process.on('disconnect', () => process.exit(0));
