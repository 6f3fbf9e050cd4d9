import { ApiError } from './api';

// Names for lists (worklists, rosters, calendars) are read from the EHR by the service, never stored here.
// Every name asked for in the same moment goes out in one call (one EHR search), and is kept for the visit.

/** A name, or why there is none (shown as "Name unavailable" with this hint, never as the id). */
export type ShownName = { name: string; detail?: string | null } | { name: null; why: string; retry: boolean };

/** Why the service refused the whole call, in words; an outage may be retried on the next screen. */
export function whyRefused(e: unknown): ShownName {
  const code = e instanceof ApiError ? e.outcome.issue[0]?.details?.coding?.[0]?.code : undefined;
  if (code === 'AUTH.PATIENT_NOT_IN_CONTEXT') return { name: null, why: 'not the patient open in your EHR', retry: false };
  if (code === 'FHIR.FORBIDDEN' || (e instanceof ApiError && e.status === 403)) return { name: null, why: 'the EHR does not let you see it', retry: false };
  return { name: null, why: 'the EHR did not answer; reload to try again', retry: true };
}

/**
 * A batched, cached name lookup: `lookup(key)` resolves once the batch it joined (everything asked for in the
 * same tick, `size` keys a call) has come back. A failed call that may be retried is forgotten.
 */
export function nameBatcher<L>(o: { size: number; fetch(keys: string[]): Promise<L[]>; keyOf(label: L): string; shown(label: L | undefined): ShownName }) {
  const cache = new Map<string, Promise<ShownName>>();
  let pending = new Map<string, (n: ShownName) => void>();
  let timer: ReturnType<typeof setTimeout> | undefined;

  async function flush(): Promise<void> {
    const batch = pending;
    pending = new Map();
    timer = undefined;
    const keys = [...batch.keys()];
    for (let i = 0; i < keys.length; i += o.size) {
      const chunk = keys.slice(i, i + o.size);
      try {
        const labels = await o.fetch(chunk);
        for (const key of chunk) batch.get(key)!(o.shown(labels.find((l) => o.keyOf(l) === key)));
      } catch (e) {
        const shown = whyRefused(e);
        for (const key of chunk) {
          if (shown.name === null && shown.retry) cache.delete(key);
          batch.get(key)!(shown);
        }
      }
    }
  }

  return (key: string): Promise<ShownName> => {
    let p = cache.get(key);
    if (!p) {
      p = new Promise<ShownName>((resolve) => pending.set(key, resolve));
      cache.set(key, p);
      timer ??= setTimeout(() => void flush(), 0);
    }
    return p;
  };
}
