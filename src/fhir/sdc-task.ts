import type { Task } from 'fhir/r4.js';
import { FHIR_ID_SOURCE } from './ids.js';

// SDC's pattern for asking a person to complete a form (https://hl7.org/fhir/uv/sdc/ — "Temporary SDC Codes"): a
// Task whose `input` of type `questionnaire` names the Questionnaire by canonical, and which, once done, is
// `completed` with an `output` of type `questionnaire-response` pointing at the response. Pure.

/** SDC's code system for the Task input and output types (`questionnaire`, `questionnaire-response`). */
export const SDC_TEMP_CODES = 'http://hl7.org/fhir/uv/sdc/CodeSystem/temp';
const SDC_QUESTIONNAIRE_INPUT = 'questionnaire';

/** What a Task asks for: a Questionnaire canonical, or a Questionnaire on the EHR (`Task.focus`) by id. */
export type TaskForm = { canonical: string } | { questionnaireId: string };

/**
 * The Questionnaire a Task asks to be completed: SDC's pattern names it in `Task.input` (type `questionnaire`,
 * `valueCanonical`); a Task may instead point at it from `focus`. Answers a canonical, or a Questionnaire's id on
 * the EHR (a relative focus reference) to read, or null.
 */
export function questionnaireOfTask(task: Task): TaskForm | null {
  const inputs = task.input ?? [];
  const typed = inputs.find((i) => i.valueCanonical && i.type?.coding?.some((c) => c.code === SDC_QUESTIONNAIRE_INPUT));
  const anyCanonical = typed ?? inputs.find((i) => i.valueCanonical && /\/Questionnaire\//.test(i.valueCanonical));
  if (anyCanonical?.valueCanonical) return { canonical: anyCanonical.valueCanonical };
  const focus = task.focus?.reference;
  if (focus) {
    const m = new RegExp(`^Questionnaire/(${FHIR_ID_SOURCE})$`).exec(focus);
    if (m) return { questionnaireId: m[1] };
    if (/^https?:\/\/\S+\/Questionnaire\/\S+$/.test(focus)) return { canonical: focus };
  }
  return null;
}

/** The same ask: the same canonical, or the same Questionnaire on the EHR. */
export function sameTaskForm(a: TaskForm | null, b: TaskForm | null): boolean {
  if (!a || !b) return false;
  if ('canonical' in a && 'canonical' in b) return a.canonical === b.canonical;
  if ('questionnaireId' in a && 'questionnaireId' in b) return a.questionnaireId === b.questionnaireId;
  return false;
}

/** The patient a Task is for (`Task.for`): a bare id, or null when it names no Patient. */
export function patientOfTask(task: Task): string | null {
  const m = new RegExp(`^(?:.*/)?Patient/(${FHIR_ID_SOURCE})$`).exec(task.for?.reference ?? '');
  return m ? m[1] : null;
}

/**
 * The canonicals by which a Task may ask for the form a response answers (`url|version`, as
 * QuestionnaireResponse.questionnaire carries it): that exact version, or the form's url without a version (which asks
 * for any version of it).
 */
export function taskFormsAnsweredBy(answered: string): [string, string] {
  const bar = answered.indexOf('|');
  return [bar < 0 ? answered : answered.slice(0, bar), answered];
}

/** Task states in which the work is not yet to be done: an order still being written, or paused (FHIR R4 Task.status). */
export const NOT_READY_TASK_STATUSES: readonly string[] = ['draft', 'on-hold'];

/** Task states in which the work is over (FHIR R4 Task.status). */
export const CLOSED_TASK_STATUSES: readonly string[] = ['completed', 'cancelled', 'entered-in-error', 'failed', 'rejected'];
