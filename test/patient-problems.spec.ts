import { describe, expect, it } from '@jest/globals';
import type { OperationOutcome } from 'fhir/r4.js';
import { ES } from '../smart-launch/src/lib/messages-es.js';

// The browser app's own modules, loaded as jest loads them: their extensionless imports are resolved by Vite and
// jest, not by this project's compiler (which checks them in smart-launch/tsconfig.json), so their shape is named here.
type T = (text: string) => string;
interface Problems {
  isRetryable(e: unknown): boolean;
  isVersionConflict(e: unknown): boolean;
  patientProblem(e: unknown, t: T, fallback: string): string;
  listProblem(e: unknown, t: T): string;
  launchProblem(e: unknown, t: T): string;
  contextProblem(e: unknown, t: T): string;
}
const browserModule = (path: string): Promise<unknown> => import(path);
const { ApiError } = (await browserModule('../smart-launch/src/lib/api.js')) as { ApiError: new (status: number, outcome: OperationOutcome) => Error };
const { contextProblem, isRetryable, isVersionConflict, launchProblem, listProblem, patientProblem } = (await browserModule('../smart-launch/src/lib/patient-problems.js')) as Problems;

/**
 * What a patient reads when a call fails (issue 15): by the refusal's status and coded error, in their language, never
 * the service's text; a save is "tried again at the next step" only when it may then succeed; a list's and a portal
 * launch's refusals are said of what failed. The browser suites show these on the pages; here, every branch.
 */

const STAFF = 'Staff wording: QuestionnaireResponse/abc at version 3, not 2; reload it.';
const refusal = (status: number, code?: string) =>
  new ApiError(status, {
    resourceType: 'OperationOutcome',
    issue: [{ severity: 'error', code: 'conflict', diagnostics: STAFF, details: code ? { coding: [{ system: 'urn:als-wellness:error-code', code }] } : undefined }],
  });
// The catalogue's lookup as the app's t() does it (i18n.ts imports preact, which this test does not load).
const es = (text: string) => ES[text] ?? `MISSING: ${text}`;
const en = (text: string) => text;

describe('what a patient reads when a call fails', () => {
  it('knows a draft saved elsewhere (409 VERSION_CONFLICT, 412) from other conflicts, and says so truthfully', () => {
    expect([refusal(409, 'QUESTIONNAIRES.VERSION_CONFLICT'), refusal(412)].map(isVersionConflict)).toEqual([true, true]);
    expect([refusal(409, 'QUESTIONNAIRES.ASSIGNMENT_UNAVAILABLE'), refusal(409), refusal(428, 'QUESTIONNAIRES.VERSION_REQUIRED'), new Error('x')].map(isVersionConflict)).toEqual([false, false, false, false]);
    expect(patientProblem(refusal(412), en, 'fallback')).toBe('These answers were saved on another screen after this one opened them, so what was done here was not saved.');
    expect(patientProblem(refusal(409, 'QUESTIONNAIRES.VERSION_CONFLICT'), es, 'fallback')).toBe(
      'Estas respuestas se guardaron en otra pantalla después de que esta las abriera, así que lo que se hizo aquí no se guardó.',
    );
  });

  it('promises a retry only for what a retry may get past: no connection, too many tries, the service down', () => {
    expect([0, 429, 500, 502, 503].map((s) => isRetryable(refusal(s)))).toEqual([true, true, true, true, true]);
    expect([400, 401, 403, 404, 409, 412, 422].map((s) => isRetryable(refusal(s)))).toEqual([false, false, false, false, false, false, false]);
    expect(isRetryable(new Error('a fault on the page'))).toBe(false);
  });

  it('says what the person can do, in Spanish, never the service’s text', () => {
    const said = [401, 403, 404, 429, 503, 0].map((s) => patientProblem(refusal(s), es, 'fallback'));
    expect(said.every((line) => !line.startsWith('MISSING') && !line.includes('Staff wording'))).toBe(true);
    expect(said[1]).toBe('Usted no puede responder este cuestionario por esta persona. Por favor, consulte a su equipo de atención.');
    expect(patientProblem(refusal(403, 'AUTH.CSRF'), en, 'fallback')).toBe('This page has been open too long to save from. Reload the page and try again.');
    expect(patientProblem(new Error(STAFF), en, 'fallback')).toBe('fallback');
  });

  it('says a list’s refusal of the list, not of “this questionnaire” or “this person”', () => {
    expect(listProblem(refusal(403), en)).toBe('Your questionnaires cannot be shown to this sign-in. Please sign in again from your health record, or ask your care team.');
    expect(listProblem(refusal(404), en)).toBe('Your questionnaires could not be found. Please ask your care team.');
    expect(listProblem(refusal(503), es)).toBe(ES['The service could not do this just now. Please try again in a moment.']);
    expect(listProblem(refusal(400), en)).toBe('Please try again in a moment.');
  });

  it('says why a form the portal opened the app on was not opened', () => {
    expect(launchProblem(refusal(403, 'AUTH.PATIENT_NOT_IN_CONTEXT'), en)).toBe('The questionnaire your health record asked for is not about you, so it was not opened.');
    expect(launchProblem(refusal(409, 'QUESTIONNAIRES.ASSIGNMENT_UNAVAILABLE'), en)).toBe('The questionnaire your health record asked for is already answered or no longer needed.');
    expect(launchProblem(refusal(404, 'COMMON.NOT_FOUND'), en)).toBe('The questionnaire your health record asked for could not be found. Please ask your care team.');
    expect([502, 503].map((s) => launchProblem(refusal(s), es))).toEqual([
      'No se pudo conectar con su expediente médico en este momento. Por favor, inténtelo de nuevo dentro de un momento.',
      'No se pudo conectar con su expediente médico en este momento. Por favor, inténtelo de nuevo dentro de un momento.',
    ]);
    expect(launchProblem(refusal(401), en)).toBe('Your session has ended. Please sign in again to go on.');
    expect(launchProblem(new Error(STAFF), en)).toBe('The questionnaire your health record asked for could not be opened. Please try again in a moment.');
    expect(launchProblem(refusal(400), en)).toBe('The questionnaire your health record asked for could not be opened. Please try again in a moment.');
  });

  it('says a refusal of the first call (who is signed in, the record in context) of the record, not of a questionnaire', () => {
    expect(contextProblem(refusal(403, 'FHIR.FORBIDDEN'), en)).toBe('Your health record did not let this app open your record. Please open the app again from your health record, or ask your care team.');
    expect(contextProblem(refusal(404, 'COMMON.NOT_FOUND'), en)).toBe('Your record could not be found in your health record. Please open the app again from your health record, or ask your care team.');
    for (const e of [refusal(403), refusal(404)]) {
      expect(contextProblem(e, es)).not.toContain('MISSING');
      expect(contextProblem(e, en)).not.toMatch(/questionnaire/i);
    }
    expect(contextProblem(refusal(503), en)).toBe('The service could not do this just now. Please try again in a moment.');
    expect(contextProblem(new Error(STAFF), en)).toBe('Please try again in a moment.');
  });
});
