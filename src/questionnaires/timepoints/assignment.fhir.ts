import type { Reference, Task } from 'fhir/r4.js';
import type { SubjectType, Timepoint } from '../questionnaire.vocabulary.js';
import { writeBackIds } from '../../fhir/identifiers.js';
import { logicalRef, ref } from '../../fhir/references.js';

export const SDC_TASK_PROFILE = 'http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-task';
export const SDC_TEMP_CODES = 'http://hl7.org/fhir/uv/sdc/CodeSystem/temp';

/** A due form as the Task needs it; plain data so the mapper stays pure. */
export interface AssignmentTaskFacts {
  assignmentId: string;
  patientId: string;
  subjectType: SubjectType;
  subjectId: string;
  /** `url|version`. */
  questionnaire: string;
  title?: string;
  timepoint: Timepoint;
  /** Inclusive calendar dates. */
  dueFrom: string;
  dueUntil: string;
  enrolmentId: string | null;
  /** When the assignment was created (stable: every rebuild of the Task is identical but for its status). */
  authoredOn: string;
}

/**
 * The SDC questionnaire Task (sdc-task): "complete this Questionnaire", for the patient, owned by the person
 * who answers it (the patient, or a caregiver for their own form), due within `restriction.period`. Rebuilt
 * in full for each status change, because a conditional update replaces the whole resource.
 * `response` (completed only) is the QuestionnaireResponse it produced.
 */
export function questionnaireTask(f: AssignmentTaskFacts, status: 'requested' | 'in-progress' | 'completed' | 'cancelled', response?: Reference): Task {
  return {
    resourceType: 'Task',
    meta: { profile: [SDC_TASK_PROFILE] },
    status,
    intent: 'order',
    priority: 'routine',
    code: { coding: [{ system: SDC_TEMP_CODES, code: 'complete-questionnaire', display: 'Complete Questionnaire' }] },
    description: `Complete ${f.title ?? 'the questionnaire'} (${f.timepoint})`,
    ...(f.enrolmentId ? { basedOn: [logicalRef('CarePlan', writeBackIds.carePlan(f.enrolmentId))] } : {}),
    for: ref(`Patient/${f.patientId}`),
    authoredOn: f.authoredOn,
    owner: ref(`${f.subjectType}/${f.subjectId}`),
    restriction: { period: { start: f.dueFrom, end: f.dueUntil } },
    input: [{ type: { coding: [{ system: SDC_TEMP_CODES, code: 'questionnaire', display: 'Questionnaire' }] }, valueCanonical: f.questionnaire }],
    ...(response
      ? { output: [{ type: { coding: [{ system: SDC_TEMP_CODES, code: 'questionnaire-response', display: 'Questionnaire Response' }] }, valueReference: response }] }
      : {}),
  };
}
