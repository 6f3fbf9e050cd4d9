import { Session } from 'node:inspector';
import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * How much the process must have grown since the last collection for a quiet spell to be worth one. A screen's
 * requests leave a megabyte or two (measured: the benchmark's pause scenario, RSS before and after a screen of four
 * requests); a burst, an export or a benchmark's load leaves tens to hundreds. A collection costs about 0.1 s of CPU,
 * and the first requests after it ran measurably slower (that scenario: a screen after a 15 s pause, median 89 ms
 * with a collection in the pause against 67 ms without): not worth paying after every click of a quiet clinic.
 */
export const MIN_GROWTH_BYTES = 32 * 2 ** 20;

/** The timer functions IdleGc uses; the spec drives them by hand. */
export interface IdleTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimers: IdleTimers = {
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref(); // never what keeps the process alive
    return t;
  },
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/**
 * One full, memory-reducing garbage collection once the service has been idle for `idleMs`.
 *
 * Why: after a burst of requests V8 keeps the garbage (and the pages it sat on) until it next needs the room; a
 * service that then sits idle keeps that memory resident for minutes (README, "Benchmarks": most of the idle RSS).
 *
 * How it stays off the request path: a request only bumps a counter (and arms the timer if none is armed); the
 * timer fires every `idleMs`, and collects only when no request started or ended since its last firing and none is
 * in flight, i.e. after between `idleMs` and `2 × idleMs` of quiet, and only when the process has grown by
 * `minGrowth` bytes (resident) since the last collection: a quiet spell after a screen or two passes without one.
 * One collection a quiet spell at most: after it (or after a spell found not worth one) the timer stays off until a
 * request that `arms` comes. Requests that do not arm (health probes) still count as activity, so
 * a probe every few seconds neither triggers a collection nor lets one run in the middle of a load.
 * Background workers (outbox, escalation) are not counted: a collection (about 0.1 s) landing in one of their
 * rounds only delays that round; they hold no request open and no lease is as short as that.
 */
export class IdleGc {
  private activity = 0;
  private seenAtLastTick = -1;
  private inFlight = 0;
  private timer: unknown;
  private due = false;
  private stopped = false;
  /**
   * The resident size after the last collection, or lower if the process shrank since by itself (0 before the first:
   * the first quiet spell collects; unchanged by a failed collection: the next quiet spell tries again).
   */
  private baseline = 0;
  /** How many collections ran (for the spec and the log). */
  collections = 0;

  constructor(
    private readonly idleMs: number,
    private readonly collect: () => Promise<void>,
    /** Told when a collection fails (it never fails a request: none is in flight). */
    private readonly onError: (err: unknown) => void = () => undefined,
    private readonly timers: IdleTimers = realTimers,
    /** The process's resident size in bytes; the spec gives its own. */
    private readonly resident: () => number = () => process.memoryUsage.rss(),
    private readonly minGrowth: number = MIN_GROWTH_BYTES,
  ) {}

  /** A request began. `arms`: it may have left garbage worth a collection once the service is idle again. */
  started(arms: boolean): void {
    this.activity++;
    this.inFlight++;
    if (arms && !this.stopped) this.due = true;
    if (this.due && this.timer === undefined) this.arm();
  }

  /** A request ended (its response finished or its client left). */
  ended(): void {
    this.activity++;
    this.inFlight = Math.max(0, this.inFlight - 1);
  }

  /** Stops the timer for good (the service is stopping): requests still draining arm nothing. */
  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
    this.due = false;
  }

  private arm(): void {
    this.seenAtLastTick = this.activity;
    this.timer = this.timers.setTimeout(() => this.tick(), this.idleMs);
  }

  private tick(): void {
    this.timer = undefined;
    if (!this.due) return;
    if (this.inFlight > 0 || this.activity !== this.seenAtLastTick) {
      this.arm(); // not idle for a whole period yet: look again in one
      return;
    }
    this.due = false;
    const resident = this.resident();
    // Measured from the lowest point since the last collection: V8's own collections may have given memory back.
    this.baseline = Math.min(this.baseline, resident);
    if (resident - this.baseline < this.minGrowth) return; // little garbage: V8's own collections suffice
    this.collections++;
    this.collect().then(
      () => (this.baseline = this.resident()),
      this.onError,
    );
  }
}

/**
 * A full garbage collection that also gives the freed memory back to the system: V8's "low memory" collection
 * (compacting, repeated until nothing more is freed, then the emptied pages are released), asked for through an
 * in-process inspector session's `HeapProfiler.collectGarbage`, which works on Node 20 without `--expose-gc` and
 * opens no port. Measured on a fragmented 250 MB heap (a test script, Node 20): RSS 335 → 67 MB at once; a plain
 * `gc()` (exposed at run time through `v8.setFlagsFromString` and `vm`) left 278 MB, two of them 110 MB a moment
 * later. V8 runs it as a task: the promise settles once it has run. About 0.1 s of CPU on that heap.
 */
export async function collectAndRelease(): Promise<void> {
  const session = new Session();
  session.connect();
  try {
    await new Promise<void>((resolve, reject) => session.post('HeapProfiler.collectGarbage', (err) => (err ? reject(err) : resolve())));
  } finally {
    // Not from within the callback: disconnecting there never returns (Node 20).
    session.disconnect();
  }
}

/** Paths whose requests never arm a collection (but still count as activity): probes and metrics scrapes. */
const PROBE = /^\/(health|metrics)(\/|$|\?)/;

/** Express/connect middleware: tells `gc` when each request starts and ends. */
export function idleGcMiddleware(gc: IdleGc) {
  return (req: IncomingMessage, res: ServerResponse, next: () => void): void => {
    gc.started(!PROBE.test(req.url ?? ''));
    res.once('close', () => gc.ended());
    next();
  };
}
