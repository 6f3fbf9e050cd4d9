// FHIR resource ids and relative references as text. Pure: no Node-only module, no framework (the browser app may
// import it too).

/** An EHR resource id as FHIR allows it (R4 `id`): letters, digits, `-` and `.`, at most 64 — as a pattern source. */
export const FHIR_ID_SOURCE = '[A-Za-z0-9\\-.]{1,64}';

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
