import type { Patient, RelatedPerson } from 'fhir/r4.js';
import { supportedLanguage, type SupportedLanguage } from './translate.js';

/**
 * The language a person prefers, from the EHR: Patient/RelatedPerson.communication with preferred = true
 * (its language coded in BCP-47, urn:ietf:bcp:47), else their only listed language. Undefined when the record
 * names none the module supports — then the person's own choice, or English, applies.
 */
export function preferredLanguage(person: Pick<Patient | RelatedPerson, 'communication'> | undefined): SupportedLanguage | undefined {
  const list = person?.communication ?? [];
  const candidates = [...list.filter((c) => c.preferred === true), ...(list.length === 1 ? list : [])];
  for (const c of candidates) {
    for (const coding of c.language?.coding ?? []) {
      if (coding.system !== undefined && coding.system !== 'urn:ietf:bcp:47') continue;
      const lang = supportedLanguage(coding.code);
      if (lang) return lang;
    }
  }
  return undefined;
}
