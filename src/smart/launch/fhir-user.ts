import { FHIR_ID_SOURCE } from '../../fhir/ids.js';

const FHIR_USER = new RegExp(`(?:^|/)(Practitioner|PractitionerRole|Patient|RelatedPerson)/(${FHIR_ID_SOURCE})(?:/_history/[^/]+)?$`);

export type FhirUserType = 'Practitioner' | 'PractitionerRole' | 'Patient' | 'RelatedPerson';

/**
 * The id_token's `fhirUser` is an absolute (or relative) URL of a Practitioner, Patient, RelatedPerson …
 * We keep the relative `Type/id`; anything else is refused.
 */
export function parseFhirUser(value: unknown): { type: FhirUserType; id: string; reference: string } | null {
  if (typeof value !== 'string' || value.length > 1024) return null;
  const m = FHIR_USER.exec(value);
  if (!m) return null;
  const type = m[1] as FhirUserType;
  return { type, id: m[2], reference: `${type}/${m[2]}` };
}
