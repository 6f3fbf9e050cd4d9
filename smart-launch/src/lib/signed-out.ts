import { chosenLanguage, isLang, type Lang } from './i18n';

// What the page shown after "Sign out" needs to know across the reload that shows it (main.tsx): that the person
// signed out here, and the language their screen was in. Kept for this browser tab (sessionStorage); a sign-in
// forgets it. Only a language code: nothing about the person.

const KEY = 'als-signed-out';

export function rememberSignOut(lang: Lang): void {
  try {
    sessionStorage.setItem(KEY, lang);
  } catch {
    // Storage refused: the signed-out page falls back to the person's or the browser's language.
  }
}

export function forgetSignOut(): void {
  try {
    sessionStorage.removeItem(KEY);
  } catch {
    // Nothing to forget.
  }
}

/** The language of the screen the person signed out from, if they signed out in this tab. */
export function signedOutIn(): Lang | undefined {
  try {
    const v = sessionStorage.getItem(KEY);
    return isLang(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

/** The signed-out page's language: the screen's they left, else their choice this session, else the browser's. */
export function signedOutLanguage(browser: readonly string[] = navigator.languages ?? []): Lang {
  const base = browser.map((l) => l.split('-')[0]).find(isLang);
  return signedOutIn() ?? chosenLanguage() ?? base ?? 'en';
}
