import { useEffect, useState } from 'preact/hooks';
import { api } from '../../lib/api';
import type { PatientBannerData } from '../../lib/context';

// Names are read from the EHR per patient (banner data); they are cached for the visit, never stored.
const cache = new Map<string, Promise<PatientBannerData | null>>();

export function PatientName({ id }: { id: string }) {
  const [name, setName] = useState<string | null>(null);
  useEffect(() => {
    if (!cache.has(id)) cache.set(id, api.get<PatientBannerData>(`/api/patients/${encodeURIComponent(id)}`).catch(() => null));
    void cache.get(id)!.then((p) => setName(p?.name ?? null));
  }, [id]);
  return <span>{name ?? `Patient ${id}`}</span>;
}
