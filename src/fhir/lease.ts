/**
 * When a worker must renew its claim of an outbox entry in the database. Pure: no framework, and the clock is the
 * caller's (monotonic milliseconds, e.g. performance.now()).
 *
 * The claim statement sets `locked_until = now() + leaseMs` in the database's time, and `claimedAt` is read before
 * that statement is sent, so `claimedAt + leaseMs` never ends later than the lease the database holds. While more
 * than half of it is left, no other worker can take the entry (a claim needs `locked_until < now()`) and nothing else
 * changes an in-flight row (an admin retries dead entries only; every worker write is fenced), so the check before a
 * request needs no round trip. The worker's lease is at least 2 × FHIR_TIMEOUT_MS + 5 s, so half of it outlasts any
 * one request: a request started with more than half left ends before the lease does.
 */
export class Lease {
  private until: number;

  constructor(
    private readonly leaseMs: number,
    claimedAt: number,
  ) {
    this.until = claimedAt + leaseMs;
  }

  /** More than half the lease is left at `now`: the entry is still ours without asking the database. */
  ample(now: number): boolean {
    return now < this.until - this.leaseMs / 2;
  }

  /** The database renewed it; `askedAt` is when the renewal was sent (read before it, as `claimedAt`). */
  renewed(askedAt: number): void {
    this.until = askedAt + this.leaseMs;
  }
}
