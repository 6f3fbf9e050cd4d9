import { Inject, Injectable, Logger, Optional, type OnModuleDestroy } from '@nestjs/common';
import { fileURLToPath } from 'node:url';
import { fork, type ChildProcess } from 'node:child_process';
import type { Questionnaire, QuestionnaireResponse } from 'fhir/r4.js';
import { answeredResponse } from '../engine/answered-response.js';
import { initialExpressionOf, type Population } from '../engine/population.js';

export interface PopulationTask {
  id: number;
  questionnaire: Questionnaire;
  contexts: Record<string, unknown>;
  base: Partial<QuestionnaireResponse>;
}
export type PopulationReply = { id: number; population: Population } | { id: number; error: string };
type WorkerMessage = PopulationReply | { ready: true };

export interface SandboxLimits {
  /** The worker's heap (V8 old generation), MB. */
  maxOldGenerationSizeMb: number;
  /** How long one form's pre-population may run, ms. */
  deadlineMs: number;
}

/** Injection token for other limits (tests). */
export const SANDBOX_LIMITS = Symbol('SANDBOX_LIMITS');

export const DEFAULT_SANDBOX_LIMITS: SandboxLimits = { maxOldGenerationSizeMb: 64, deadlineMs: 2000 };

interface Pending {
  task: PopulationTask;
  resolve: (p: Population) => void;
}

/**
 * A clinic's imported Questionnaire runs its own FHIRPath (initialExpression, variables) over the patient's
 * record; one expression can take unbounded time or memory (`aggregate($total.combine($total)…)`). So imported
 * forms are pre-populated in a long-lived child process with a heap limit and a deadline: on overrun (deadline,
 * out of memory, crash) the child is killed, the next task gets a fresh one, and the form comes back
 * un-prefilled with an issue per item it could not fill — never a 500, never the service's own thread blocked.
 * A process, not a worker thread: a worker thread's `resourceLimits` did not contain a heap blow-up (V8 reported
 * a fatal out-of-memory for the whole process, seen in CI); a child process's own `--max-old-space-size` does.
 * One task at a time, in order (pre-population is per form opened, rare; the built-ins run in-process).
 *
 * Hand-written: worker pools such as piscina run worker threads, whose heap limit is what failed here; the wrapper
 * is one child, one queue and a timer.
 */
@Injectable()
export class PopulationSandbox implements OnModuleDestroy {
  private readonly log = new Logger(PopulationSandbox.name);
  private worker: ChildProcess | null = null;
  /** The worker has loaded its modules: tasks (and their deadline) start only then. */
  private ready = false;
  private running: (Pending & { timer: NodeJS.Timeout }) | null = null;
  private readonly queue: Pending[] = [];
  private nextId = 1;
  private closed = false;

  private readonly limits: SandboxLimits;

  constructor(@Optional() @Inject(SANDBOX_LIMITS) limits?: SandboxLimits) {
    this.limits = limits ?? DEFAULT_SANDBOX_LIMITS;
  }

  /** populateResponse, bounded: always resolves, an overrun with an empty response and issues. */
  populate(questionnaire: Questionnaire, contexts: Record<string, unknown>, base: Partial<QuestionnaireResponse>): Promise<Population> {
    return new Promise((resolve) => {
      this.queue.push({ task: { id: this.nextId++, questionnaire, contexts, base }, resolve });
      this.pump();
    });
  }

  async onModuleDestroy(): Promise<void> {
    this.closed = true;
    const w = this.worker;
    this.worker = null;
    if (this.running) this.finish(this.running.task.id, 'the service is stopping');
    for (const p of this.queue.splice(0)) p.resolve(notPopulated(p.task, 'the service is stopping'));
    if (w) w.kill('SIGKILL');
  }

  private pump(): void {
    if (this.running || this.queue.length === 0) return;
    if (this.closed) return this.queue.splice(0).forEach((p) => p.resolve(notPopulated(p.task, 'the service is stopping')));
    const worker = this.worker ?? this.spawn();
    if (!this.ready) return; // pumped again when it is
    const next = this.queue.shift() as Pending;
    const timer = setTimeout(() => this.overrun(`took longer than ${this.limits.deadlineMs} ms`), this.limits.deadlineMs);
    this.running = { ...next, timer };
    worker.send(next.task);
  }

  private spawn(): ChildProcess {
    const self = fileURLToPath(import.meta.url);
    // From the TypeScript sources (jest) the child's module is .ts, loaded through scripts/ts-source-worker.mjs.
    const fromSource = self.endsWith('.ts');
    const entry = new URL(fromSource ? './population.worker.ts' : './population.worker.js', import.meta.url);
    const execArgv = [`--max-old-space-size=${this.limits.maxOldGenerationSizeMb}`, '--max-semi-space-size=8', '--stack-size=4000'];
    // Its output is not ours to show: an out-of-memory report on stderr would read as the service's own.
    const options = { execArgv, serialization: 'advanced' as const, stdio: ['ignore', 'ignore', 'ignore', 'ipc'] as ('ignore' | 'ipc')[] };
    const worker = fromSource
      ? fork(fileURLToPath(new URL('../../../scripts/ts-source-worker.mjs', import.meta.url)), [entry.href], options)
      : fork(fileURLToPath(entry), [], options);
    worker.unref();
    worker.channel?.unref();
    worker.on('message', (reply: WorkerMessage) => {
      if ('ready' in reply) {
        if (this.worker !== worker) return;
        this.ready = true;
        this.pump();
      } else if ('error' in reply) this.finish(reply.id, reply.error);
      else this.finish(reply.id, reply.population);
    });
    worker.on('error', (err) => {
      if (this.worker === worker) this.overrun(`stopped: ${err.message}`);
    });
    worker.on('exit', (code, signal) => {
      if (this.worker === worker) this.overrun(signal ? 'stopped' : `stopped (exit ${code}, out of memory or a crash)`);
      // A worker that dies before it is ready fails the waiting task rather than respawning forever.
      if (this.worker === null && !this.running && this.queue.length && !this.ready) this.failQueued('could not start');
    });
    this.worker = worker;
    this.ready = false;
    return worker;
  }

  private failQueued(why: string): void {
    const next = this.queue.shift();
    if (next) next.resolve(notPopulated(next.task, `Pre-filling ${why}`));
    this.pump();
  }

  private resourceLimits() {
    return { maxOldGenerationSizeMb: this.limits.maxOldGenerationSizeMb, maxYoungGenerationSizeMb: 16, stackSizeMb: 4 };
  }

  /** The running task overran: drop the worker (the next task spawns a fresh one) and answer it un-prefilled. */
  private overrun(why: string): void {
    const w = this.worker;
    this.worker = null;
    this.ready = false;
    if (w) w.kill('SIGKILL');
    if (this.running) {
      this.log.warn(`Pre-population of an imported form ${why}; worker restarted`);
      this.finish(this.running.task.id, `Pre-filling ${why}`);
    }
  }

  private finish(id: number, outcome: Population | string): void {
    const r = this.running;
    if (!r || r.task.id !== id) return;
    clearTimeout(r.timer);
    this.running = null;
    r.resolve(typeof outcome === 'string' ? notPopulated(r.task, outcome) : outcome);
    this.pump();
  }
}

/** The form with nothing pre-filled, and an issue on every item that asked to be. */
function notPopulated(task: PopulationTask, why: string): Population {
  const { response } = answeredResponse(task.questionnaire, {}, { ...task.base, status: 'in-progress' });
  const linkIds: string[] = [];
  const walk = (items: Questionnaire['item']) => items?.forEach((i) => (initialExpressionOf(i) ? linkIds.push(i.linkId) : undefined, walk(i.item)));
  walk(task.questionnaire.item);
  const message = `${why}; not pre-filled`;
  return { response, filled: [], issues: linkIds.length ? linkIds.map((linkId) => ({ linkId, message })) : [{ message }] };
}
