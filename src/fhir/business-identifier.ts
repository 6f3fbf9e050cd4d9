import { createHash } from 'node:crypto';
import type { FhirResource, Reference } from 'fhir/r4.js';

/** Every identifier this module gives the resources it writes lives under this base: `<base>/<kind>`. */
export const IDENTIFIER_BASE = 'https://als-wellness.example.org/fhir/id';

/** The stable identifier that makes a write idempotent (conditional create / update on it). */
export interface BusinessIdentifier {
  system: string;
  value: string;
}

const KIND = /^[a-z][a-z0-9-]{0,62}$/;
// Values and systems go into a search URL unescaped: keep them to characters that need no escaping there.
const VALUE = /^[A-Za-z0-9._:/-]{1,200}$/;
const SYSTEM = /^(https?:\/\/|urn:)[A-Za-z0-9._:/-]+$/;

/** `businessIdentifier('service-request', referralId)` → `{system: <base>/service-request, value}`. */
export function businessIdentifier(kind: string, value: string): BusinessIdentifier {
  if (!KIND.test(kind)) throw new Error(`Identifier kind must be lower-case kebab-case, got '${kind}'`);
  return assertSafe({ system: `${IDENTIFIER_BASE}/${kind}`, value });
}

export function assertSafe(id: BusinessIdentifier): BusinessIdentifier {
  if (!SYSTEM.test(id.system)) throw new Error(`Identifier system is not a plain URI: '${id.system}'`);
  if (!VALUE.test(id.value)) throw new Error('Identifier value must be 1–200 characters of A–Z a–z 0–9 . _ : / -');
  return id;
}

/** The app itself as a Provenance agent, for writes no person made (a logical reference: no server id needed). */
export const APP_DEVICE: Reference = {
  type: 'Device',
  identifier: { system: `${IDENTIFIER_BASE}/device`, value: 'als-wellness-care-module' },
  display: 'ALS wellness care module',
};

/**
 * The entry's `fullUrl`: a name-based UUID (RFC 9562 version 5) of `system|value`, so a feature can
 * reference another entry of the same Bundle before the Bundle is built, and a rebuilt Bundle is identical.
 */
export function fullUrlOf(id: BusinessIdentifier): string {
  const namespace = Buffer.from('6ba7b8119dad11d180b400c04fd430c8', 'hex'); // the RFC's URL namespace
  const h = createHash('sha1').update(namespace).update(`${id.system}|${id.value}`).digest();
  h[6] = (h[6] & 0x0f) | 0x50;
  h[8] = (h[8] & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `urn:uuid:${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

/** A reference to another entry of the Bundle being built. */
export function referenceTo(id: BusinessIdentifier, display?: string): Reference {
  return { reference: fullUrlOf(id), ...(display ? { display } : {}) };
}

// R4 resources whose `identifier` is a single Identifier, and those that have none (they carry a meta.tag).
const SINGLE = new Set(['QuestionnaireResponse', 'Composition', 'Bundle']);
const NONE = new Set(['Provenance', 'AuditEvent', 'Binary', 'Parameters']);

/** Puts the identifier on the resource and returns the search that finds it again (for ifNoneExist / PUT). */
export function stampIdentifier(resource: FhirResource, id: BusinessIdentifier): string {
  assertSafe(id);
  const r = resource as unknown as Record<string, unknown> & { meta?: { tag?: { system?: string; code?: string }[] } };
  if (NONE.has(resource.resourceType)) {
    const tags = (r.meta?.tag ?? []).filter((t) => t.system !== id.system);
    r.meta = { ...r.meta, tag: [...tags, { system: id.system, code: id.value }] };
    return `_tag=${id.system}|${id.value}`;
  }
  if (SINGLE.has(resource.resourceType)) {
    r.identifier = { system: id.system, value: id.value };
  } else {
    const others = ((r.identifier as BusinessIdentifier[] | undefined) ?? []).filter((i) => i.system !== id.system);
    r.identifier = [...others, { system: id.system, value: id.value }];
  }
  return `identifier=${id.system}|${id.value}`;
}
