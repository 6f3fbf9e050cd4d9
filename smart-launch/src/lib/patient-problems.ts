import { ApiError } from './api';
import type { T } from './i18n';

// What went wrong, said to the person answering, in their language (issue 15). The server's OperationOutcomes stay
// in English for staff and logs, and their wording is written for the clinic's staff (linkIds, versions, ids); the
// player and the pages around it read only what the server's answer is — its status and coded error
// (urn:als-wellness:error-code, src/common/errors/error-codes.ts) — and say it in the catalogue's own words (t).

/** The domain error codes an OperationOutcome carries (`issue.details.coding`). */
export function errorCodes(e: ApiError): Set<string> {
  return new Set(e.outcome.issue.flatMap((i) => i.details?.coding?.map((c) => c.code ?? '') ?? []));
}

/** The coded refusal that ends the player: the due form was closed (or answered elsewhere) meanwhile. */
export function isFormClosed(e: unknown): boolean {
  return e instanceof ApiError && e.status === 409 && errorCodes(e).has('QUESTIONNAIRES.ASSIGNMENT_UNAVAILABLE');
}

/**
 * One sentence for a failed call (a save, or loading a form or the list): by what the server answered, never its
 * text. `fallback` is said when the failure is not the server's answer (a fault on the page itself).
 */
export function patientProblem(e: unknown, t: T, fallback: string): string {
  if (!(e instanceof ApiError)) return fallback;
  const codes = errorCodes(e);
  // Made up by lib/api.ts when fetch itself failed: nothing reached the service.
  if (e.status === 0) return t('The service is not answering. Check the connection and try again; nothing was lost.');
  if (e.status === 401) return t('Your session has ended. Please sign in again to go on.');
  if (codes.has('QUESTIONNAIRES.VERSION_CONFLICT')) return t('These answers were changed on another screen meanwhile. Reload the page to see the latest ones.');
  if (isFormClosed(e)) return t('This questionnaire was closed, or answered on another screen, while it was open here.');
  if (codes.has('AUTH.CSRF')) return t('This page has been open too long to save from. Reload the page and try again.');
  if (e.status === 403) return t('You cannot answer this questionnaire for this person.');
  if (e.status === 404) return t('This questionnaire could not be found.');
  if (e.status === 429) return t('Too many tries in a short time. Please wait a minute and try again.');
  if (e.status >= 500) return t('The service could not do this just now. Please try again in a moment.');
  if (codes.has('QUESTIONNAIRES.INVALID_RESPONSE')) return t('Some answers could not be accepted. Please check them.');
  return fallback;
}
