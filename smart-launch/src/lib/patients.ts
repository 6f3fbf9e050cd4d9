import { api, ApiError, query } from './api';
import type { PatientBannerData } from './context';

// Patients' names for lists (worklist, rosters): read from the EHR by the service, never stored here. Every
// name asked for in the same moment goes out in one call (one EHR search), and is kept for the visit.

export interface PatientLabel extends PatientBannerData {
  unavailable?: 'not-found' | 'no-name';
}

/** A name, or why there is none (shown as "Name unavailable" with this hint, never as the id). */
export type ShownName = { name: string } | { name: null; why: string; retry: boolean };

const BATCH = 50;
const cache = new Map<string, Promise<ShownName>>();
let pending = new Map<string, (n: ShownName) => void>();
let timer: ReturnType<typeof setTimeout> | undefined;

function fromLabel(l: PatientLabel | undefined): ShownName {
  if (l?.name) return { name: l.name };
  if (l?.unavailable === 'no-name') return { name: null, why: 'no name recorded in the EHR', retry: false };
  return { name: null, why: 'the EHR has no record of this patient', retry: false };
}

function fromError(e: unknown): ShownName {
  const code = e instanceof ApiError ? e.outcome.issue[0]?.details?.coding?.[0]?.code : undefined;
  if (code === 'AUTH.PATIENT_NOT_IN_CONTEXT') return { name: null, why: 'not the patient open in your EHR', retry: false };
  if (code === 'FHIR.FORBIDDEN') return { name: null, why: 'the EHR does not let you see it', retry: false };
  return { name: null, why: 'the EHR did not answer; reload to try again', retry: true };
}

async function flush(): Promise<void> {
  const batch = pending;
  pending = new Map();
  timer = undefined;
  const ids = [...batch.keys()];
  for (let i = 0; i < ids.length; i += BATCH) {
    const chunk = ids.slice(i, i + BATCH);
    try {
      const labels = await api.get<PatientLabel[]>(`/api/patients${query({ ids: chunk.join(',') })}`);
      for (const id of chunk) batch.get(id)!(fromLabel(labels.find((l) => l.id === id)));
    } catch (e) {
      const shown = fromError(e);
      for (const id of chunk) {
        if (shown.name === null && shown.retry) cache.delete(id);
        batch.get(id)!(shown);
      }
    }
  }
}

/** The name of a patient the user may see; names asked for together are fetched together. */
export function patientName(id: string): Promise<ShownName> {
  let p = cache.get(id);
  if (!p) {
    p = new Promise<ShownName>((resolve) => pending.set(id, resolve));
    cache.set(id, p);
    timer ??= setTimeout(() => void flush(), 0);
  }
  return p;
}
