import type { Reference } from 'fhir/r4.js';
import type { BusinessIdentifier } from './business-identifier.js';
import { FHIR_ID } from './ids.js';

// FHIR references: read from text we hold (`Patient/1`) and built for the resources we write. Pure.

/** `Patient/p-1` → `{ type: 'Patient', id: 'p-1' }`; null for anything but a relative `<Type>/<FHIR id>`. */
export function parseReference(reference: string | null | undefined): { type: string; id: string } | null {
  const [type, id, ...rest] = (reference ?? '').split('/');
  return rest.length === 0 && /^[A-Z][A-Za-z]+$/.test(type) && id !== undefined && FHIR_ID.test(id) ? { type, id } : null;
}

/** A relative reference we hold as text (`Patient/1`, `RelatedPerson/2`) as a typed FHIR Reference. */
export function ref(reference: string): Reference {
  return { reference, type: reference.split('/')[0] };
}

/** The patient as a relative reference (`Patient/<id>`). */
export function patientRef(patientId: string, display?: string): Reference {
  return { reference: `Patient/${patientId}`, ...(display ? { display } : {}) };
}

/**
 * A reference to a resource another outbox entry writes (under another ordering key, or in another Bundle), by
 * its business identifier: the EHR id is unknown when we build the Bundle, and that entry may not be delivered yet.
 */
export function logicalRef(type: string, id: BusinessIdentifier, display?: string): Reference {
  return { type, identifier: { system: id.system, value: id.value }, ...(display ? { display } : {}) };
}
