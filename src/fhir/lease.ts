/**
 * When a worker must renew its claim of an outbox entry in the database. Pure: no framework, and the clock is the
 * caller's (monotonic milliseconds, e.g. performance.now()).
 *
 * The claim statement sets `locked_until = statement_timestamp() + leaseMs` in the database's time, and `claimedAt` is read before
 * that statement is sent, so `claimedAt + leaseMs` never ends later than the lease the database holds. While more
 * than `marginMs` of it is left, no other worker can take the entry (a claim needs `locked_until < statement_timestamp()`) and
 * nothing else changes an in-flight row (an admin retries dead entries only; every worker write is fenced), so the
 * check before a request needs no round trip. The worker's margin is FHIR_TIMEOUT_MS + 10 s: a request started with
 * more than that left ends (or times out) before the lease does, with room for the event loop of a busy process.
 * The worker's lease is at least twice the margin, so a claim or a renewal is followed by at least one margin's
 * worth of requests without asking the database.
 */
export class Lease {
  private until: number;

  constructor(
    private readonly leaseMs: number,
    claimedAt: number,
    private readonly marginMs: number,
  ) {
    this.until = claimedAt + leaseMs;
  }

  /** More than the margin is left at `now`: the entry is still ours without asking the database. */
  ample(now: number): boolean {
    return now < this.until - this.marginMs;
  }

  /** The database renewed it; `askedAt` is when the renewal was sent (read before it, as `claimedAt`). */
  renewed(askedAt: number): void {
    this.until = askedAt + this.leaseMs;
  }
}
