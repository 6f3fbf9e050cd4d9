import { useEffect, useState } from 'preact/hooks';
import { patientName, type ShownName } from '../../lib/patients';

/**
 * A patient's name from the EHR. Never their id: while it loads, "Loading name…"; when the EHR gives none,
 * "Name unavailable" and why.
 */
export function PatientName({ id }: { id: string }) {
  const [shown, setShown] = useState<ShownName | null>(null);
  useEffect(() => {
    let live = true;
    setShown(null);
    void patientName(id).then((n) => live && setShown(n));
    return () => {
      live = false;
    };
  }, [id]);
  if (!shown) return <span class="patient-name loading">Loading name…</span>;
  if (shown.name !== null) return <span class="patient-name">{shown.name}</span>;
  return (
    <span class="patient-name unavailable">
      Name unavailable <span class="hint">({shown.why})</span>
    </span>
  );
}
