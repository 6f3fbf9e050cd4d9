import { ApiError } from './api';
import type { T } from './i18n';
import { hasErrorCode } from './outcome';

// What went wrong, said to the person answering, in their language (issue 15). The server's OperationOutcomes stay
// in English for staff and logs, and their wording is written for the clinic's staff (linkIds, versions, ids); the
// player and the pages around it read only what the server's answer is — its status and coded error
// (urn:als-wellness:error-code, src/common/errors/error-codes.ts) — and say it in the catalogue's own words (t).

/** The coded refusal that ends the player: the due form was closed (or answered elsewhere) meanwhile. */
export function isFormClosed(e: unknown): boolean {
  return e instanceof ApiError && e.status === 409 && hasErrorCode(e, 'QUESTIONNAIRES.ASSIGNMENT_UNAVAILABLE');
}

/**
 * The draft was saved elsewhere after this screen read it (409 QUESTIONNAIRES.VERSION_CONFLICT; 412, If-Match's own
 * refusal): saving again from here on the same version can never succeed — the way on is the latest saved version
 * (player/SavedElsewhere.tsx: keep this screen's answers on it, or open it).
 */
export function isVersionConflict(e: unknown): boolean {
  return e instanceof ApiError && (e.status === 412 || (e.status === 409 && hasErrorCode(e, 'QUESTIONNAIRES.VERSION_CONFLICT')));
}

/** A failure the same call may get past later (the connection, the service busy or down): the next save tries again. */
export function isRetryable(e: unknown): boolean {
  return e instanceof ApiError && (e.status === 0 || e.status === 429 || e.status >= 500);
}

/**
 * One sentence for a failed call (a save, or loading a form): by what the server answered, never its text. Each says
 * what the person can do. `fallback` is said when the failure is not the server's answer (a fault on the page itself).
 */
export function patientProblem(e: unknown, t: T, fallback: string): string {
  if (!(e instanceof ApiError)) return fallback;
  // Made up by lib/api.ts when fetch itself failed: nothing reached the service.
  if (e.status === 0) return t('The service is not answering. Check the connection and try again; nothing was lost.');
  if (e.status === 401) return t('Your session has ended. Please sign in again to go on.');
  if (isVersionConflict(e)) return t('These answers were saved on another screen after this one opened them, so what was done here was not saved.');
  if (isFormClosed(e)) return t('This questionnaire was closed, or answered on another screen, while it was open here.');
  if (hasErrorCode(e, 'AUTH.CSRF')) return t('This page has been open too long to save from. Reload the page and try again.');
  if (e.status === 403) return t('You cannot answer this questionnaire for this person. Please ask your care team.');
  if (e.status === 404) return t('This questionnaire could not be found. Please ask your care team.');
  if (e.status === 429) return t('Too many tries in a short time. Please wait a minute and try again.');
  if (e.status >= 500) return t('The service could not do this just now. Please try again in a moment.');
  if (hasErrorCode(e, 'QUESTIONNAIRES.INVALID_RESPONSE')) return t('Some answers could not be accepted. Please check them.');
  return fallback;
}

/**
 * The same for the page's first call, who is signed in and the record in context (/api/context): a refusal or an
 * absence there is about the person's record as the EHR gave it, not about a questionnaire (the EHR refused this
 * sign-in the record: 403 FHIR.FORBIDDEN; it has no such record: 404).
 */
export function contextProblem(e: unknown, t: T): string {
  if (e instanceof ApiError && e.status === 403) return t('Your health record did not let this app open your record. Please open the app again from your health record, or ask your care team.');
  if (e instanceof ApiError && e.status === 404) return t('Your record could not be found in your health record. Please open the app again from your health record, or ask your care team.');
  return patientProblem(e, t, t('Please try again in a moment.'));
}

/**
 * The same for a list of the person's forms ("My questionnaires"): a refusal or an absence is about the list, not
 * about one questionnaire.
 */
export function listProblem(e: unknown, t: T): string {
  if (e instanceof ApiError && e.status === 403) return t('Your questionnaires cannot be shown to this sign-in. Please sign in again from your health record, or ask your care team.');
  if (e instanceof ApiError && e.status === 404) return t('Your questionnaires could not be found. Please ask your care team.');
  return patientProblem(e, t, t('Please try again in a moment.'));
}

/**
 * The same when the EHR (or the patient portal) opened the app on a form (SMART 2.2 fhirContext) and it could not be
 * opened: GET /api/context/form refuses a Task about someone else (403), one already done (409), one naming no form
 * or a form the EHR does not have (404), and says when the EHR could not be read (502/503).
 */
export function launchProblem(e: unknown, t: T): string {
  if (!(e instanceof ApiError)) return t('The questionnaire your health record asked for could not be opened. Please try again in a moment.');
  if (e.status === 403) return t('The questionnaire your health record asked for is not about you, so it was not opened.');
  if (isFormClosed(e)) return t('The questionnaire your health record asked for is already answered or no longer needed.');
  if (e.status === 404) return t('The questionnaire your health record asked for could not be found. Please ask your care team.');
  if (e.status === 502 || e.status === 503) return t('Your health record could not be reached just now. Please try again in a moment.');
  return patientProblem(e, t, t('The questionnaire your health record asked for could not be opened. Please try again in a moment.'));
}
