import { chosenLanguage, isLang, storedLanguage, storeLanguage, type Lang } from './i18n';

// What the page shown when nobody is signed in (main.tsx) needs to know across the reload that shows it: whether
// the person signed out here, and the language their screen was in. Kept for this browser tab (sessionStorage); a
// sign-in forgets the sign-out. Only language codes: nothing about the person.

const SIGNED_OUT = 'als-signed-out';
const SCREEN = 'als-screen-language';

/**
 * The language of the screen on show, kept at every boot and every change (Shell): a session that ends without
 * "Sign out" (it expired, or was ended elsewhere) still gets its signed-out page in the screen's language, which may
 * have come from the EHR (Patient.communication) and not from a choice the person made or from the browser.
 */
export function rememberScreenLanguage(lang: Lang): void {
  storeLanguage(SCREEN, lang);
}

export function rememberSignOut(lang: Lang): void {
  storeLanguage(SIGNED_OUT, lang);
}

export function forgetSignOut(): void {
  try {
    sessionStorage.removeItem(SIGNED_OUT);
  } catch {
    // Nothing to forget.
  }
}

/** The language of the screen the person signed out from, if they signed out in this tab. */
export function signedOutIn(): Lang | undefined {
  return storedLanguage(SIGNED_OUT);
}

/**
 * The signed-out page's language: the screen's they signed out from, else the last screen's in this tab, else their
 * choice this session, else the browser's.
 */
export function signedOutLanguage(browser: readonly string[] = navigator.languages ?? []): Lang {
  const base = browser.map((l) => l.split('-')[0]).find(isLang);
  return signedOutIn() ?? storedLanguage(SCREEN) ?? chosenLanguage() ?? base ?? 'en';
}
