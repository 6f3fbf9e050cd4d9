import { groupMembers } from './plan.mjs';

// Group 2 of the API suites, run in one jest test file so they share one module load (see plan.mjs).
for (const file of groupMembers(2)) await import(file);
