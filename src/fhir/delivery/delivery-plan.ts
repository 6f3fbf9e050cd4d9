import type { BundleEntry, FhirResource } from 'fhir/r4.js';
import { FHIR_ID_SOURCE } from '../ids.js';

/** What the EHR answered for one entry: `Type/id` plus its version when known. */
export interface Resolved {
  type: string;
  id: string;
  version?: string;
  status: string;
}

/** Every `urn:uuid:` reference inside a resource (contained resources included). */
export function urnReferences(resource: unknown): Set<string> {
  const found = new Set<string>();
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) return v.forEach(walk);
    if (!v || typeof v !== 'object') return;
    for (const [k, child] of Object.entries(v)) {
      if (k === 'reference' && typeof child === 'string' && child.startsWith('urn:uuid:')) found.add(child);
      else walk(child);
    }
  };
  walk(resource);
  return found;
}

/**
 * The entries in dependency order: an entry comes after every entry of the Bundle it references, otherwise in
 * Bundle order (stable). Needed as soon as a Bundle is sent in pieces: a piece can only reference what an
 * earlier piece created. Throws on a reference cycle (no order exists; our mappers never build one).
 */
export function dependencyOrder(entries: readonly BundleEntry[]): BundleEntry[] {
  const index = new Map(entries.map((e, i) => [e.fullUrl, i]));
  const needs = entries.map((e) => [...urnReferences(e.resource)].map((u) => index.get(u)).filter((i): i is number => i !== undefined));
  const done = new Set<number>();
  const out: BundleEntry[] = [];
  while (out.length < entries.length) {
    // The first entry (in Bundle order) whose dependencies are all placed; O(n²), Bundles are small.
    const next = entries.findIndex((_, i) => !done.has(i) && needs[i].every((d) => d === i || done.has(d)));
    if (next < 0) throw new Error('The Bundle has a reference cycle; it cannot be sent in pieces');
    done.add(next);
    out.push(entries[next]);
  }
  return out;
}

/** Consecutive pieces of at most `max` entries (order kept). */
export function chunks<T>(items: readonly T[], max: number | null): T[][] {
  if (!max || max >= items.length) return [items.slice()];
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += max) out.push(items.slice(i, i + max));
  return out;
}

/** A copy of the resource with every `urn:uuid:` reference that was already resolved replaced by `Type/id`. */
export function rewriteReferences<T extends FhirResource>(resource: T, resolved: ReadonlyMap<string, Resolved>): T {
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (!v || typeof v !== 'object') return v;
    const out: Record<string, unknown> = {};
    for (const [k, child] of Object.entries(v)) {
      const hit = k === 'reference' && typeof child === 'string' ? resolved.get(child) : undefined;
      out[k] = hit ? `${hit.type}/${hit.id}` : walk(child);
    }
    return out;
  };
  return walk(resource) as T;
}

const LOCATION = new RegExp(`(?:^|/)([A-Z][A-Za-z]+)/(${FHIR_ID_SOURCE})(?:/_history/(${FHIR_ID_SOURCE}))?/?$`);

/** `Patient/1/_history/2`, or an absolute URL ending so → type, id, version. */
export function parseLocation(location: string | undefined | null): Pick<Resolved, 'type' | 'id' | 'version'> | undefined {
  const m = location && LOCATION.exec(location);
  if (!m) return undefined;
  return { type: m[1], id: m[2], ...(m[3] ? { version: m[3] } : {}) };
}

/** `If-None-Exist` / conditional-URL query (`identifier=s|v`) as search parameters. */
export function searchParamsOf(query: string): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(query));
}

/**
 * Does the resource carry what an `identifier=system|value` or `_tag=system|code` search asked for? A search hit
 * is only trusted when it does.
 */
export function carriesIdentifier(resource: FhirResource, params: Record<string, string>): boolean {
  const r = resource as { identifier?: unknown; meta?: { tag?: { system?: string; code?: string }[] } };
  const [[param, token] = []] = Object.entries(params);
  if (!param || token === undefined) return false;
  const bar = token.indexOf('|');
  if (bar < 0) return false;
  const system = token.slice(0, bar);
  const value = token.slice(bar + 1);
  if (param === '_tag') return (r.meta?.tag ?? []).some((t) => t.system === system && t.code === value);
  if (param !== 'identifier') return false;
  return ([] as { system?: string; value?: string }[]).concat((r.identifier as never) ?? []).some((i) => i.system === system && i.value === value);
}

/**
 * Splits a conditional update's URL (`Task?identifier=s|v`) into its type and query; undefined for a plain
 * `Type/id` or a create.
 */
export function conditionalUrl(url: string): { type: string; query: string } | undefined {
  const m = /^([A-Z][A-Za-z]+)\?(.+)$/.exec(url);
  return m ? { type: m[1], query: m[2] } : undefined;
}
