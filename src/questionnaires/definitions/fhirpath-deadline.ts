import { Inject, Injectable, Optional, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { createContext, Script } from 'node:vm';
import { DomainError } from '../../common/errors/domain-error.js';
import { FhirPathBudgetExceeded, setFhirPathGuard } from '../engine/fhirpath-engine.js';

/** How long the FHIRPath of one save (validation, scores, safety rules) or one import check may run, ms. */
export const FHIRPATH_BUDGET_MS = Symbol('FHIRPATH_BUDGET_MS');
export const DEFAULT_FHIRPATH_BUDGET_MS = 500;
/**
 * An import's budget, in save budgets. An import compiles every expression of the form for the first time, and
 * fhirpath.js's parser is slow on long ones: a published 17-expression risk calculator (HL7 SDC's Framingham
 * example, 2 600 characters of FHIRPath) took 250–400 ms of CPU to compile in a fresh process, near a save's whole
 * budget. An import is an administrator's rare action; a save is every person's, so saves keep the tighter budget
 * (and compile a stored form's expressions outside it: `precompileForm`).
 */
export const IMPORT_BUDGET_FACTOR = 4;
/** The CPU clock the deadline reads (the spec injects one). */
export const FHIRPATH_CPU_CLOCK = Symbol('FHIRPATH_CPU_CLOCK');

/** CPU time this process has used, ms (user + system). Injected by the spec. */
export type CpuClock = () => number;
const processCpuMs: CpuClock = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/**
 * When the wall clock runs out, the process counts as starved (waiting for a core, not computing) only if it got
 * less than this share of the elapsed wall time as CPU; a form that computes all along is never starved.
 */
const STARVED_CPU_SHARE = 0.5;
/** A starved call's one extension, in budgets of wall time: it still runs on the thread that serves every request. */
const STARVED_SLACK = 3;

/**
 * A deadline on the FHIRPath this service runs in its own thread: a clinic's imported form carries expressions
 * (calculatedExpression, enableWhenExpression, safety rules) that run on every save and at import, and one can
 * hold the thread for seconds and grow the heap by gigabytes. Pre-population runs in a child process instead
 * (population-sandbox.ts); a save cannot, it is one transaction.
 *
 * The work runs through node:vm with a `timeout`: V8 stops the running JavaScript when it is due (fhirpath.js is
 * plain synchronous JavaScript; its module-level caches are written only once a value is computed, so an interrupted
 * call leaves no half-written entry), measured at about 30 µs a call. `within(…)`
 * runs a whole save's or import's engine work in one such call, so its expressions share one deadline (a form with
 * many slow expressions cannot add them up); an engine call outside it gets the whole budget in a call of its own. Hand-written: no library bounds a synchronous call in-process, and
 * node:vm's timeout is the platform's own mechanism for exactly that.
 *
 * The budget is what the form may COST: CPU time. node:vm's timeout counts the wall clock, so when it fires (or the
 * shared deadline has passed) the process's CPU time decides: used up → the form is refused; not (the machine was
 * busy and the thread was waiting for a core, seen as a PHQ-9 refused 422 under a loaded CI run: the process got
 * less than half the elapsed wall time as CPU) → the deadline is moved out once, by STARVED_SLACK × the budget, and
 * the interrupted call runs again (it is pure: nothing of it is kept). A form that computes all along is never
 * starved, so a hostile one still holds the thread for one budget; a second overrun, or CPU since the start
 * reaching the budget, is refused whatever else.
 */
@Injectable()
export class FhirPathDeadline implements OnModuleInit, OnModuleDestroy {
  private readonly context = createContext({});
  private readonly script = new Script('run()');
  private readonly budgetMs: number;
  /** The budget of the deadline being opened or running: a `within`'s own, else the save budget. */
  private active: number;
  private readonly cpuMs: CpuClock;
  /** The shared deadline of the current `within` (epoch ms), or null outside one. */
  private deadline: number | null = null;
  /** CPU time and wall clock when the current `within` began. */
  private cpuAtStart = 0;
  private wallAtStart = 0;
  /** Whether the current `within` has had its one extension. */
  private extended = false;
  private depth = 0;

  constructor(@Optional() @Inject(FHIRPATH_BUDGET_MS) budgetMs?: number, @Optional() @Inject(FHIRPATH_CPU_CLOCK) cpuMs?: CpuClock) {
    this.budgetMs = budgetMs ?? DEFAULT_FHIRPATH_BUDGET_MS;
    this.active = this.budgetMs;
    this.cpuMs = cpuMs ?? processCpuMs;
  }

  onModuleInit(): void {
    setFhirPathGuard((run) => this.guarded(run));
  }

  onModuleDestroy(): void {
    setFhirPathGuard(undefined);
  }

  /**
   * Runs synchronous engine work (a save's validation and assessment, an import's checks) under one deadline; a
   * form whose FHIRPath overruns it is refused with 422 `QUESTIONNAIRES.FORM_TOO_COSTLY`.
   */
  within<T>(what: string, work: () => T extends PromiseLike<unknown> ? never : T, budgetMs = this.budgetMs): T {
    if (this.deadline !== null) return work();
    this.active = budgetMs;
    try {
      // The whole work in one node:vm call (its FHIRPath calls then run directly, under this one timeout): one call
      // a save instead of one per expression, which cost about 0.9 ms of a PHQ-9 save's CPU (its ~30 expressions).
      // If a busy machine interrupts it, the whole work runs again: it is pure (validation and assessment of an
      // in-memory response; the calculated items are stripped before they are computed again).
      const done = this.underDeadline(work);
      // The timeout covers synchronous work only: a promise would escape it (and a re-run would repeat its effects).
      if (typeof (done as { then?: unknown } | null)?.then === 'function') throw new Error('FhirPathDeadline.within takes synchronous work only');
      return done;
    } catch (err) {
      if (err instanceof FhirPathBudgetExceeded) {
        throw new DomainError('QUESTIONNAIRES.FORM_TOO_COSTLY', `${what}: checking these answers against the form and running its FHIRPath expressions takes longer than ${budgetMs} ms; if the answers are ordinary, an administrator must correct or retire this form version.`);
      }
      throw err;
    } finally {
      this.active = this.budgetMs;
    }
  }

  /**
   * Runs engine work with no deadline and no node:vm call: only work whose cost its caller has bounded by what it is
   * given — the module's own forms over a small response (bounded-work.ts). Node's `timeout` starts and joins a
   * watchdog thread on every call: 16 % of a PHQ-9 save's CPU samples under load (`--only phq9 --cpu-prof`).
   */
  direct<T>(work: () => T): T {
    if (this.deadline !== null) return work();
    this.depth++;
    try {
      return work();
    } finally {
      this.depth--;
    }
  }

  /** The budget of an import's checks (IMPORT_BUDGET_FACTOR save budgets). */
  get importBudgetMs(): number {
    return IMPORT_BUDGET_FACTOR * this.budgetMs;
  }

  /** One engine call under the deadline (the engine's guard; public for the spec). */
  guarded<T>(run: () => T): T {
    // One call inside another (a compile inside a check, any call inside `within`) is already under its timeout.
    if (this.depth > 0) return run();
    return this.underDeadline(run);
  }

  /** Runs `run` in one node:vm call under the current deadline (a new one when none is open), extending or refusing. */
  private underDeadline<T>(run: () => T): T {
    const alone = this.deadline === null;
    if (alone) this.open();
    try {
      for (;;) {
        const remaining = (this.deadline as number) - Date.now();
        if (remaining <= 0) {
          this.extendOrRefuse();
          continue;
        }
        try {
          return this.runFor(run, remaining);
        } catch (err) {
          if ((err as { code?: string }).code !== 'ERR_SCRIPT_EXECUTION_TIMEOUT') throw err;
          this.extendOrRefuse();
        }
      }
    } finally {
      if (alone) this.deadline = null;
    }
  }

  private open(): void {
    this.wallAtStart = Date.now();
    this.deadline = this.wallAtStart + this.active;
    this.cpuAtStart = this.cpuMs();
    this.extended = false;
  }

  /** The wall-clock deadline passed: extend once if the process was starved of CPU, else refuse. */
  private extendOrRefuse(): void {
    const cpu = this.cpuMs() - this.cpuAtStart;
    const wall = Date.now() - this.wallAtStart;
    const starved = !this.extended && cpu < this.active && cpu < STARVED_CPU_SHARE * wall;
    if (!starved) throw new FhirPathBudgetExceeded(`FHIRPath took longer than ${this.active} ms`);
    this.extended = true;
    this.deadline = Date.now() + STARVED_SLACK * this.active;
  }

  private runFor<T>(run: () => T, ms: number): T {
    this.depth++;
    (this.context as { run?: () => T }).run = run;
    try {
      return this.script.runInContext(this.context, { timeout: Math.max(1, Math.ceil(ms)) }) as T;
    } finally {
      (this.context as { run?: () => T }).run = undefined;
      this.depth--;
    }
  }
}
