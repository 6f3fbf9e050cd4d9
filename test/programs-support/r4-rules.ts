import { r4SchemaErrors } from '../support/fhir-r4-schema.js';

type Json = Record<string, unknown>;

/** Elements R4 requires (min 1) that the JSON schema does not enforce, for the resources programs write. */
const REQUIRED: Record<string, string[]> = {
  ServiceRequest: ['status', 'intent', 'subject'],
  Task: ['status', 'intent'],
  CarePlan: ['status', 'intent', 'subject'],
  CareTeam: [],
  Appointment: ['status', 'participant'],
  Encounter: ['status', 'class'],
  PlanDefinition: ['status'],
  Provenance: ['target', 'recorded', 'agent'],
};

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
  if (!required) out.push(`${type}: not a type the programs module writes`);
  for (const k of required ?? []) if (r[k] === undefined || (Array.isArray(r[k]) && !(r[k] as unknown[]).length)) out.push(`${type}.${k} is required`);
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
