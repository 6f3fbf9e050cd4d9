/**
 * Rewrites every `reference` whose value is a key of `map` (a transaction's `urn:uuid:` fullUrls) to the
 * `Type/id` it resolved to. Returns a new value; the input is left untouched.
 */
export function rewriteReferences<T>(value: T, map: ReadonlyMap<string, string>): T {
  if (Array.isArray(value)) return value.map((v) => rewriteReferences(v, map)) as T;
  if (!value || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    out[key] = key === 'reference' && typeof v === 'string' && map.has(v) ? map.get(v) : rewriteReferences(v, map);
  }
  return out as T;
}
