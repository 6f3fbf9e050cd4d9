import { isDeepStrictEqual } from 'node:util';
import type { Bundle, CodeableConcept, Reference, Task, TaskInput, TaskOutput } from 'fhir/r4.js';
import type { BusinessIdentifier } from './business-identifier.js';
import { fullUrlOf, IDENTIFIER_BASE } from './business-identifier.js';
import { CLOSED_TASK_STATUSES, NOT_READY_TASK_STATUSES, patientOfTask, questionnaireOfTask, SDC_TEMP_CODES, sameTaskForm, type TaskForm } from './sdc-task.js';

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
  /** What the Task said when the form was opened (intent, code, for, focus, input): at delivery it must say the same. */
  substance: TaskSubstance;
}

/**
 * The elements that say what a Task asks, of whom and about what. A change in any of them since the launch means the
 * clinician answered a different request, so the Task is not completed; a change elsewhere (note, owner,
 * lastModified, businessStatus) is someone's bookkeeping and is kept. References compare by their reference only (an
 * EHR may add or change a display).
 */
export interface TaskSubstance {
  intent: string;
  code: CodeableConcept | null;
  for: string | null;
  focus: string | null;
  input: TaskInput[] | null;
}

export function taskSubstance(task: Task): TaskSubstance {
  const ref = (r: Reference | undefined) => r?.reference ?? (r?.identifier ? JSON.stringify(r.identifier) : null);
  return { intent: task.intent, code: task.code ?? null, for: ref(task.for), focus: ref(task.focus), input: task.input?.length ? task.input : null };
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
  // The Task as it was at launch in what matters (taskSubstance), so the delivery can tell whether it changed since.
  const was = task.substance;
  const resource: Task = {
    resourceType: 'Task',
    id: task.id,
    ...(task.versionId ? { meta: { versionId: task.versionId } } : {}),
    status: 'completed',
    intent: was.intent as Task['intent'],
    ...(was.code ? { code: was.code } : {}),
    for: { reference: was.for ?? `Patient/${patientId}` },
    ...(was.focus ? { focus: { reference: was.focus } } : {}),
    ...(was.input ? { input: was.input } : {}),
    output: [{ type: QUESTIONNAIRE_RESPONSE_OUTPUT, valueReference: { reference: fullUrlOf(response), type: 'QuestionnaireResponse', identifier: response } }],
  };
  return {
    resourceType: 'Bundle',
    type: 'transaction',
    meta: { tag: [SUBSTANCE_RECORDED_TAG] },
    entry: [{ resource, request: { method: 'PUT', url: `Task/${task.id}`, ...(task.versionId ? { ifMatch: `W/"${task.versionId}"` } : {}) } }],
  };
}

/**
 * The Bundle's tag saying the Task inside records its substance at launch. Entries queued before the substance was
 * recorded carry none: their Task holds a fixed intent 'order', its subject and its input or focus only (no code), so
 * comparing it with the EHR's Task would call every real SDC Task changed. Those are checked for patient, form and
 * status only.
 */
export const SUBSTANCE_RECORDED_TAG = { system: `${IDENTIFIER_BASE}/outbox-tag`, code: 'task-substance-recorded' };

/** What the delivery needs from the entry's Bundle. */
export interface TaskCompletionPlan {
  taskId: string;
  launchVersion: string | null;
  patientId: string;
  asks: TaskForm;
  /** The Task's substance at launch; null for an entry queued before it was recorded (SUBSTANCE_RECORDED_TAG). */
  substance: TaskSubstance | null;
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
  const recorded = bundle.meta?.tag?.some((t) => t.system === SUBSTANCE_RECORDED_TAG.system && t.code === SUBSTANCE_RECORDED_TAG.code) ?? false;
  return { taskId: task.id, launchVersion: task.meta?.versionId ?? null, patientId, asks, substance: recorded ? taskSubstance(task) : null, responseFullUrl: ref };
}

/**
 * What to do with the EHR's Task as it is now: PUT the completed Task; nothing, with a note (the work is over);
 * or refuse with a coded reason, which ends the entry dead where the coordinator sees it (an admin may retry it once
 * the Task is put right at the EHR).
 */
export type CompletionStep =
  | { action: 'put'; resource: Task; ifMatch: string | undefined }
  | { action: 'done'; note: string }
  | { action: 'refuse'; reason: TaskRefusal; message: string };

/** Why a Task is not completed although its work is not over. */
export type TaskRefusal = 'task-patient-changed' | 'task-form-changed' | 'task-changed-in-substance' | 'task-not-ready';

/**
 * The step for the Task as just read. Never overwrites what someone else decided. Already completed by us (its output
 * names this response), or closed by anyone (completed, cancelled…): done, with a note. Now for another patient, asking
 * for another form, changed in substance since the launch (taskSubstance, when the entry recorded it), or not ready (draft, on-hold): refused,
 * for a person to look at. Otherwise: status `completed`, this response appended to `output`, everything else kept,
 * conditional on the version just read.
 */
export function completionStep(task: Task, plan: TaskCompletionPlan, responseId: string, now: Date): CompletionStep {
  const ours = `QuestionnaireResponse/${responseId}`;
  const outputs = task.output ?? [];
  const refuse = (reason: TaskRefusal, why: string): CompletionStep => ({ action: 'refuse', reason, message: `The EHR's Task/${plan.taskId} was not completed: ${why}` });
  if (outputs.some((o) => sameReference(o.valueReference, ours))) return { action: 'done', note: `already-recorded: the Task's output already names ${ours}` };
  if (CLOSED_TASK_STATUSES.includes(task.status)) return { action: 'done', note: `not-needed: the Task is already ${task.status}; left as it is` };
  if (patientOfTask(task) !== plan.patientId) return refuse('task-patient-changed', 'it is no longer for the patient whose response this is. Check the Task at the EHR; the response itself was written back.');
  if (!sameTaskForm(questionnaireOfTask(task), plan.asks)) return refuse('task-form-changed', 'it no longer asks for the form that was answered. Check the Task at the EHR; the response itself was written back.');
  // An entry queued before the substance was recorded has none to compare (its patient and form were checked above).
  if (plan.substance && !isDeepStrictEqual(taskSubstance(task), plan.substance)) {
    return refuse('task-changed-in-substance', 'since the form was opened, what the Task asks (its intent, code, subject, focus or inputs) was changed at the EHR. Check the Task there; the response itself was written back. Retry this entry only if the Task is put back as it was.');
  }
  if (NOT_READY_TASK_STATUSES.includes(task.status)) {
    return refuse('task-not-ready', `it is ${task.status} at the EHR (not ready to be completed). Once the EHR makes it active again, retry this entry.`);
  }
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
