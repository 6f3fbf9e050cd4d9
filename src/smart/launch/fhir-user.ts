export type FhirUserType = 'Practitioner' | 'PractitionerRole' | 'Patient' | 'RelatedPerson';

/**
 * The id_token's `fhirUser` is an absolute (or relative) URL of a Practitioner, Patient, RelatedPerson …
 * We keep the relative `Type/id`; anything else is refused.
 */
export function parseFhirUser(value: unknown): { type: FhirUserType; id: string; reference: string } | null {
  if (typeof value !== 'string' || value.length > 1024) return null;
  const m = /(?:^|\/)(Practitioner|PractitionerRole|Patient|RelatedPerson)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[^/]+)?$/.exec(value);
  if (!m) return null;
  const type = m[1] as FhirUserType;
  return { type, id: m[2], reference: `${type}/${m[2]}` };
}
