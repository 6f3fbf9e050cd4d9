import { LANGUAGE_NAMES, LANGUAGES, translate, type Lang } from '../../lib/i18n';

// The language of the form and of the player's own words: one button per language, named in that language (so a
// person who reads only it finds it), the current one pressed (aria-pressed). Every button stays on screen, so the
// one pressed keeps focus. The Player puts it in its own bar, inside the area single-switch scanning and dwell
// reach (data-scan 10: after everything else on the screen). The choice is kept for the session.

export function LanguageSwitch({ lang, onChoose }: { lang: Lang; onChoose(lang: Lang): void }) {
  return (
    <div class="language-switch" role="group" aria-label={translate(lang, 'Language')}>
      {LANGUAGES.map((l) => (
        <button type="button" class="secondary small" lang={l} key={l} aria-pressed={l === lang} onClick={() => l !== lang && onChoose(l)} data-scan="10" data-dwell>
          {LANGUAGE_NAMES[l]}
        </button>
      ))}
    </div>
  );
}
