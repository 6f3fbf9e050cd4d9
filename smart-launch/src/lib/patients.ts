import { api, query } from './api';
import type { PatientBannerData } from './context';
import { nameBatcher, type ShownName } from './name-batch';

// Patients' names for lists (worklist, rosters): read from the EHR by the service, never stored here. Every
// name asked for in the same moment goes out in one call (one EHR search), and is kept for the visit.

export type { ShownName } from './name-batch';

export interface PatientLabel extends PatientBannerData {
  unavailable?: 'not-found' | 'no-name';
}

function fromLabel(l: PatientLabel | undefined): ShownName {
  if (l?.name) return { name: l.name };
  if (l?.unavailable === 'no-name') return { name: null, why: 'no name recorded in the EHR', retry: false };
  return { name: null, why: 'the EHR has no record of this patient', retry: false };
}

/** The name of a patient the user may see; names asked for together are fetched together. */
export const patientName = nameBatcher<PatientLabel>({
  size: 50,
  fetch: (ids) => api.get<PatientLabel[]>(`/api/patients${query({ ids: ids.join(',') })}`),
  keyOf: (l) => l.id,
  shown: fromLabel,
});
