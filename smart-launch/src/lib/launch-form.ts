import { api } from './api';
import type { AppContext } from './context';

// SMART App Launch 2.2: the EHR can launch the app on a form (fhirContext: a Questionnaire canonical, or a Task
// asking for one). The server resolves it (GET /api/context/form); the app opens the player on it once, after launch.

export interface LaunchContextItem {
  reference?: string;
  canonical?: string;
  identifier?: { system?: string; value?: string };
  type?: string;
  role?: string;
}

export interface LaunchForm {
  canonical: string;
  source: 'canonical' | 'Questionnaire' | 'Task';
  task: string | null;
  /** The Task is draft or on-hold: the form opens, but answering it does not complete the Task. */
  taskNotReady?: 'draft' | 'on-hold';
}

export const launchForms = {
  get: () => api.get<{ form: LaunchForm | null }>('/api/context/form'),
};

let handled = false;

/** Whether this launch named a form the app has not opened yet (once a page load: a later "home" is the home screen). */
export function launchFormPending(ctx: AppContext): boolean {
  if (handled || !ctx.patient) return false;
  return (ctx.fhirContext ?? []).some(
    (i) => (!i.role || i.role === 'launch') && ((i.canonical && (!i.type || i.type === 'Questionnaire')) || /^(Task|Questionnaire)\//.test(i.reference ?? '')),
  );
}

export function markLaunchFormHandled(): void {
  handled = true;
}
