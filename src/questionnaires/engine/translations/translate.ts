import type { Element, Extension, Questionnaire, QuestionnaireItem } from 'fhir/r4.js';
import { SPANISH_TRANSLATIONS } from './es.js';
import type { InstrumentTranslation } from './translation.types.js';

// Translations the FHIR way: the core `translation` extension on the primitive elements (_title, item._text,
// answerOption.valueCoding._display) of the one Questionnaire, so a translated form is the same form — same
// canonical, linkIds, codes and weights — and scores identically. `localize` turns them into a Questionnaire
// a player can show as is (Questionnaire.language set).

export const TRANSLATION_EXTENSION = 'http://hl7.org/fhir/StructureDefinition/translation';

/** The languages the module can show its own words in; 'en' is the forms' original language. */
export const SUPPORTED_LANGUAGES = ['en', 'es'] as const;
export type SupportedLanguage = (typeof SUPPORTED_LANGUAGES)[number];

export const BUILT_IN_TRANSLATIONS: readonly InstrumentTranslation[] = [...SPANISH_TRANSLATIONS];

/** 'es-US', 'ES', 'es_MX' → 'es'; anything the module does not support → undefined. */
export function supportedLanguage(tag: string | undefined | null): SupportedLanguage | undefined {
  const primary = tag?.trim().toLowerCase().split(/[-_]/)[0];
  return SUPPORTED_LANGUAGES.find((l) => l === primary);
}

function translationExtension(lang: string, content: string): Extension {
  return { url: TRANSLATION_EXTENSION, extension: [{ url: 'lang', valueCode: lang }, { url: 'content', valueString: content }] };
}

function withTranslation(element: Element | undefined, lang: string, content: string | undefined): Element | undefined {
  if (content === undefined) return element;
  const others = (element?.extension ?? []).filter((e) => !(e.url === TRANSLATION_EXTENSION && translationLang(e) === lang));
  return { ...element, extension: [...others, translationExtension(lang, content)] };
}

function translationLang(e: Extension): string | undefined {
  return e.extension?.find((x) => x.url === 'lang')?.valueCode;
}

/** The translation of a primitive element into `lang` (exact tag, else the same primary language). */
export function translated(element: Element | undefined, lang: string): string | undefined {
  const all = (element?.extension ?? []).filter((e) => e.url === TRANSLATION_EXTENSION);
  const pick = all.find((e) => translationLang(e) === lang) ?? all.find((e) => supportedLanguage(translationLang(e)) === supportedLanguage(lang));
  return pick?.extension?.find((x) => x.url === 'content')?.valueString;
}

/**
 * A copy of the Questionnaire carrying the translations that match its url and version as translation extensions.
 * Throws when a translation names a linkId or answer code the form lacks: it was written for another form.
 */
export function addTranslations(q: Questionnaire, translations: readonly InstrumentTranslation[] = BUILT_IN_TRANSLATIONS): Questionnaire {
  const mine = translations.filter((t) => t.questionnaireUrl === q.url && t.questionnaireVersion === q.version);
  if (mine.length === 0) return q;
  let out: Questionnaire = structuredClone(q);
  for (const t of mine) {
    const usedItems = new Set<string>();
    const usedAnswers = new Set<string>();
    const visit = (items: QuestionnaireItem[] | undefined): QuestionnaireItem[] | undefined =>
      items?.map((item) => {
        const text = t.items[item.linkId];
        if (text !== undefined) usedItems.add(item.linkId);
        const answerOption = item.answerOption?.map((o) => {
          const code = o.valueCoding?.code;
          const display = code === undefined ? undefined : t.answers[code];
          if (display === undefined || !o.valueCoding) return o;
          usedAnswers.add(code as string);
          return { ...o, valueCoding: { ...o.valueCoding, _display: withTranslation(o.valueCoding._display, t.lang, display) } };
        });
        return {
          ...item,
          ...(text !== undefined && { _text: withTranslation(item._text, t.lang, text) }),
          ...(answerOption && { answerOption }),
          ...(item.item && { item: visit(item.item) }),
        };
      });
    out = {
      ...out,
      ...(t.title !== undefined && { _title: withTranslation(out._title, t.lang, t.title) }),
      ...(t.copyright !== undefined && { _copyright: withTranslation(out._copyright, t.lang, t.copyright) }),
      item: visit(out.item),
    };
    const strayItems = Object.keys(t.items).filter((id) => !usedItems.has(id));
    const strayAnswers = Object.keys(t.answers).filter((c) => !usedAnswers.has(c));
    if (strayItems.length || strayAnswers.length) {
      throw new Error(`The ${t.lang} translation of ${q.url} names what the form lacks: ${[...strayItems, ...strayAnswers].join(', ')}`);
    }
  }
  return out;
}

/**
 * The served form and its whole languages, once per Questionnaire object: a form version is immutable (the library
 * keeps one object a version), and copying and walking it on every save and every GET was about a twentieth of a
 * PHQ-9 submission's CPU. Weak: a version no longer held is forgotten with it. Callers never change what they get.
 */
const servedForms = new WeakMap<Questionnaire, Questionnaire>();
const wholeLanguages = new WeakMap<Questionnaire, readonly string[]>();

/**
 * The form as the service serves it: with the built-in translations of its url and version. Another version under
 * the same url (a clinic's own) is served untranslated, never with another version's wording.
 */
export function withBuiltInTranslations(q: Questionnaire): Questionnaire {
  let served = servedForms.get(q);
  if (!served) {
    try {
      served = addTranslations(q);
    } catch {
      served = q;
    }
    servedForms.set(q, served);
  }
  return served;
}

export interface Localized {
  questionnaire: Questionnaire;
  /** The language the form is shown in: `lang` when every shown text has a translation, else the original's. */
  language: string;
  /** False when the form has no complete translation into the language asked for (it is then shown untranslated). */
  translated: boolean;
}

/**
 * The form as a player shows it in `lang`: texts and answer displays replaced by their translations and
 * Questionnaire.language set. All or nothing: a form with any shown text untranslated stays in its original
 * language (half-translated instruments are not valid instruments).
 */
export function localize(q: Questionnaire, lang: string): Localized {
  const original = q.language ?? 'en';
  if (supportedLanguage(lang) === supportedLanguage(original)) return { questionnaire: q, language: original, translated: true };
  let complete = true;
  const need = (element: Element | undefined, value: string | undefined): string | undefined => {
    if (value === undefined) return undefined;
    const t = translated(element, lang);
    if (t === undefined) complete = false;
    return t ?? value;
  };
  const visit = (items: QuestionnaireItem[] | undefined): QuestionnaireItem[] | undefined =>
    items?.map((item) => ({
      ...item,
      ...(item.text !== undefined && { text: need(item._text, item.text) }),
      ...(item.answerOption && {
        answerOption: item.answerOption.map((o) =>
          o.valueCoding?.display === undefined ? o : { ...o, valueCoding: { ...o.valueCoding, display: need(o.valueCoding._display, o.valueCoding.display) } },
        ),
      }),
      ...(item.item && { item: visit(item.item) }),
    }));
  const item = visit(q.item);
  if (!complete) return { questionnaire: q, language: original, translated: false };
  return {
    questionnaire: {
      ...q,
      language: lang,
      ...(q.title !== undefined && { title: translated(q._title, lang) ?? q.title }),
      ...(q.copyright !== undefined && { copyright: translated(q._copyright, lang) ?? q.copyright }),
      item,
    },
    language: lang,
    translated: true,
  };
}

/** A BCP-47 language tag as QuestionnaireResponse.language and its column keep it: 'en', 'es-US', 'zh-Hant-TW'. */
export const LANGUAGE_TAG = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/;

function primaryOf(tag: string): string {
  return tag.trim().toLowerCase().split(/[-_]/)[0];
}

/**
 * The language a response to `q` is recorded in: `requested` when the form can be shown in it whole (its own
 * language, or a complete translation; same primary language: 'es-US' for a form translated into 'es'), the
 * form's own language when nothing is asked for; undefined when the form has no version in that language.
 * `q` carries its translations (withBuiltInTranslations).
 */
export function responseLanguageOf(q: Questionnaire, requested: string | undefined): string | undefined {
  const own = q.language ?? 'en';
  if (requested === undefined) return own;
  if (!LANGUAGE_TAG.test(requested)) return undefined;
  return availableLanguages(q).some((l) => primaryOf(l) === primaryOf(requested)) ? requested : undefined;
}

/** The languages a form can be shown in whole: its own, and each into which every shown text is translated. */
export function availableLanguages(q: Questionnaire): string[] {
  let languages = wholeLanguages.get(q);
  if (!languages) {
    const original = q.language ?? 'en';
    languages = [original, ...SUPPORTED_LANGUAGES.filter((l) => l !== supportedLanguage(original) && localize(q, l).translated)];
    wholeLanguages.set(q, languages);
  }
  return [...languages];
}
