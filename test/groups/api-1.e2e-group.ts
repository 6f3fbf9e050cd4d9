import { groupMembers } from './plan.mjs';

// Group 1 of the API suites, run in one jest test file so they share one module load (see plan.mjs).
for (const file of groupMembers(1)) await import(file);
