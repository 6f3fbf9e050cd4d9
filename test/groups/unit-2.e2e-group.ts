import { unitGroupMembers } from './plan.mjs';

// Group 2 of the unit specs (src/, migrations/, test/*.spec.ts), run in one jest test file so they share one
// module load (see plan.mjs).
for (const file of unitGroupMembers(2)) await import(file);
