import type { SafetyConfig } from '../../config/safety.config.js';

/** Crisis information as a save answers it: the text and the language it is written in (a BCP-47 tag). */
export interface CrisisMessage {
  text: string;
  language: 'en' | 'es';
}

type Texts = Pick<SafetyConfig, 'crisisMessage' | 'crisisMessageEs'>;

/**
 * The clinic's crisis text for a response in `language` (its `QuestionnaireResponse.language`, issue 15): Spanish for
 * any Spanish tag (`es`, `es-US`, `es-419`…) when there is a Spanish text; English otherwise — for English, for a
 * language the service has no crisis text in (a clinic's French form) and for Spanish when the clinic wrote its own
 * English text but no Spanish one. The language returned is the text's own, so a screen can mark it (`lang`).
 */
export function crisisMessageFor(settings: Texts, language: string | null | undefined): CrisisMessage {
  const primary = (language ?? '').split('-')[0].toLowerCase();
  if (primary === 'es' && settings.crisisMessageEs) return { text: settings.crisisMessageEs, language: 'es' };
  return { text: settings.crisisMessage, language: 'en' };
}

/**
 * Every text the clinic has, English first: the save carries them all (`safetyMessages`), so a screen shows the one in
 * its reader's language — who may read another language than the form's (a Spanish reader switching an English form,
 * or the reverse) — and, lacking it, the English one marked English.
 */
export function crisisMessagesOf(settings: Texts): CrisisMessage[] {
  const all: CrisisMessage[] = [{ text: settings.crisisMessage, language: 'en' }];
  if (settings.crisisMessageEs) all.push({ text: settings.crisisMessageEs, language: 'es' });
  return all;
}
