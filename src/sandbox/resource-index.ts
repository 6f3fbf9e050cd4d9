import type { Resource } from 'fhir/r4.js';
import { FHIR_ID_SOURCE } from '../common/fhir-id.js';
import { parseFhirDate } from './fhir-date.js';

/** The columns that make searches cheap, extracted from a resource when it is written. */
export interface ResourceIndex {
  /** `Patient/<id>` whose compartment the resource belongs to (a Patient's own reference for Patients). */
  patientRef: string | null;
  /** `param=Type/id` for each reference search parameter, e.g. `subject=Patient/sbx-pat-1`. */
  refs: string[];
  /** The resource's main date (see MAIN_DATES), used by the `date` search parameter. */
  mainDate: Date | null;
}

type Json = Record<string, unknown>;

/** Reference search parameters and the elements they read. */
const REFERENCE_PARAMS: Record<string, string> = { subject: 'subject', focus: 'focus', 'based-on': 'basedOn', encounter: 'encounter' };
/** Elements that put a resource in a patient's compartment, in order of preference. */
const PATIENT_ELEMENTS = ['subject', 'patient', 'beneficiary', 'for'];
/** Element paths of the "main date", first present wins; meta.lastUpdated is the fallback. */
const MAIN_DATES = [['authored'], ['effectiveDateTime'], ['effectiveInstant'], ['effectivePeriod', 'start'], ['start'], ['authoredOn'], ['period', 'start'], ['occurrenceDateTime'], ['meta', 'lastUpdated']];

/** `Type/id`, optionally with `/_history/<version>`: group 1 is the type, group 2 the id. */
const RELATIVE_REFERENCE = new RegExp(`^([A-Z][A-Za-z]+)/(${FHIR_ID_SOURCE})(?:/_history/[^/]+)?$`);

/** `Type/id` for a relative or same-server absolute reference; undefined for anything else (urn:, contained, foreign). */
export function normalizeReference(reference: unknown, issuer: string): string | undefined {
  if (typeof reference !== 'string') return undefined;
  const rel = reference.startsWith(`${issuer}/`) ? reference.slice(issuer.length + 1) : reference;
  const m = RELATIVE_REFERENCE.exec(rel);
  return m ? `${m[1]}/${m[2]}` : undefined;
}

function referencesAt(resource: Json, element: string, issuer: string): string[] {
  const value = resource[element];
  const list = Array.isArray(value) ? value : value ? [value] : [];
  return list.map((r) => normalizeReference((r as Json)?.reference, issuer)).filter((r): r is string => !!r);
}

function at(resource: Json, path: string[]): unknown {
  return path.reduce<unknown>((v, key) => (v && typeof v === 'object' ? (v as Json)[key] : undefined), resource);
}

export function indexResource(resource: Resource, issuer: string): ResourceIndex {
  const r = resource as unknown as Json;
  const refs = new Set<string>();
  for (const [param, element] of Object.entries(REFERENCE_PARAMS)) {
    for (const ref of referencesAt(r, element, issuer)) refs.add(`${param}=${ref}`);
  }
  const participants = Array.isArray(r.participant) ? (r.participant as Json[]).flatMap((p) => referencesAt(p, 'actor', issuer)) : [];
  const patients = [...PATIENT_ELEMENTS.flatMap((e) => referencesAt(r, e, issuer)), ...participants].filter((ref) => ref.startsWith('Patient/'));
  for (const ref of patients) refs.add(`patient=${ref}`);

  const patientRef = resource.resourceType === 'Patient' && resource.id ? `Patient/${resource.id}` : (patients[0] ?? null);
  const date = MAIN_DATES.map((p) => at(r, p)).find((v): v is string => typeof v === 'string');
  return { patientRef, refs: [...refs].sort(), mainDate: date ? (parseFhirDate(date)?.from ?? null) : null };
}
