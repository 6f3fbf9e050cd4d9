/**
 * Signed-in sessions kept in memory for a few seconds, so that a browser's burst of API calls costs one database
 * read, not one each. Bounded (the oldest entry goes first) and short-lived: what this instance changes (logout,
 * role change, a refresh that fails, a registration change) forgets the entries at once; what another instance
 * changes is seen within the lifetime. Hand-written rather than lru-cache: besides expiry it must refuse to store
 * a load that raced with a forget (see `begin`), and forget every session of one user.
 */
export class SessionCache<V> {
  private readonly entries = new Map<string, { at: number; value: V; owner: string; generation: number }>();
  /** Moves on every forget: a load that started before it may have read what was just revoked. */
  private epoch = 0;

  constructor(
    readonly ttlMs: number,
    private readonly max: number,
  ) {}

  /** The value stored under `key`, unless older than the lifetime or stored under another `generation` of the source. */
  get(key: string, now: number, generation: number): V | undefined {
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    if (now - hit.at >= this.ttlMs || hit.generation !== generation) {
      this.entries.delete(key);
      return undefined;
    }
    return hit.value;
  }

  /** Call before reading the source; pass the answer to `set`, which then stores only if nothing was forgotten meanwhile. */
  begin(): number {
    return this.epoch;
  }

  set(key: string, owner: string, value: V, now: number, generation: number, begun: number): void {
    if (begun !== this.epoch) return;
    this.entries.delete(key);
    if (this.entries.size >= this.max) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(key, { at: now, value, owner, generation });
  }

  forget(key: string): void {
    this.epoch++;
    this.entries.delete(key);
  }

  /** Every entry of one owner (a user whose sessions were ended). */
  forgetOwner(owner: string): void {
    this.epoch++;
    for (const [key, e] of this.entries) if (e.owner === owner) this.entries.delete(key);
  }

  clear(): void {
    this.epoch++;
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}
