import type { Patient } from 'fhir/r4.js';

/**
 * Port: the language a patient prefers, from their record (Patient.communication), as a code the app speaks, or
 * undefined. The banner carries it so the player opens in it (issue 15); the questionnaires module, which owns the
 * translations, answers it (`preferredLanguage`, bound in app.module.ts through `SmartModule.register`).
 */
export abstract class PatientLanguage {
  abstract preferred(patient: Patient): string | undefined;
}
