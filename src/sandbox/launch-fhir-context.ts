import { referencePattern } from '../fhir/ids.js';

/**
 * SMART App Launch 2.2 `fhirContext` items the sandbox's launcher can put into a launch: what `/sandbox/launch`
 * accepts as `fhirContext=` (repeatable) and the token endpoint answers with. Pure; the launch service checks
 * that a referenced resource exists.
 */
export type SandboxFhirContextItem = { canonical: string; type: 'Questionnaire' } | { reference: string };

/** How many items one launch may carry (the launcher is a development tool, not a bulk API). */
export const MAX_FHIR_CONTEXT_ITEMS = 5;

// A canonical: an absolute http(s) URL, optionally `|version` (FHIR's canonical with version).
const CANONICAL = /^https?:\/\/[^\s|]{1,400}(\|[A-Za-z0-9.\-_+]{1,64})?$/;
// A relative reference to a resource the sandbox serves (SMART 2.2: `reference` is relative).
const REFERENCE = referencePattern('Task', 'Questionnaire');

/** Parses the launcher's `fhirContext` values; a value that is neither a canonical nor a Task/Questionnaire reference is an error. */
export function parseFhirContextParam(value: unknown): { items: SandboxFhirContextItem[]; error?: string } {
  // The launcher's form sends an empty field when no form is chosen: no context, not an error.
  const values = (Array.isArray(value) ? value : value === undefined ? [] : [value]).map((v) => (typeof v === 'string' ? v.trim() : '?')).filter((v) => v !== '');
  if (values.length > MAX_FHIR_CONTEXT_ITEMS) return { items: [], error: `At most ${MAX_FHIR_CONTEXT_ITEMS} fhirContext values.` };
  const items: SandboxFhirContextItem[] = [];
  for (const v of values) {
    // A control character (NUL: PostgreSQL's jsonb refuses it; URL.canParse('http://a/\\0') is true) is an error.
    // eslint-disable-next-line no-control-regex -- matching control characters is the point
    if (/[\x00-\x1f\x7f]/.test(v)) return { items: [], error: 'fhirContext must not contain control characters.' };
    if (REFERENCE.test(v)) items.push({ reference: v });
    else if (CANONICAL.test(v) && URL.canParse(v.split('|')[0])) items.push({ canonical: v, type: 'Questionnaire' });
    else return { items: [], error: 'fhirContext must be a Questionnaire canonical (https://…|version) or a Task/… or Questionnaire/… reference.' };
  }
  return { items };
}
