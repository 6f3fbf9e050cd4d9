// FHIR resource ids and relative references as text: the one pattern. It lives on the lowest floor so that the
// frame (audit/, config/) can use it too; src/fhir/ids.ts re-exports it for the features, and the browser app
// imports this file (alias `@fhir-id` in smart-launch/vite.config.ts and its tsconfig.json). Pure: no Node-only
// module, no framework, no import.

/** One character of a FHIR id (R4 `id`): a letter, a digit, `-` or `.` — as a pattern source. */
export const FHIR_ID_CHAR = '[A-Za-z0-9\\-.]';

/** An EHR resource id as FHIR allows it: those characters, at most 64 — as a pattern source. */
export const FHIR_ID_SOURCE = `${FHIR_ID_CHAR}{1,64}`;

/** A whole string that is a FHIR id. */
export const FHIR_ID = new RegExp(`^${FHIR_ID_SOURCE}$`);

export function isFhirId(value: unknown): value is string {
  return typeof value === 'string' && FHIR_ID.test(value);
}

/**
 * A relative reference `<Type>/<id>` to one of `types`, whole string: group 1 is the type, group 2 the id.
 * `referencePattern('Patient', 'RelatedPerson')` matches `Patient/p-1` and `RelatedPerson/rp.2`.
 */
export function referencePattern(...types: [string, ...string[]]): RegExp {
  return new RegExp(`^(${types.join('|')})/(${FHIR_ID_SOURCE})$`);
}
