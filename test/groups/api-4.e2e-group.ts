import { groupMembers } from './plan.mjs';

// Group 4 of the API suites, run in one jest test file so they share one module load (see plan.mjs).
for (const file of groupMembers(4)) await import(file);
