import type { AuditReadSpec } from './audit-read.metadata.js';
import { canonicalPatientId } from './patient-id.js';

/** What of a request the patient sources read. */
export interface ReadRequest {
  params?: Record<string, unknown>;
  query?: unknown;
  user?: { patientId: string | null };
}

/**
 * The patients a query names are bounded, in all (a list, a repeated parameter `?a=1&a=2…`, or both): the routes
 * accept at most 100, and a request refused for naming more must not become more audit rows.
 */
const MAX_LISTED = 100;

function add(out: Set<string>, value: unknown): void {
  const id = canonicalPatientId(value);
  if (id) out.add(id);
}

function values(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [value];
}

/** The patients the request itself names (route or query parameter, the session's patient): known even on failure. */
export function requestPatients(spec: Pick<AuditReadSpec, 'patients'>, req: ReadRequest, out = new Set<string>()): Set<string> {
  const query = (req.query ?? {}) as Record<string, unknown>;
  let listed = 0;
  for (const source of spec.patients) {
    if (source === 'shown') continue;
    if (source === 'session') add(out, req.user?.patientId);
    else if ('param' in source) add(out, req.params?.[source.param]);
    else if ('query' in source) {
      for (const v of values(query[source.query])) {
        if (typeof v !== 'string') continue;
        for (const item of source.list ? v.split(',') : [v]) {
          if (listed++ >= MAX_LISTED) break;
          add(out, item);
        }
      }
    }
  }
  return out;
}

const SHOWN = Symbol('als:audit-shown-patients');

/**
 * A handler whose answer shows patient-level data without naming the patient (a caregiver's name and relationship,
 * an EHR's error text) tells the audit whose it is here; a route reads them with the `'shown'` patient source.
 * Nothing of it reaches the client.
 */
export function showsPatients(req: object, patients: Iterable<unknown>): void {
  const r = req as { [SHOWN]?: unknown[] };
  (r[SHOWN] ??= []).push(...patients);
}

/** The patients the handler declared with `showsPatients` so far (also when it then failed). */
export function declaredPatients(spec: Pick<AuditReadSpec, 'patients'>, req: object, out = new Set<string>()): Set<string> {
  if (!spec.patients.includes('shown')) return out;
  for (const v of (req as { [SHOWN]?: unknown[] })[SHOWN] ?? []) add(out, v);
  return out;
}

/** The patients whose data the handler's answer holds: in the answer itself, or declared with `showsPatients`. */
export function resultPatients(spec: Pick<AuditReadSpec, 'patients'>, body: unknown, out = new Set<string>(), req?: object): Set<string> {
  for (const source of spec.patients) {
    if (source === 'shown') {
      for (const v of (req as { [SHOWN]?: unknown[] } | undefined)?.[SHOWN] ?? []) add(out, v);
      continue;
    }
    if (typeof source !== 'object' || !('result' in source)) continue;
    if (typeof source.result === 'function') {
      const found = (source.result as (b: unknown) => unknown)(body);
      for (const v of found !== null && typeof found === 'object' && Symbol.iterator in found ? (found as Iterable<unknown>) : [found]) add(out, v);
      continue;
    }
    const field = source.result;
    for (const item of values(body)) {
      if (item !== null && typeof item === 'object') add(out, (item as Record<string, unknown>)[field]);
    }
  }
  return out;
}
