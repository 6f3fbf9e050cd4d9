import type { FhirResource } from 'fhir/r4.js';
import { DomainError } from '../../common/errors/domain-error.js';
import type { FhirConnection } from '../../fhir/fhir-connection.js';
import type { FhirGateway } from '../../fhir/fhir-gateway.js';

/** Ids per FHIR search: keeps the URL short enough for any EHR. */
export const IDS_PER_SEARCH = 50;

/** How long a label (and the banner of `GET /api/context`) is reused within one session. */
export const LABEL_TTL_MS = 60_000;
const TTL_MS = LABEL_TTL_MS;
const MAX_ENTRIES = 5_000;

/**
 * Labels (names for lists) kept for a minute per session: never stored, never shared across sessions, since
 * what one user's token may read says nothing about another's.
 */
export class SessionLabelCache<L> {
  private readonly cache = new Map<string, { at: number; label: L }>();

  /** Labels in the order asked; only the keys not cached are fetched (and remembered). */
  async labels(sessionId: string, keys: string[], now: number, fetch: (missing: string[]) => Promise<Map<string, L>>): Promise<L[]> {
    const wanted = [...new Set(keys)];
    const found = new Map<string, L>();
    for (const key of wanted) {
      const hit = this.cache.get(`${sessionId}|${key}`);
      if (hit && now - hit.at < TTL_MS) found.set(key, hit.label);
    }
    const missing = wanted.filter((key) => !found.has(key));
    if (missing.length) {
      for (const [key, label] of await fetch(missing)) {
        found.set(key, label);
        this.remember(`${sessionId}|${key}`, label, now);
      }
    }
    return wanted.map((key) => found.get(key)!);
  }

  private remember(key: string, label: L, now: number): void {
    if (this.cache.size >= MAX_ENTRIES) {
      for (const [k, v] of this.cache) if (now - v.at >= TTL_MS || this.cache.size >= MAX_ENTRIES) this.cache.delete(k);
    }
    this.cache.set(key, { at: now, label });
  }
}

/**
 * Resources of one type by id, as labels: a single id is read (a read scope may not allow a search), several
 * are searched at once (`_id=a,b,c`, in batches). An id the EHR does not know gets `none(id)`; an EHR refusal
 * (403) or outage throws, as one read would.
 */
export async function labelsById<R extends FhirResource, L>(
  fhir: FhirGateway,
  conn: FhirConnection,
  type: R['resourceType'],
  ids: string[],
  toLabel: (r: R & { id: string }) => L,
  none: (id: string) => L,
): Promise<Map<string, L>> {
  const out = new Map<string, L>();
  for (let i = 0; i < ids.length; i += IDS_PER_SEARCH) {
    const chunk = ids.slice(i, i + IDS_PER_SEARCH);
    if (chunk.length === 1) {
      try {
        out.set(chunk[0], toLabel({ ...(await fhir.read<R>(conn, type, chunk[0])), id: chunk[0] }));
      } catch (err) {
        if (!(err instanceof DomainError && err.code === 'COMMON.NOT_FOUND')) throw err;
        out.set(chunk[0], none(chunk[0]));
      }
      continue;
    }
    const bundle = await fhir.search(conn, type, { _id: chunk.join(','), _count: String(chunk.length) });
    for (const e of bundle.entry ?? []) {
      const r = e.resource;
      if (r?.resourceType === type && r.id && chunk.includes(r.id)) out.set(r.id, toLabel(r as R & { id: string }));
    }
    for (const id of chunk) if (!out.has(id)) out.set(id, none(id));
  }
  return out;
}
