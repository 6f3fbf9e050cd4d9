import type { Bundle, Reference, Task, TaskOutput } from 'fhir/r4.js';
import type { BusinessIdentifier } from './business-identifier.js';
import { fullUrlOf } from './business-identifier.js';
import { CLOSED_TASK_STATUSES, patientOfTask, questionnaireOfTask, SDC_TEMP_CODES, sameTaskForm, type TaskForm } from './sdc-task.js';

// Completing the EHR's own Task when the form it asked for was answered (SMART 2.2 launch on a Task, SDC's pattern).
// Pure: what the outbox entry holds, and what to send once the EHR's current Task is read. The delivery is
// delivery/task-completion-delivery.ts.

/** The outbox kind of a Task completion. Delivered by TaskCompletionDelivery, never as a Bundle. */
export const TASK_COMPLETION_KIND = 'task-completion';

/** The Task a launch named, as the app's session remembers it when it opens the form (`app_session.launch_task`). */
export interface LaunchTask {
  /** The EHR's Task id. */
  id: string;
  /** Its `meta.versionId` when the form was opened (null when the EHR sent none). */
  versionId: string | null;
  /** The canonical of the form the Task asks for (read from the EHR when the Task names a Questionnaire by id). */
  form: string;
  /** What the Task itself says it asks for: at delivery it must still ask for it. */
  asks: TaskForm;
}

/** SDC's output type for the response a Task resulted in. */
export const QUESTIONNAIRE_RESPONSE_OUTPUT = { coding: [{ system: SDC_TEMP_CODES, code: 'questionnaire-response', display: 'Questionnaire Response' }], text: 'questionnaire-response' };

/**
 * The outbox entry's content: one transaction entry saying what will be done — `PUT Task/<id>` with
 * `If-Match` the version seen at launch, status `completed`, the response in `output` — kept for the admin's view
 * and read back by the delivery. The response is named by the `urn:uuid` fullUrl of its own write-back entry (the
 * entry this one depends on) and by its business identifier; its id on the EHR is known only once that is delivered.
 */
export function taskCompletionBundle(task: LaunchTask, patientId: string, response: BusinessIdentifier): Bundle {
  const asks: Partial<Task> = 'canonical' in task.asks
    ? { input: [{ type: { coding: [{ system: SDC_TEMP_CODES, code: 'questionnaire' }] }, valueCanonical: task.asks.canonical }] }
    : { focus: { reference: `Questionnaire/${task.asks.questionnaireId}` } };
  const resource: Task = {
    resourceType: 'Task',
    id: task.id,
    ...(task.versionId ? { meta: { versionId: task.versionId } } : {}),
    status: 'completed',
    intent: 'order',
    for: { reference: `Patient/${patientId}` },
    ...asks,
    output: [{ type: QUESTIONNAIRE_RESPONSE_OUTPUT, valueReference: { reference: fullUrlOf(response), type: 'QuestionnaireResponse', identifier: response } }],
  };
  return {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: [{ resource, request: { method: 'PUT', url: `Task/${task.id}`, ...(task.versionId ? { ifMatch: `W/"${task.versionId}"` } : {}) } }],
  };
}

/** What the delivery needs from the entry's Bundle. */
export interface TaskCompletionPlan {
  taskId: string;
  launchVersion: string | null;
  patientId: string;
  asks: TaskForm;
  /** The `urn:uuid` fullUrl of the response in the write-back entry this one depends on. */
  responseFullUrl: string;
}

/** Reads back what `taskCompletionBundle` wrote; null when the Bundle is not one (never enqueued by us). */
export function taskCompletionPlan(bundle: Bundle): TaskCompletionPlan | null {
  const entry = bundle.entry?.[0];
  const task = entry?.resource as Task | undefined;
  const patientId = task ? patientOfTask(task) : null;
  const asks = task ? questionnaireOfTask(task) : null;
  const ref = task?.output?.[0]?.valueReference?.reference;
  if (task?.resourceType !== 'Task' || !task.id || entry?.request?.url !== `Task/${task.id}` || !patientId || !asks || !ref?.startsWith('urn:uuid:')) return null;
  return { taskId: task.id, launchVersion: task.meta?.versionId ?? null, patientId, asks, responseFullUrl: ref };
}

/** What to do with the EHR's Task as it is now: PUT the completed Task, or nothing (with why). */
export type CompletionStep = { action: 'put'; resource: Task; ifMatch: string | undefined } | { action: 'done'; note: string };

/**
 * The step for the Task as just read. Never overwrites what someone else decided: a Task already completed (by us
 * — its output names this response — or by anyone), cancelled or otherwise closed, now for another patient, or now
 * asking for another form, is left as it is. Otherwise: status `completed`, this response appended to `output`,
 * everything else kept, conditional on the version just read.
 */
export function completionStep(task: Task, plan: TaskCompletionPlan, responseId: string, now: Date): CompletionStep {
  const ours = `QuestionnaireResponse/${responseId}`;
  const outputs = task.output ?? [];
  if (outputs.some((o) => sameReference(o.valueReference, ours))) return { action: 'done', note: `already-recorded: the Task's output already names ${ours}` };
  if (CLOSED_TASK_STATUSES.includes(task.status)) return { action: 'done', note: `not-needed: the Task is already ${task.status}; left as it is` };
  if (patientOfTask(task) !== plan.patientId) return { action: 'done', note: 'not-completed: the Task is no longer for this patient; left as it is' };
  if (!sameTaskForm(questionnaireOfTask(task), plan.asks)) return { action: 'done', note: 'not-completed: the Task no longer asks for this form; left as it is' };
  const output: TaskOutput = { type: QUESTIONNAIRE_RESPONSE_OUTPUT, valueReference: { reference: ours, type: 'QuestionnaireResponse' } };
  const resource: Task = { ...task, status: 'completed', lastModified: now.toISOString(), output: [...outputs, output] };
  return { action: 'put', resource, ifMatch: task.meta?.versionId ? `W/"${task.meta.versionId}"` : undefined };
}

/** `QuestionnaireResponse/1`, or an absolute URL ending so (a server may answer either). */
function sameReference(ref: Reference | undefined, relative: string): boolean {
  const r = ref?.reference;
  return !!r && (r === relative || r.endsWith(`/${relative}`) || new RegExp(`/${relative.replace('/', '\\/')}/_history/[^/]+$`).test(r));
}

/**
 * Do the scopes a token was granted allow updating a Task? SMART v2 (`…/Task.u`, `.cru`, `…/*.cruds`, with or without
 * a query suffix) or v1 (`.write`, `.*`), at patient, user or system level.
 */
export function grantsTaskUpdate(scope: string): boolean {
  return scope.split(/\s+/).some((s) => {
    const m = /^(patient|user|system)\/(Task|\*)\.([^?\s]+)(\?\S*)?$/.exec(s);
    if (!m) return false;
    const perms = m[3];
    return perms === '*' || perms === 'write' || (/^c?r?u?d?s?$/.test(perms) && perms.includes('u'));
  });
}
