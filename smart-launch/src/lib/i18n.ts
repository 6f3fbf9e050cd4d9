import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { ES } from './messages-es';

// The app's own words in the person's language (issue 15): a small catalogue keyed by the English text, so a
// missing entry shows English rather than a key, and `{name}` placeholders. Hand-written rather than an i18n
// framework: two languages and some hundred phrases fit in a map; a library would outweigh the player. The
// Spanish entries are in messages-es.ts.
// The forms' own wording never comes from here: it comes from the Questionnaire's translation extensions
// (src/questionnaires/engine/translations/), with its published source.

export const LANGUAGES = ['en', 'es'] as const;
export type Lang = (typeof LANGUAGES)[number];

/** Each language's name in itself, for the switch. */
export const LANGUAGE_NAMES: Record<Lang, string> = { en: 'English', es: 'Español' };


const CATALOGUES: Record<Lang, Record<string, string>> = { en: {}, es: ES };

/** `text` (the English phrase) in `lang`, placeholders filled. */
export function translate(lang: Lang, text: string, vars: Record<string, string | number> = {}): string {
  const template = CATALOGUES[lang][text] ?? text;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

export type T = (text: string, vars?: Record<string, string | number>) => string;

export function isLang(value: unknown): value is Lang {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/**
 * A language this browser tab keeps under `key` (sessionStorage: gone when the tab closes). Storage the browser refuses
 * (private mode, a sandboxed frame) reads as nothing kept, and keeping then lasts for this page only.
 */
export function storedLanguage(key: string): Lang | undefined {
  try {
    const v = sessionStorage.getItem(key);
    return isLang(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

export function storeLanguage(key: string, lang: Lang): void {
  try {
    sessionStorage.setItem(key, lang);
  } catch {
    // Refused: see storedLanguage.
  }
}

const CHOICE_KEY = 'als-language';

/**
 * Whose choice a kept language is: the patient in context (their screens, or the player a clinician hands over), else
 * the signed-in user. An EHR launches the next patient in the same tab, so a choice kept for the tab alone carried
 * one patient's Spanish over the next one's English record. Kept as a short hash (FNV-1a), not the id itself: it
 * only has to tell the next person apart.
 */
export function choiceOwner(patientId: string | null | undefined, fhirUser: string): string {
  let h = 0x811c9dc5;
  for (const c of patientId ? `Patient/${patientId}` : fhirUser) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193) >>> 0;
  return h.toString(36);
}

/** The person's own choice, kept for this browser session (it outranks the EHR's); with `owner`, only if it is theirs. */
export function chosenLanguage(owner?: string): Lang | undefined {
  let kept: string | null;
  try {
    kept = sessionStorage.getItem(CHOICE_KEY);
  } catch {
    return undefined;
  }
  const [lang, who] = (kept ?? '').split('|');
  if (!isLang(lang) || (owner !== undefined && who !== owner)) return undefined;
  return lang;
}

export function rememberLanguage(lang: Lang, owner: string): void {
  try {
    sessionStorage.setItem(CHOICE_KEY, `${lang}|${owner}`);
  } catch {
    // Refused: see storedLanguage.
  }
}

/** The language to start in: this person's choice this session, else the EHR's (Patient.communication), else English. */
export function initialLanguage(fromEhr: string | null | undefined, owner: string): Lang {
  return chosenLanguage(owner) ?? (isLang(fromEhr) ? fromEhr : 'en');
}

/**
 * The language of a screen: a patient's or caregiver's every screen, and for anyone the player and the pages around
 * it (`answer/…`: a clinician reads it aloud or hands the device over), with the frame and the patient banner, are
 * in the person's language; staff screens stay in English.
 */
export function screenLanguage(staff: boolean, path: string, lang: Lang): Lang {
  return !staff || path === 'answer' || path.startsWith('answer/') ? lang : 'en';
}

/** The language of the screen around (App provides screenLanguage). */
export const LangCtx = createContext<Lang>('en');

/** The session's language and how to change it: App holds it, so the player, "My questionnaires" and the frame agree. */
export interface LanguageChoice {
  lang: Lang;
  choose(lang: Lang): void;
}
export const LanguageChoiceCtx = createContext<LanguageChoice>({ lang: 'en', choose: () => undefined });

export function useLanguageChoice(): LanguageChoice {
  return useContext(LanguageChoiceCtx);
}

/** The translate function for the language of the screen around. */
export function useT(): T {
  const lang = useContext(LangCtx);
  return (text, vars) => translate(lang, text, vars);
}
