import { registerAs } from '@nestjs/config';
import { z } from 'zod';
import { bool, positiveInt, readEnv } from './env.js';

/** Region-neutral on purpose: no country's numbers unless the clinic writes its own text. */
export const DEFAULT_CRISIS_MESSAGE =
  'If you are thinking about harming yourself, please contact your local emergency number or a crisis line now, or tell someone you trust. Your care team has been notified.';

/**
 * The same text in Spanish (issue 15): a translation of DEFAULT_CRISIS_MESSAGE and nothing more, region-neutral like
 * it (no country's numbers). Written for this service; not a published text.
 */
export const DEFAULT_CRISIS_MESSAGE_ES =
  'Si está pensando en hacerse daño, comuníquese ahora con el número de emergencias de su zona o con una línea de crisis, o hable con alguien de su confianza. Se ha avisado a su equipo de atención.';

const crisisText = z.string().trim().min(20).max(1000);

/**
 * Unset, or the default written out (a deployment that copies .env.example): the English text is still the one the
 * Spanish default translates, so Spanish readers keep it. Compared with runs of white space as one space.
 */
function isDefaultText(text: string | undefined): boolean {
  return text === undefined || text.replace(/\s+/g, ' ') === DEFAULT_CRISIS_MESSAGE;
}

export interface SafetyConfig {
  /** An open safety alert not followed up within this many minutes is escalated to the program's lead clinician. */
  escalateAfterMinutes: number;
  /** Shown at once to a patient or caregiver whose answers trigger a crisis rule (the save's `safetyMessage`). */
  crisisMessage: string;
  /**
   * The crisis text for a Spanish response (`es`, `es-US`…): SAFETY_CRISIS_MESSAGE_ES, else the built-in Spanish
   * default while the English text is the default too (unset, or set to the default's own words). Null when the clinic wrote its own English text and no Spanish
   * one: a Spanish reader is then shown the clinic's English text (its own lines) rather than a default that names none.
   */
  crisisMessageEs: string | null;
  /** Run the escalation job in this process (off: a web-only instance, or tests that drive it by hand). */
  escalationWorker: boolean;
  /** How often the escalation job looks for overdue alerts. */
  escalationPollMs: number;
}

export function loadSafetyConfig(env: NodeJS.ProcessEnv = process.env): SafetyConfig {
  const crisisMessage = readEnv(env, 'SAFETY_CRISIS_MESSAGE', crisisText.optional(), 'a text of 20 to 1000 characters');
  const crisisMessageEs = readEnv(env, 'SAFETY_CRISIS_MESSAGE_ES', crisisText.optional(), 'a text of 20 to 1000 characters');
  return {
    // At most a week: an alert left longer than that has already failed the patient.
    escalateAfterMinutes: readEnv(env, 'SAFETY_ESCALATE_AFTER_MINUTES', z.coerce.number().int().min(1).max(10_080).default(60), 'an integer from 1 to 10080 (minutes)'),
    crisisMessage: crisisMessage ?? DEFAULT_CRISIS_MESSAGE,
    crisisMessageEs: crisisMessageEs ?? (isDefaultText(crisisMessage) ? DEFAULT_CRISIS_MESSAGE_ES : null),
    escalationWorker: readEnv(env, 'SAFETY_ESCALATION_WORKER', bool(true), 'true or false'),
    escalationPollMs: readEnv(env, 'SAFETY_ESCALATION_POLL_MS', positiveInt(60_000), 'a positive integer (milliseconds)'),
  };
}

export const safetyConfig = registerAs('safety', () => loadSafetyConfig());
