/**
 * One instrument's wording in one language, keyed so that the translated form keeps the original's structure:
 * item text by linkId, answer displays by answer code.
 */
export interface InstrumentTranslation {
  /** BCP-47 language tag, e.g. 'es'. */
  lang: string;
  /** Questionnaire.url it translates. */
  questionnaireUrl: string;
  /**
   * The one Questionnaire.version it translates: a clinic's new version under the same url (other wording, same
   * linkIds and codes) must not be shown with the old version's translation.
   */
  questionnaireVersion: string;
  /** 'verified': compared with the publisher's own text; 'transcribed-from-copy': taken from a copy of it. */
  status: 'verified' | 'transcribed-from-copy';
  /** Where the wording comes from (URL, version or date). */
  source: string;
  title?: string;
  copyright?: string;
  items: Readonly<Record<string, string>>;
  answers: Readonly<Record<string, string>>;
}
