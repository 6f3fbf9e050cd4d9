import { Inject, Injectable, Optional, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { createContext, Script } from 'node:vm';
import { DomainError } from '../../common/errors/domain-error.js';
import { FhirPathBudgetExceeded, setFhirPathGuard } from '../engine/fhirpath-engine.js';

/** How long the FHIRPath of one save (validation, scores, safety rules) or one import check may run, ms. */
export const FHIRPATH_BUDGET_MS = Symbol('FHIRPATH_BUDGET_MS');
export const DEFAULT_FHIRPATH_BUDGET_MS = 500;

/**
 * A deadline on the FHIRPath this service runs in its own thread: a clinic's imported form carries expressions
 * (calculatedExpression, enableWhenExpression, safety rules) that run on every save and at import, and one can
 * hold the thread for seconds and grow the heap by gigabytes. Pre-population runs in a child process instead
 * (population-sandbox.ts); a save cannot, it is one transaction.
 *
 * Each compile and evaluation runs through node:vm with a `timeout`: V8 stops the running JavaScript when it is
 * due (fhirpath.js is plain synchronous JavaScript, with no state that outlives one call), measured at about 30 µs a
 * call. Inside `within(…)` the calls share one deadline, so a form with many slow expressions cannot add them up;
 * outside it each call gets the whole budget. Hand-written: no library bounds a synchronous call in-process, and
 * node:vm's timeout is the platform's own mechanism for exactly that.
 */
@Injectable()
export class FhirPathDeadline implements OnModuleInit, OnModuleDestroy {
  private readonly context = createContext({});
  private readonly script = new Script('run()');
  private readonly budgetMs: number;
  /** The shared deadline of the current `within` (epoch ms), or null outside one. */
  private deadline: number | null = null;
  private depth = 0;

  constructor(@Optional() @Inject(FHIRPATH_BUDGET_MS) budgetMs?: number) {
    this.budgetMs = budgetMs ?? DEFAULT_FHIRPATH_BUDGET_MS;
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
  within<T>(what: string, work: () => T): T {
    if (this.deadline !== null) return work();
    this.deadline = Date.now() + this.budgetMs;
    try {
      return work();
    } catch (err) {
      if (err instanceof FhirPathBudgetExceeded) {
        throw new DomainError('QUESTIONNAIRES.FORM_TOO_COSTLY', `${what}: the form's FHIRPath expressions take longer than ${this.budgetMs} ms to run; an administrator must correct or retire this form version.`);
      }
      throw err;
    } finally {
      this.deadline = null;
    }
  }

  private guarded<T>(run: () => T): T {
    // One call inside another (a compile inside a check) is already under the outer call's timeout.
    if (this.depth > 0) return run();
    const remaining = this.deadline === null ? this.budgetMs : this.deadline - Date.now();
    if (remaining <= 0) throw new FhirPathBudgetExceeded(`FHIRPath took longer than ${this.budgetMs} ms`);
    this.depth++;
    (this.context as { run?: () => T }).run = run;
    try {
      return this.script.runInContext(this.context, { timeout: Math.max(1, Math.ceil(remaining)) }) as T;
    } catch (err) {
      if ((err as { code?: string }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') throw new FhirPathBudgetExceeded(`FHIRPath took longer than ${this.budgetMs} ms`);
      throw err;
    } finally {
      (this.context as { run?: () => T }).run = undefined;
      this.depth--;
    }
  }
}
