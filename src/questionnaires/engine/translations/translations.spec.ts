import { describe, expect, it } from '@jest/globals';
import type { Questionnaire, QuestionnaireItem } from 'fhir/r4.js';
import { r4SchemaErrors } from '../../../../test/support/fhir-r4-schema.js';
import { assessResponse } from '../assessment.js';
import { gad7 } from '../instruments/gad7.js';
import { phq9 } from '../instruments/phq9.js';
import { who5 } from '../instruments/who5.js';
import { buildResponse } from '../response-builder.js';
import { validateResponse } from '../validation.js';
import { PHQ9_ES } from './es.js';
import { preferredLanguage } from './patient-language.js';
import { TRANSLATION_EXTENSION, addTranslations, availableLanguages, localize, supportedLanguage, withBuiltInTranslations } from './translate.js';

const flat = (items: QuestionnaireItem[] | undefined): QuestionnaireItem[] => (items ?? []).flatMap((i) => [i, ...flat(i.item)]);
/** What scoring and validation read: everything but the words. */
const structure = (q: Questionnaire) =>
  flat(q.item).map((i) => ({
    linkId: i.linkId, type: i.type, code: i.code, required: i.required, enableWhen: i.enableWhen, extension: i.extension,
    options: i.answerOption?.map((o) => ({ code: o.valueCoding?.code, system: o.valueCoding?.system, extension: o.extension })),
  }));

describe('Spanish PHQ-9', () => {
  const withEs = addTranslations(phq9.questionnaire);
  const { questionnaire: es, language, translated } = localize(withEs, 'es');

  it('is the same form: same canonical, linkIds, codes, enableWhen and weights, every text in Spanish', () => {
    expect(translated).toBe(true);
    expect(language).toBe('es');
    expect(es.language).toBe('es');
    expect([es.url, es.version]).toEqual([phq9.questionnaire.url, phq9.questionnaire.version]);
    expect(structure(es)).toEqual(structure(phq9.questionnaire));
    expect(es.title).toBe(PHQ9_ES.title);
    expect(flat(es.item).find((i) => i.linkId === 'phq9-1')?.text).toBe('Poco interés o placer en hacer cosas');
    expect(flat(es.item).find((i) => i.linkId === 'phq9-9')?.answerOption?.map((o) => o.valueCoding?.display))
      .toEqual(['Ningún día', 'Varios días', 'Más de la mitad de los días', 'Casi todos los días']);
    // Every shown text is the translation's, none left in English.
    for (const item of flat(es.item)) expect(item.text).toBe(PHQ9_ES.items[item.linkId]);
  });

  it('carries its translations as FHIR translation extensions and passes the R4 schema, both forms', () => {
    const item1 = flat(withEs.item).find((i) => i.linkId === 'phq9-1');
    expect(item1?.text).toBe('Little interest or pleasure in doing things');
    expect(item1?._text?.extension).toEqual([
      { url: TRANSLATION_EXTENSION, extension: [{ url: 'lang', valueCode: 'es' }, { url: 'content', valueString: 'Poco interés o placer en hacer cosas' }] },
    ]);
    expect(r4SchemaErrors(withEs)).toEqual([]);
    expect(r4SchemaErrors(es)).toEqual([]);
  });

  it('scores a Spanish response exactly as the English one, safety rule included', () => {
    const answers = { 'phq9-1': 2, 'phq9-2': 3, 'phq9-3': 1, 'phq9-4': 0, 'phq9-5': 1, 'phq9-6': 2, 'phq9-7': 0, 'phq9-8': 1, 'phq9-9': 1 };
    const english = buildResponse(phq9, answers);
    const spanish = { ...buildResponse({ ...phq9, questionnaire: es }, answers), language: 'es' };
    expect(spanish.item?.find((i) => i.linkId === 'phq9-2')?.answer?.[0].valueCoding?.display).toBe('Casi todos los días');
    expect(validateResponse(phq9.questionnaire, spanish).filter((i) => i.severity === 'error')).toEqual([]);
    const a = assessResponse(phq9, english);
    const b = assessResponse(phq9, spanish);
    expect(b.scores).toEqual(a.scores);
    expect(b.scores[0].value).toBe(11);
    expect(b.findings.map((f) => f.ruleId)).toEqual(a.findings.map((f) => f.ruleId));
    expect(b.findings.length).toBeGreaterThan(0);
    expect(r4SchemaErrors(b.response)).toEqual([]);
    expect(b.response.language).toBe('es');
  });

  it('translates only the version it was written for: a clinic’s new version under the same url stays in its own words', () => {
    const reworded = { ...structuredClone(phq9.questionnaire), version: '2.0.0' };
    reworded.item!.find((i) => i.linkId === 'phq9-1')!.text = 'Little interest in things you usually enjoy';
    expect(addTranslations(reworded)).toEqual(reworded);
    expect(availableLanguages(withBuiltInTranslations(reworded))).toEqual(['en']);
  });

  it('refuses a translation written for another form', () => {
    expect(() => addTranslations(phq9.questionnaire, [{ ...PHQ9_ES, items: { ...PHQ9_ES.items, 'phq9-11': 'x' } }])).toThrow(/phq9-11/);
  });
});

describe('forms without a verified Spanish wording', () => {
  it.each([['GAD-7', gad7.questionnaire], ['WHO-5', who5.questionnaire]])('%s stays whole in English', (_name, q) => {
    const shown = localize(addTranslations(q), 'es');
    expect(shown).toEqual({ questionnaire: q, language: 'en', translated: false });
    expect(availableLanguages(addTranslations(q))).toEqual(['en']);
  });
  it('PHQ-9 offers both', () => {
    expect(availableLanguages(addTranslations(phq9.questionnaire))).toEqual(['en', 'es']);
  });
  it('serves one translated copy a form version, without touching the version itself', () => {
    const q = structuredClone(phq9.questionnaire);
    const served = withBuiltInTranslations(q);
    expect(served).not.toBe(q);
    expect(withBuiltInTranslations(q)).toBe(served);
    expect(q).toEqual(phq9.questionnaire);
    expect(availableLanguages(served)).toEqual(['en', 'es']);
    availableLanguages(served).push('fr');
    expect(availableLanguages(served)).toEqual(['en', 'es']);
  });
});

describe('a person’s language from the EHR', () => {
  const lang = (code: string, preferred?: boolean) => ({ language: { coding: [{ system: 'urn:ietf:bcp:47', code }] }, ...(preferred !== undefined && { preferred }) });
  it('takes the preferred communication language', () => {
    expect(preferredLanguage({ communication: [lang('en'), lang('es-MX', true)] })).toBe('es');
    expect(preferredLanguage({ communication: [lang('es')] })).toBe('es');
  });
  it('is undefined when none is preferred among several, none is supported, or none is listed', () => {
    expect(preferredLanguage({ communication: [lang('es'), lang('en')] })).toBeUndefined();
    expect(preferredLanguage({ communication: [lang('vi', true)] })).toBeUndefined();
    expect(preferredLanguage({})).toBeUndefined();
    expect(preferredLanguage(undefined)).toBeUndefined();
  });
  it('normalises tags', () => {
    expect(['es-US', 'ES', 'es_MX', 'en-GB', 'fr', ''].map(supportedLanguage)).toEqual(['es', 'es', 'es', 'en', undefined, undefined]);
  });
});
