import { shareChromium } from '../browser/support/chromium.js';
import { browserGroupMembers } from './plan.mjs';

// Group 2 of the browser suites, run in one jest test file: they share one module load and one Chromium (see
// plan.mjs). Each suite still starts its own service and closes its own browser contexts.
shareChromium();
for (const file of browserGroupMembers(2)) await import(file);
