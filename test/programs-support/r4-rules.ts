import { r4SchemaErrors } from '../support/fhir-r4-schema.js';

type Json = Record<string, unknown>;

/** Elements R4 requires (min 1) that the JSON schema does not enforce, for every kind of resource we write. */
const REQUIRED: Record<string, string[]> = {
  ServiceRequest: ['status', 'intent', 'subject'],
  Task: ['status', 'intent'],
  CarePlan: ['status', 'intent', 'subject'],
  CareTeam: [],
  Appointment: ['status', 'participant'],
  Encounter: ['status', 'class'],
  PlanDefinition: ['status'],
  Provenance: ['target', 'recorded', 'agent'],
  QuestionnaireResponse: ['status'],
  Observation: ['status', 'code'],
  Communication: ['status'],
};

const missing = (r: Json, k: string): boolean => r[k] === undefined || (Array.isArray(r[k]) && !(r[k] as unknown[]).length);

/**
 * Problems of a resource (or a Bundle and every resource in it, contained ones included) against the R4
 * JSON schema plus the required elements and invariants the schema leaves out: Appointment app-1 / app-3,
 * participant status, Provenance agent.who. Empty when valid.
 */
export function r4Problems(resource: unknown): string[] {
  const r = resource as Json;
  const out = r4SchemaErrors(r).map((e) => `${String(r.resourceType)}: ${JSON.stringify(e).slice(0, 200)}`);
  if (r.resourceType === 'Bundle') {
    for (const e of (r.entry as { resource: Json }[] | undefined) ?? []) out.push(...r4Problems(e.resource));
    return out;
  }
  const type = String(r.resourceType);
  const required = REQUIRED[type];
  if (!required) out.push(`${type}: not a type this module writes`);
  for (const k of required ?? []) if (missing(r, k)) out.push(`${type}.${k} is required`);
  if (type === 'Appointment') {
    for (const p of (r.participant as Json[] | undefined) ?? []) {
      if (!p.status) out.push('Appointment.participant.status is required');
      if (!p.type && !p.actor) out.push('app-1: Appointment.participant needs a type or an actor');
    }
    if (!['proposed', 'cancelled', 'waitlist'].includes(String(r.status)) && (!r.start || !r.end)) out.push('app-3: start and end are required');
  }
  if (type === 'Provenance') for (const a of (r.agent as Json[] | undefined) ?? []) if (!a.who) out.push('Provenance.agent.who is required');
  for (const c of (r.contained as Json[] | undefined) ?? []) out.push(...r4Problems(c));
  return out;
}

const SURVEY = 'http://terminology.hl7.org/CodeSystem/observation-category';

/**
 * What US Core asks of the QuestionnaireResponses (must-support: questionnaire as `url|version`, status,
 * subject, authored, author) and score Observations (screening-assessment essentials: category survey,
 * status, code, subject, effectiveDateTime, a value or a dataAbsentReason (us-core-2), derivedFrom the
 * response) we write. `inBundle`: the Bundle entries' fullUrl → resourceType, to type `urn:uuid` references.
 */
export function usCoreProblems(resource: unknown, inBundle: ReadonlyMap<string, string> = new Map()): string[] {
  const r = resource as Json;
  const type = String(r.resourceType);
  const out: string[] = [];
  if (type === 'QuestionnaireResponse') {
    if (typeof r.questionnaire !== 'string' || !/^https?:\/\/[^|]+\|[^|]+$/.test(r.questionnaire)) out.push('QuestionnaireResponse.questionnaire must be a canonical url|version');
    for (const k of ['status', 'subject', 'authored', 'author']) if (missing(r, k)) out.push(`QuestionnaireResponse.${k} is must-support and known`);
  }
  if (type === 'Observation') {
    const categories = (r.category as { coding?: Json[] }[] | undefined) ?? [];
    if (!categories.some((c) => c.coding?.some((x) => x.system === SURVEY && x.code === 'survey'))) out.push('Observation.category must include survey');
    for (const k of ['status', 'code', 'subject', 'effectiveDateTime', 'derivedFrom']) if (missing(r, k)) out.push(`Observation.${k} is required here`);
    const hasValue = Object.keys(r).some((k) => k.startsWith('value')) || r.dataAbsentReason !== undefined;
    if (!hasValue && missing(r, 'component') && missing(r, 'hasMember')) out.push('us-core-2: Observation needs a value or a dataAbsentReason');
    const derived = (r.derivedFrom as Json[] | undefined) ?? [];
    const typeOf = (ref: Json) => (typeof ref.reference === 'string' ? (inBundle.get(ref.reference) ?? ref.reference.split('/')[0]) : ref.type);
    if (!derived.some((d) => typeOf(d) === 'QuestionnaireResponse')) out.push('Observation.derivedFrom must name the QuestionnaireResponse');
  }
  return out;
}
