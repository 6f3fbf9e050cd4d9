import { referencePattern } from '@fhir-id';
import { useEffect, useState } from 'preact/hooks';
import type { ShownName } from '../../lib/name-batch';
import { PERSON_REF, personName } from '../../lib/people';
import { PatientName } from './PatientName';

const PATIENT_REF = referencePattern('Patient');

/**
 * Anyone a staff screen names by reference (referrer, facilitator, caregiver; a patient through PatientName),
 * from the EHR. Never the reference itself: "Loading name…" while it loads, "Name unavailable" and why.
 * With `detail`, what they are follows the name: "Harper Synthetic (Music therapist)".
 */
export function PersonName({ reference, detail = false }: { reference: string; detail?: boolean }) {
  const patient = PATIENT_REF.exec(reference)?.[2];
  if (patient) return <PatientName id={patient} />;
  return <Person reference={reference} detail={detail} />;
}

function Person({ reference, detail }: { reference: string; detail: boolean }) {
  const [shown, setShown] = useState<ShownName | null>(null);
  useEffect(() => {
    let live = true;
    setShown(null);
    if (!PERSON_REF.test(reference)) setShown({ name: null, why: 'not a person in the EHR', retry: false });
    else void personName(reference).then((n) => live && setShown(n));
    return () => {
      live = false;
    };
  }, [reference]);
  if (!shown) return <span class="person-name loading">Loading name…</span>;
  if (shown.name !== null) {
    return (
      <span class="person-name">
        {shown.name}
        {detail && shown.detail ? ` (${shown.detail})` : ''}
      </span>
    );
  }
  return (
    <span class="person-name unavailable">
      Name unavailable <span class="hint">({shown.why})</span>
    </span>
  );
}
