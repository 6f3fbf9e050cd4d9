import type { EntityManager } from 'typeorm';

/** An enrolment's questionnaire timepoints, as the questionnaires module schedules them (days from cohortStart). */
export interface TimepointSchedule {
  enrolmentId: string;
  registrationId: string;
  patientId: string;
  caregivers: { relatedPersonId: string }[];
  programTimepoints: { timepoint: string; questionnaires: string[]; dueFromDays: number; dueUntilDays: number }[];
  cohortStart: string;
  cohortId: string | null;
  /** Receives safety alerts raised by these forms. */
  responsiblePractitioner: string | null;
  actor: string;
}

/**
 * Port: due questionnaires for an enrolment, created (and cancelled at withdrawal) inside the enrolment's own
 * transaction. The questionnaires module's TimepointsService answers it (bound in app.module.ts through ProgramsModule.register).
 */
export abstract class EnrolmentTimepoints {
  abstract scheduleForEnrolment(m: EntityManager, input: TimepointSchedule): Promise<unknown>;
  abstract cancelForEnrolment(m: EntityManager, input: { registrationId: string; enrolmentId: string; actor?: string | null }): Promise<unknown>;
}
