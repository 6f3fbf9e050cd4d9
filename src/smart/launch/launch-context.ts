import { FHIR_ID, FHIR_ID_SOURCE } from '../../fhir/ids.js';

// SMART App Launch 2.2 `fhirContext` (token response): an array of objects, each naming a resource by a relative
// `reference`, a `canonical` (optionally `|version`) or an `identifier`, with an optional `type` and `role`
// (https://hl7.org/fhir/smart-app-launch/scopes-and-launch-context.html#fhircontext). SMART 2.0's array of
// reference strings is read too. Pure: the callback keeps what it reads here with the session.

export interface LaunchContextItem {
  reference?: string;
  canonical?: string;
  identifier?: { system?: string; value?: string };
  type?: string;
  role?: string;
}

/**
 * The token response's `encounter`, kept with the session only when the EHR sent it with a `patient` and that patient is
 * the session's (a patient's or a caregiver's own patient may differ from a launcher's pick, or be absent): the visit
 * a response records is that patient's (questionnaires/responses/encounter.rules.ts). Null otherwise.
 */
export function launchEncounter(tokens: Readonly<Record<string, unknown>>, sessionPatientId: string | null): string | null {
  const id = (v: unknown) => (typeof v === 'string' && FHIR_ID.test(v) ? v : null);
  const encounter = id(tokens.encounter);
  return encounter && sessionPatientId !== null && id(tokens.patient) === sessionPatientId ? encounter : null;
}

/** At most this many items are kept: an EHR names a few resources, never a list. */
export const MAX_CONTEXT_ITEMS = 20;

const RELATIVE_REFERENCE = new RegExp(`^([A-Z][A-Za-z]{1,63})/(${FHIR_ID_SOURCE})$`);
const CANONICAL = /^[a-z][a-z0-9+.-]{1,20}:[^\s|]{1,1000}(\|[^\s|]{1,64})?$/i;
const TYPE = /^[A-Z][A-Za-z]{1,63}$/;
// A control character (NUL above all, which PostgreSQL's jsonb refuses) is never kept: the item carrying one is dropped.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\x00-\x1f\x7f]/;
const short = (v: unknown, max: number): string | undefined => (typeof v === 'string' && v.trim() && v.length <= max && !CONTROL.test(v) ? v.trim() : undefined);
// SMART 2.2: `role` is `launch` or an absolute URI.
const ROLE = /^(launch|[a-z][a-z0-9+.-]{0,20}:[^\s]{1,300})$/i;

/** Any string in the item (at any depth) holds a control character. */
function hasControl(v: unknown): boolean {
  if (typeof v === 'string') return CONTROL.test(v);
  if (v && typeof v === 'object') return Object.values(v).some(hasControl);
  return false;
}

/** The token response's `fhirContext`, kept only as far as it is well formed (anything else is dropped, never stored). */
export function normaliseFhirContext(raw: unknown): LaunchContextItem[] | null {
  if (!Array.isArray(raw)) return null;
  const items: LaunchContextItem[] = [];
  for (const entry of raw.slice(0, MAX_CONTEXT_ITEMS)) {
    // SMART 2.0 sent bare reference strings.
    const o = (typeof entry === 'string' ? { reference: entry } : entry) as Record<string, unknown> | null;
    if (!o || typeof o !== 'object' || Array.isArray(o)) continue;
    // One bad string spoils the item: what it names cannot be trusted to be what the EHR meant.
    if (hasControl([o.reference, o.canonical, o.type, o.role, o.identifier])) continue;
    const item: LaunchContextItem = {};
    const reference = short(o.reference, 200);
    if (reference && RELATIVE_REFERENCE.test(reference)) item.reference = reference;
    const canonical = short(o.canonical, 1100);
    if (canonical && CANONICAL.test(canonical)) item.canonical = canonical;
    const id = o.identifier as Record<string, unknown> | undefined;
    if (id && typeof id === 'object' && short(id.value, 200)) {
      item.identifier = { ...(short(id.system, 500) ? { system: short(id.system, 500) } : {}), value: short(id.value, 200) };
    }
    const type = short(o.type, 64) ?? (item.reference ? RELATIVE_REFERENCE.exec(item.reference)![1] : undefined);
    if (type && TYPE.test(type)) item.type = type;
    if (o.role !== undefined) {
      // A role that is not `launch` nor a URI drops the item (kept without it, the item would count as the launch's).
      const role = short(o.role, 300);
      if (!role || !ROLE.test(role)) continue;
      item.role = role;
    }
    if (item.reference || item.canonical || item.identifier) items.push(item);
  }
  return items.length ? items : null;
}

/** What the launch asks the app to open: a Questionnaire by canonical, or a resource (Task, Questionnaire) to read first. */
export type FormRequest = { kind: 'canonical'; canonical: string } | { kind: 'Task' | 'Questionnaire'; id: string };

/**
 * The form a launch's context asks for, if any: the first Questionnaire canonical (a canonical without a type is
 * taken as one), else the first Task or Questionnaire reference. Only items whose role is the launch itself count
 * (no role, or `launch`): a resource named for another reason does not choose the form.
 */
export function formRequest(items: LaunchContextItem[] | null): FormRequest | null {
  const launchItems = (items ?? []).filter((i) => !i.role || i.role === 'launch');
  const canonical = launchItems.find((i) => i.canonical && (!i.type || i.type === 'Questionnaire'));
  if (canonical) return { kind: 'canonical', canonical: canonical.canonical! };
  for (const i of launchItems) {
    const m = i.reference ? RELATIVE_REFERENCE.exec(i.reference) : null;
    if (m && (m[1] === 'Task' || m[1] === 'Questionnaire')) return { kind: m[1], id: m[2] };
  }
  return null;
}

// The SDC Task pattern is FHIR knowledge the write-back shares (completing the Task): it lives in fhir/.
export { patientOfTask, questionnaireOfTask } from '../../fhir/sdc-task.js';
