import { referencePattern } from '@fhir-id';
import { api, query } from './api';
import { nameBatcher, type ShownName } from './name-batch';
import type { PractitionerChoice } from './users';

// Practitioners' and caregivers' names (referrer, facilitator, a caregiver at a session), read from the EHR by
// the service with the user's own token (GET /api/people), batched and kept for the visit like patients' names.

export interface PersonLabel {
  reference: string;
  name: string | null;
  /** A practitioner's qualification, a caregiver's relationship. */
  detail: string | null;
  unavailable?: 'not-found' | 'no-name' | 'forbidden';
}

export const PERSON_REF = referencePattern('Practitioner', 'RelatedPerson');

function fromLabel(l: PersonLabel | undefined): ShownName {
  if (l?.name) return { name: l.name, detail: l.detail };
  if (l?.unavailable === 'no-name') return { name: null, why: 'no name recorded in the EHR', retry: false };
  if (l?.unavailable === 'forbidden') return { name: null, why: 'the EHR does not let you see it', retry: false };
  return { name: null, why: 'the EHR has no record of this person', retry: false };
}

/** The name of a practitioner or caregiver (`Practitioner/<id>`, `RelatedPerson/<id>`). */
export const personName = nameBatcher<PersonLabel>({
  size: 100,
  fetch: (refs) => api.get<PersonLabel[]>(`/api/people${query({ refs: refs.join(',') })}`),
  keyOf: (l) => l.reference,
  shown: fromLabel,
});

/** A practitioner as staff choose one (without the app roles an admin sees). */
export type StaffPractitioner = Omit<PractitionerChoice, 'user'>;

/** The EHR's Practitioners for staff choosing a facilitator or a therapist. */
export const staffPractitioners = {
  search: (q: { name?: string; cursor?: string; count?: number }) => api.get<{ items: StaffPractitioner[]; next: string | null }>(`/api/practitioners${query(q)}`),
};
