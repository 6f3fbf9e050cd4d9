import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { questionnaireUrl } from '../../src/questionnaires/engine/codes.js';
import { TimepointsService, type ScheduleInput } from '../../src/questionnaires/timepoints/timepoints.service.js';
import type { TestApp } from '../support/test-app.js';

const Q = questionnaireUrl;

/** The MSC course's timepoints as the programs module passes them (days from the cohort's first session). */
export const COURSE_TIMEPOINTS: ScheduleInput['programTimepoints'] = [
  { timepoint: 'baseline', questionnaires: [Q('phq-9'), Q('gad-7'), Q('who-5'), Q('scs-sf')], dueFromDays: -14, dueUntilDays: 0 },
  { timepoint: 'post', questionnaires: [Q('phq-9'), Q('gad-7'), Q('who-5'), Q('scs-sf'), Q('program-satisfaction')], dueFromDays: 49, dueUntilDays: 63 },
];

export interface Enrolled {
  enrolmentId: string;
  cohortId: string;
  created: { id: string; subjectType: string; subjectId: string; questionnaireUrl: string; timepoint: string }[];
}

/** What the programs module does inside its enrolment transaction: schedule the due forms. */
export async function enrol(t: TestApp, o: { registrationId: string; patientId: string; caregivers?: string[]; responsible?: string; cohortStart?: string; timepoints?: ScheduleInput['programTimepoints'] }): Promise<Enrolled> {
  const enrolmentId = randomUUID();
  const cohortId = randomUUID();
  const { created } = await t.app.get(DataSource).transaction((m) =>
    t.app.get(TimepointsService).scheduleForEnrolment(m, {
      enrolmentId,
      registrationId: o.registrationId,
      patientId: o.patientId,
      caregivers: (o.caregivers ?? []).map((relatedPersonId) => ({ relatedPersonId })),
      programTimepoints: o.timepoints ?? COURSE_TIMEPOINTS,
      cohortStart: o.cohortStart ?? new Date().toISOString().slice(0, 10),
      cohortId,
      responsiblePractitioner: o.responsible ?? null,
      actor: 'Practitioner/coordinator-1',
    }),
  );
  return { enrolmentId, cohortId, created };
}

/** The assignment of one participant's form at a timepoint. */
export function assignmentOf(e: Enrolled, subject: string, name: string, timepoint = 'baseline'): string {
  const found = e.created.find((a) => `${a.subjectType}/${a.subjectId}` === subject && a.questionnaireUrl === Q(name) && a.timepoint === timepoint);
  if (!found) throw new Error(`No ${name} ${timepoint} assignment for ${subject}`);
  return found.id;
}
