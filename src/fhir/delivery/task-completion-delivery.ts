import { Injectable, Optional } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Task } from 'fhir/r4.js';
import { DomainError } from '../../common/errors/domain-error.js';
import { UndeliverableError } from '../delivery.rules.js';
import type { DeliveredEntry } from '../outbox-entry.entity.js';
import { EhrSystemAuthorizer, type FhirConnection } from '../fhir-connection.js';
import { FhirCallError, FhirGateway } from '../fhir-gateway.js';
import { OutboxQueue, type ClaimedEntry } from '../outbox.queue.js';
import { completionStep, grantsTaskUpdate, taskCompletionPlan, type TaskCompletionPlan } from '../task-completion.js';
import { StoodDown, type DeliveryRun } from './bundle-delivery.js';

/**
 * Completes the EHR's Task a launch named, once the response to its form is on the EHR (`task-completion` entries).
 * Read the Task, decide (task-completion.ts: never overwrite a Task someone else closed or changed in substance; what
 * a person must look at — Task gone, changed, not ready, unreadable — ends dead with a coded reason),
 * then `PUT Task/<id>` with `If-Match` on the version just read. The same plain REST read and update whatever the
 * EHR's delivery mode (transaction or individual) and whoever's token (system or user): one resource, one
 * version-checked update, needs no transaction. A resend after a crash appends nothing twice (the output already
 * names the response: done). 412 (or 409): read again and try once more; a second one goes dead for an admin to retry.
 */
@Injectable()
export class TaskCompletionDelivery {
  constructor(
    private readonly gateway: FhirGateway,
    private readonly queue: OutboxQueue,
    @Optional() private readonly moduleRef?: ModuleRef,
  ) {}

  /** `now` is what Task.lastModified records. */
  async deliver(conn: FhirConnection, e: ClaimedEntry, run: DeliveryRun, now = new Date()): Promise<DeliveredEntry[]> {
    const plan = taskCompletionPlan(e.bundle);
    if (!plan) throw new UndeliverableError('task-completion-malformed', 'This Task completion does not say which Task, patient, form and response it is about.');
    const responseId = await this.responseId(e, plan);
    conn = await this.withTaskUpdate(conn, e);
    if (conn.grantedScopes !== undefined && !grantsTaskUpdate(conn.grantedScopes)) {
      throw new UndeliverableError('task-scope', `The token write-backs use was not granted update on Task (patient/Task.u, user/Task.u or system/Task.u), so the EHR's Task/${plan.taskId} was not completed. Grant it at the EHR (for user write-back: the clinician launches again), then retry this entry.`);
    }
    for (let attempt = 1; ; attempt++) {
      await this.guard(run);
      const task = await this.readTask(conn, plan.taskId);
      const step = completionStep(task, plan, responseId, now);
      if (step.action === 'refuse') throw new UndeliverableError(step.reason, step.message);
      if (step.action === 'done') return [{ status: step.note, type: 'Task', id: plan.taskId, ...(task.meta?.versionId ? { version: task.meta.versionId } : {}) }];
      await this.guard(run);
      try {
        const w = await this.gateway.write(conn, { method: 'PUT', resource: step.resource, id: plan.taskId, ifMatch: step.ifMatch });
        return [{ status: String(w.status), type: 'Task', id: plan.taskId, ...(w.version ? { version: w.version } : {}) }];
      } catch (err) {
        if (!(err instanceof FhirCallError)) throw err;
        // Changed since our read (412; some servers answer a version conflict with 409): read it again, decide again.
        const conflict = err.status === 412 || err.status === 409;
        if (conflict && attempt === 1) continue;
        if (conflict) throw new UndeliverableError('task-changed', `The EHR's Task/${plan.taskId} changed again while it was being completed (a version conflict twice); retry this entry to read it once more.`);
        throw forbidden(err, plan.taskId);
      }
    }
  }

  /**
   * A connection whose token may update Task. The worker's is chosen for any write of the patient: with user
   * write-back that is the author's newest fitting session, which may lack Task update while an older one has it
   * (the submitting session had it, or no completion was enqueued). Ask again for one that has it (`taskUpdate`).
   * None live: wait, as any user write-back waits for its author's next launch. A system token is the same token
   * again: it stays without, and the caller says so.
   */
  private async withTaskUpdate(conn: FhirConnection, e: ClaimedEntry): Promise<FhirConnection> {
    if (conn.grantedScopes === undefined || grantsTaskUpdate(conn.grantedScopes)) return conn;
    const authorizer = this.authorizer();
    if (!authorizer) return conn;
    return authorizer.systemConnection(e.registrationId, { actor: e.actor, patientKey: e.patientKey, taskUpdate: true }).catch((err: unknown) => {
      // Retryable, as the worker treats a failed authorization (a code or a name only: never a message).
      const why = err instanceof DomainError ? err.code : err instanceof Error ? err.name : 'unknown';
      throw new FhirCallError(0, undefined, `authorization:${why}`);
    });
  }

  /** Supplied by the smart module (global), looked up lazily as the worker does. */
  private authorizer(): EhrSystemAuthorizer | undefined {
    try {
      return this.moduleRef?.get(EhrSystemAuthorizer, { strict: false });
    } catch {
      return undefined;
    }
  }

  /** The response's id on the EHR, from the delivered entry this one depends on. */
  private async responseId(e: ClaimedEntry, plan: TaskCompletionPlan): Promise<string> {
    const dep = await this.queue.dependency(e);
    if (!dep) throw new UndeliverableError('task-completion-dependency', 'The response this Task is completed with has no write-back entry.');
    if (dep.status === 'dead') {
      throw new UndeliverableError('task-completion-dependency', `The response this Task is completed with was not delivered (outbox entry ${e.dependsOn} is dead): retry that entry first, then this one.`);
    }
    // Same ordering key, enqueued before: it is normally delivered first. Otherwise wait for it (retryable).
    if (dep.status !== 'delivered') throw new FhirCallError(0, undefined, 'waiting-for-dependency');
    const i = (dep.bundle.entry ?? []).findIndex((x) => x.fullUrl === plan.responseFullUrl);
    const id = i >= 0 ? dep.response?.[i]?.id : undefined;
    if (!id) throw new UndeliverableError('task-completion-dependency', 'The EHR did not say which id it gave the response this Task is completed with.');
    return id;
  }

  /**
   * The Task as the EHR has it now. Gone (404, 410) or answered as something else (a 200 that is not that Task): dead
   * with the reason, for a person to look at — asking again would be answered the same.
   */
  private async readTask(conn: FhirConnection, id: string): Promise<Task> {
    let task: Task;
    try {
      task = await this.gateway.readForWriteBack<Task>(conn, 'Task', id);
    } catch (err) {
      if (err instanceof FhirCallError && (err.status === 404 || err.status === 410)) {
        throw new UndeliverableError('task-gone', `The EHR no longer has Task/${id} (it answered ${err.status}), so it was not completed; the response itself was written back.`);
      }
      throw err instanceof FhirCallError ? forbidden(err, id) : err;
    }
    if (task?.resourceType !== 'Task' || task.id !== id) {
      throw new UndeliverableError('task-unreadable', `The EHR answered the read of Task/${id} with something that is not that Task, so it was not completed. Check the EHR, then retry this entry.`);
    }
    return task;
  }

  private async guard(run: DeliveryRun): Promise<void> {
    if (!(await run.stillOurs())) throw new StoodDown();
  }
}

/** A 403 as a coded reason (the scopes or the EHR's own rules keep us from this Task); other failures as they are. */
function forbidden(err: FhirCallError, taskId: string): FhirCallError {
  return err.status === 403 ? new FhirCallError(403, err.outcome ?? { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'forbidden', diagnostics: `The EHR refused access to Task/${taskId}.` }] }, 'task-forbidden') : err;
}
