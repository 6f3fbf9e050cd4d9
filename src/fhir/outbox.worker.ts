import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap, Optional } from '@nestjs/common';
import { HttpAdapterHost, ModuleRef } from '@nestjs/core';
import { setTimeout as delay } from 'node:timers/promises';
import type { Subscription } from 'rxjs';
import type { Bundle } from 'fhir/r4.js';
import { DomainError } from '../common/errors/domain-error.js';
import { fhirConfig, type FhirConfig } from '../config/fhir.config.js';
import { backoffDelayMs, type BackoffPolicy } from './backoff.js';
import { BundleDelivery, StoodDown } from './delivery/bundle-delivery.js';
import { TaskCompletionDelivery } from './delivery/task-completion-delivery.js';
import { ABANDON_AFTER_TAKEOVERS, ABANDONED, judgeFailure, UndeliverableError } from './delivery.rules.js';
import type { DeliveredEntry, OutboxError } from './outbox-entry.entity.js';
import { EhrSystemAuthorizer } from './fhir-connection.js';
import { FhirCallError } from './fhir-gateway.js';
import { Lease } from './lease.js';
import { OutboxQueue, type ClaimedEntry } from './outbox.queue.js';
import { TASK_COMPLETION_KIND } from './task-completion.js';

/** Registration problems that waiting does not fix: the entry goes dead with the reason, for an admin to act. */
const UNCONFIGURED = new Set<string>(['REGISTRY.NOT_FOUND', 'REGISTRY.WRITE_BACK_UNCONFIGURED']);

/**
 * An admin retried an old entry after later ones were delivered: its conditional updates of resources a later
 * entry already updated become create-if-absent, so the EHR keeps the newer data (references stay intact).
 */
export function withoutOverwrites(bundle: Bundle, superseded: ReadonlySet<string>): Bundle {
  if (!superseded.size) return bundle;
  return {
    ...bundle,
    entry: bundle.entry?.map((x) => {
      const url = x.request?.url;
      if (x.request?.method !== 'PUT' || !url || !superseded.has(url)) return x;
      const [type, query] = [url.slice(0, url.indexOf('?')), url.slice(url.indexOf('?') + 1)];
      return { ...x, request: { method: 'POST' as const, url: type, ifNoneExist: query } };
    }),
  };
}

/** A claimed entry and its lease as this worker counts it. */
interface Claimed {
  e: ClaimedEntry;
  lease: Lease;
}

/** The smart module's token service can drop a cached token; the port does not require it. */
type Refreshable = EhrSystemAuthorizer & { invalidate?: (registrationId: string) => void };

/**
 * Delivers outbox entries to the EHRs: claim due entries (one short transaction, in turn with other workers), send each the way its EHR takes it
 * (BundleDelivery) with the registration's system connection, then mark it delivered, retry later, or dead. Pipelined:
 * up to OUTBOX_BATCH_SIZE entries are in flight at once, and as soon as one finishes the next claim fills its place
 * (a slow EHR answer holds up only its own patient). Runs every OUTBOX_POLL_MS unless OUTBOX_WORKER=false; tests
 * call `runOnce()` / `drain()`. Logs ids, kind and status codes only: a Bundle is PHI.
 */
@Injectable()
export class OutboxWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('OutboxWorker');
  private readonly backoff: BackoffPolicy;
  /**
   * Renew a claim once less than this is left (FHIR_TIMEOUT_MS + 10 s): a request started with more left ends before
   * the lease does (lease.ts).
   */
  private readonly leaseMarginMs: number;
  /** A claim lasts at least two margins, so a claim or renewal covers one margin of requests with no round trip. */
  private readonly leaseMs: number;
  private timer?: NodeJS.Timeout;
  private current?: Promise<unknown>;
  private running = false;
  private stopped = false;
  private onListen?: Subscription;
  private warnedNoAuthorizer = false;
  /** Monotonic milliseconds for the leases (lease.ts); a test may set its own. */
  clock: () => number = () => performance.now();
  /**
   * The wait between claims while deliveries are in flight (OUTBOX_POLL_MS), ended early through `signal` when one
   * of them finishes first; a test may set its own and end it by hand. Never rejects.
   */
  pause: (ms: number, signal: AbortSignal) => Promise<void> = (ms, signal) => delay(ms, undefined, { signal, ref: false }).catch(() => undefined);

  constructor(
    private readonly queue: OutboxQueue,
    private readonly delivery: BundleDelivery,
    private readonly taskCompletion: TaskCompletionDelivery,
    private readonly moduleRef: ModuleRef,
    @Inject(fhirConfig.KEY) private readonly config: FhirConfig,
    /** Absent where a worker is built by hand (a second worker in a test): it then starts with `start()`. */
    @Optional() private readonly adapterHost?: HttpAdapterHost,
  ) {
    this.backoff = { baseMs: config.outboxBackoffBaseMs, capMs: config.outboxBackoffCapMs };
    this.leaseMarginMs = config.requestTimeoutMs + 10_000;
    this.leaseMs = Math.max(config.outboxLeaseMs, 2 * this.leaseMarginMs);
  }

  /**
   * Polling begins once the HTTP server listens, not at bootstrap (which runs before `listen`): with backend services
   * the token endpoint can be this service's own (the sandbox EHR), and the EHR fetches our JWKS from it to check
   * the private_key_jwt assertion, so the first round's token request would fail. An application context without
   * HTTP starts at once.
   */
  onApplicationBootstrap(): void {
    if (!this.config.outboxWorker) return;
    if (!this.adapterHost?.httpAdapter || this.adapterHost.listening) return this.start();
    this.onListen = this.adapterHost.listen$.subscribe({ complete: () => !this.stopped && this.start() });
  }

  /** Whether the worker polls on its own (tests drive a stopped one with `runOnce()` / `drain()`). */
  get polling(): boolean {
    return this.running;
  }

  /** Before the pool closes (that happens in onApplicationShutdown), so the last round can record its results. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(0);
  }

  /** Stops polling and waits for the round in progress, so no send is cut off halfway. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.onListen?.unsubscribe();
    this.running = false;
    clearTimeout(this.timer);
    await this.current;
  }

  /**
   * Delivers due entries until none is left, up to OUTBOX_BATCH_SIZE at once, claiming again as each one finishes;
   * returns how many were attempted (at most about `maxEntries`).
   */
  async drain(maxEntries = 100_000): Promise<number> {
    return this.pipeline(maxEntries, () => true);
  }

  /** One claim and all its deliveries, then it returns (tests step the worker with it; `drain` does not wait so). */
  async runOnce(): Promise<number> {
    const authorizer = this.authorizer();
    if (!authorizer) return 0;
    const claimed = await this.claim(this.config.outboxBatchSize);
    await Promise.all(claimed.map((c) => this.deliver(c, authorizer)));
    return claimed.length;
  }

  /**
   * Keeps up to OUTBOX_BATCH_SIZE deliveries in flight: a claim for the free places whenever one finishes (no
   * waiting for a whole batch), and every OUTBOX_POLL_MS while places are free (new entries, due retries). Order
   * per patient needs nothing more: an entry in flight is its patient's candidate and not due (until its lease has
   * passed: then it is claimed again itself), so its successor is claimable only once it is recorded (delivered,
   * dead, or pending its retry, which then still heads the patient); an earlier entry that reappears meanwhile waits
   * for it too (CLAIM, outbox.queue.ts). Stops claiming when `go()` turns false or a claim finds nothing due and
   * nothing is in flight; a claim that fails (the database) lets the deliveries in flight finish and record, then throws.
   */
  private async pipeline(maxEntries: number, go: () => boolean): Promise<number> {
    const authorizer = this.authorizer();
    if (!authorizer) return 0;
    const inFlight = new Set<Promise<void>>();
    let total = 0;
    for (;;) {
      const free = Math.min(this.config.outboxBatchSize - inFlight.size, maxEntries - total);
      if (free > 0 && go()) {
        const claimed = await this.claim(free).catch(async (err: unknown) => {
          await Promise.all(inFlight);
          throw err;
        });
        total += claimed.length;
        for (const c of claimed) {
          const sending: Promise<void> = this.deliver(c, authorizer)
            .catch((err: unknown) => this.logger.error({ msg: 'Outbox delivery failed unexpectedly', id: c.e.id, error: (err as Error)?.name }))
            .finally(() => inFlight.delete(sending));
          inFlight.add(sending);
        }
        // All the free places taken: more may be due. Fewer: look again as one of these finishes (its patient's next
        // entry may then be due) or after OUTBOX_POLL_MS, whichever comes first — a slow EHR answer must not hold up
        // new entries and due retries of every other patient — or at the next poll when none is left in flight.
        if (claimed.length && claimed.length === free) continue;
      }
      if (!inFlight.size) return total;
      if (free > 0 && go()) {
        const polled = new AbortController();
        await Promise.race([...inFlight, this.pause(this.config.outboxPollMs, polled.signal)]);
        polled.abort();
      } else {
        await Promise.race(inFlight);
      }
    }
  }

  /** A claim, with the time it was asked for (read before the statement is sent: the lease's earliest start). */
  private async claim(limit: number): Promise<Claimed[]> {
    const claimedAt = this.clock();
    const entries = await this.queue.claim(limit, this.leaseMs);
    return entries.map((e) => ({ e, lease: new Lease(this.leaseMs, claimedAt, this.leaseMarginMs) }));
  }

  private schedule(delayMs: number): void {
    this.timer = setTimeout(() => {
      this.current = this.pipeline(Infinity, () => this.running)
        // Name and SQLSTATE only: a driver message may quote row values.
        .catch((err: unknown) => this.logger.error({ msg: 'Outbox round failed', error: (err as Error)?.name, code: (err as { code?: unknown })?.code }))
        .finally(() => {
          if (this.running) this.schedule(this.config.outboxPollMs);
        });
    }, delayMs);
    this.timer.unref();
  }

  /** Sends one claimed entry and records the outcome; never throws (a failure to record is logged, the lease then runs out). */
  private async deliver({ e, lease }: Claimed, authorizer: Refreshable): Promise<void> {
    const log = { id: e.id, kind: e.kind, attempt: e.attempts };
    // Taken over from a dead or stalled worker ABANDON_AFTER_TAKEOVERS claims in a row, nothing recorded in between:
    // its workers die or stall on it each time (an entry that brings the process down, say). It would otherwise be
    // claimed again for ever and hold back its patient's later writes; dead, a person sees it (an admin may retry it).
    // One stall only (a slow record, perhaps after the EHR accepted it) is sent again: that is the take-over's point.
    if (e.takeovers >= ABANDON_AFTER_TAKEOVERS) {
      const error: OutboxError = { status: 0, reason: ABANDONED, retryable: true, at: new Date().toISOString() };
      try {
        if (await this.queue.markDead(e, error)) this.logger.error({ msg: 'Outbox entry is dead: claimed again and again with no outcome recorded', ...log });
      } catch (dbErr) {
        this.logger.error({ msg: 'Could not record an outbox failure', id: e.id, error: (dbErr as Error)?.name });
      }
      return;
    }
    let delivered: DeliveredEntry[];
    try {
      const conn = await authorizer.systemConnection(e.registrationId, { actor: e.actor, patientKey: e.patientKey }).catch((err: unknown) => {
        // A registration that cannot deliver at all (disabled, no write-back configured) will not heal by waiting.
        if (err instanceof DomainError && UNCONFIGURED.has(err.code)) throw new UndeliverableError('registration', err.message);
        const why = err instanceof DomainError ? err.code : err instanceof Error ? err.name : 'unknown';
        throw new FhirCallError(0, undefined, `authorization:${why}`);
      });
      // Medplum's discipline: make sure the entry is still ours just before every request, and stand down if it is
      // not. While more than FHIR_TIMEOUT_MS + 10 s of the lease is left it cannot have changed (lease.ts);
      // otherwise the database renews it, fenced, or answers that it is no longer ours.
      const run = { stillOurs: () => this.stillOurs(e, lease) };
      if (e.kind === TASK_COMPLETION_KIND) {
        // Not a Bundle to send: read the EHR's Task and complete it (task-completion-delivery.ts).
        delivered = await this.taskCompletion.deliver(conn, e, run);
      } else {
        const bundle = withoutOverwrites(e.bundle, e.superseded);
        delivered = await this.delivery.deliver(conn, bundle, run);
      }
    } catch (err) {
      if (err instanceof StoodDown) {
        this.logger.warn({ msg: 'Outbox entry changed before send; stood down', ...log });
        return;
      }
      return this.fail(e, err, authorizer);
    }
    try {
      const ours = await this.queue.markDelivered(e, delivered);
      this.logger.log({ msg: ours ? 'Outbox entry delivered' : 'Outbox entry delivered after its claim was taken over', ...log });
    } catch (err) {
      // The lease runs out and the entry is sent again, before anything else of its patient: harmless, every write
      // is idempotent.
      this.logger.error({ msg: 'Outbox entry delivered but not recorded', ...log, error: (err as Error)?.name });
    }
  }

  private async stillOurs(e: ClaimedEntry, lease: Lease): Promise<boolean> {
    const now = this.clock();
    if (lease.ample(now)) return true;
    const ours = await this.queue.renew(e, this.leaseMs);
    if (ours) lease.renewed(now);
    return ours;
  }

  private async fail(e: ClaimedEntry, err: unknown, authorizer: Refreshable): Promise<void> {
    const v = judgeFailure(err, new Date());
    const log = { id: e.id, kind: e.kind, attempt: e.attempts, status: v.error.status, reason: v.error.reason };
    if (v.refreshToken) authorizer.invalidate?.(e.registrationId);
    try {
      // OUTBOX_MAX_ATTEMPTS 18 with the default backoff ≈ 3.6 h of retries on average, 7.1 h at most (backoff.ts).
      const attempt = e.attempts - e.attemptBase;
      if (v.action === 'dead' || attempt >= this.config.outboxMaxAttempts) {
        if (await this.queue.markDead(e, v.error)) this.logger.error({ msg: 'Outbox entry is dead', ...log });
      } else {
        const delay = Math.min(this.backoff.capMs, Math.max(backoffDelayMs(attempt, this.backoff), v.retryAfterMs ?? 0));
        if (await this.queue.scheduleRetry(e, delay, v.error)) this.logger.warn({ msg: 'Outbox delivery failed; will retry', ...log, retryInMs: delay });
      }
    } catch (dbErr) {
      // The lease runs out and the entry is claimed again: nothing is lost.
      this.logger.error({ msg: 'Could not record an outbox failure', id: e.id, error: (dbErr as Error)?.name });
    }
  }

  /** Supplied by the smart module (global); looked up lazily so the app boots, and tests run, without it. */
  private authorizer(): Refreshable | undefined {
    try {
      return this.moduleRef.get(EhrSystemAuthorizer, { strict: false }) as Refreshable;
    } catch {
      if (!this.warnedNoAuthorizer) this.logger.warn({ msg: 'No EhrSystemAuthorizer is provided: write-back is paused' });
      this.warnedNoAuthorizer = true;
      return undefined;
    }
  }
}
