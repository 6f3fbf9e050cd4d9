import type { AssignmentTaskFacts } from './assignment.fhir.js';
import { availabilityOf, isOverdue, todayUtc, type Availability } from './due-window.js';
import type { QuestionnaireAssignment } from './questionnaire-assignment.entity.js';

/** The Task's facts of a stored assignment (its title comes from the instrument library). */
export function taskFactsOf(a: QuestionnaireAssignment, title?: string): AssignmentTaskFacts {
  return {
    assignmentId: a.id,
    patientId: a.patientId,
    subjectType: a.subjectType,
    subjectId: a.subjectId,
    questionnaire: a.questionnaire,
    ...(title ? { title } : {}),
    timepoint: a.timepoint,
    dueFrom: a.dueFrom,
    dueUntil: a.dueUntil,
    enrolmentId: a.enrolmentId,
    authoredOn: a.createdAt.toISOString(),
  };
}

/** A due form as the worklists show it. */
export interface AssignmentView {
  id: string;
  enrolmentId: string | null;
  cohortId: string | null;
  patientId: string;
  /** `Patient/<id>` or `RelatedPerson/<id>`: who answers it. */
  subject: string;
  questionnaire: string;
  timepoint: string;
  dueFrom: string;
  dueUntil: string;
  status: string;
  /** Whether it can be answered today (see due-window.ts): only `open` forms can be started or saved. */
  availability: Availability;
  overdue: boolean;
  responseId: string | null;
}

export function assignmentView(a: QuestionnaireAssignment, today = todayUtc()): AssignmentView {
  return {
    id: a.id,
    enrolmentId: a.enrolmentId,
    cohortId: a.cohortId,
    patientId: a.patientId,
    subject: `${a.subjectType}/${a.subjectId}`,
    questionnaire: a.questionnaire,
    timepoint: a.timepoint,
    dueFrom: a.dueFrom,
    dueUntil: a.dueUntil,
    status: a.status,
    availability: availabilityOf(a, today),
    overdue: isOverdue(a, today),
    responseId: a.responseId,
  };
}
