import { registerAs } from '@nestjs/config';
import { z } from 'zod';
import { bool, positiveInt, readEnv } from './env.js';

/** Region-neutral on purpose: no country's numbers unless the clinic writes its own text. */
export const DEFAULT_CRISIS_MESSAGE =
  'If you are thinking about harming yourself, please contact your local emergency number or a crisis line now, or tell someone you trust. Your care team has been notified.';

export interface SafetyConfig {
  /** An open safety alert not followed up within this many minutes is escalated to the program's lead clinician. */
  escalateAfterMinutes: number;
  /** Shown at once to a patient or caregiver whose answers trigger a crisis rule (the save's `safetyMessage`). */
  crisisMessage: string;
  /** Run the escalation job in this process (off: a web-only instance, or tests that drive it by hand). */
  escalationWorker: boolean;
  /** How often the escalation job looks for overdue alerts. */
  escalationPollMs: number;
}

export function loadSafetyConfig(env: NodeJS.ProcessEnv = process.env): SafetyConfig {
  return {
    // At most a week: an alert left longer than that has already failed the patient.
    escalateAfterMinutes: readEnv(env, 'SAFETY_ESCALATE_AFTER_MINUTES', z.coerce.number().int().min(1).max(10_080).default(60), 'an integer from 1 to 10080 (minutes)'),
    crisisMessage: readEnv(env, 'SAFETY_CRISIS_MESSAGE', z.string().trim().min(20).max(1000).default(DEFAULT_CRISIS_MESSAGE), 'a text of 20 to 1000 characters'),
    escalationWorker: readEnv(env, 'SAFETY_ESCALATION_WORKER', bool(true), 'true or false'),
    escalationPollMs: readEnv(env, 'SAFETY_ESCALATION_POLL_MS', positiveInt(60_000), 'a positive integer (milliseconds)'),
  };
}

export const safetyConfig = registerAs('safety', () => loadSafetyConfig());
