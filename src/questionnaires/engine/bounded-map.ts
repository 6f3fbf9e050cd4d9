/**
 * A Map that keeps at most `limit` entries, dropping the oldest inserted first. Hand-written (a dozen lines): the engine
 * is bundled into the browser's player and may import nothing but FHIR types and fhirpath.js (engine-boundary.spec),
 * and its caches are keyed by expression text, where first in, first out is enough — a form's save path checks that its
 * own expressions are still cached (precompile.ts) rather than relying on recency.
 */
export class BoundedMap<K, V> extends Map<K, V> {
  constructor(private limit: number) {
    super();
  }

  /** A new limit; entries over it go at the next insertion of a new key. */
  resize(limit: number): void {
    this.limit = limit;
  }

  override set(key: K, value: V): this {
    if (!this.has(key)) while (this.size >= this.limit && this.size > 0) this.delete(this.keys().next().value as K);
    return super.set(key, value);
  }
}
