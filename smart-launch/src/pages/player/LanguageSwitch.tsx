import { LANGUAGE_NAMES, LANGUAGES, translate, type Lang } from '../../lib/i18n';

// The language of the form and of the player's own words: one button per other language, named in that
// language (so a person who reads only it finds it), reachable by keyboard, switch scanning (data-scan) and
// dwell. The choice is kept for the session.

export function LanguageSwitch({ lang, onChoose }: { lang: Lang; onChoose(lang: Lang): void }) {
  return (
    <nav class="language-switch" aria-label={translate(lang, 'Language')}>
      {LANGUAGES.filter((l) => l !== lang).map((l) => (
        <button type="button" class="secondary small" lang={l} key={l} onClick={() => onChoose(l)} data-scan="0" data-dwell>
          {LANGUAGE_NAMES[l]}
        </button>
      ))}
    </nav>
  );
}
