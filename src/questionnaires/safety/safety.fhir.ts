import type { Bundle, Communication, Reference, Task } from 'fhir/r4.js';
import { APP_DEVICE, referenceTo } from '../../fhir/business-identifier.js';
import { transactionBundle } from '../../fhir/write-back.fhir.js';
import { ALS_CODE_SYSTEM, questionnaireUrl } from '../codes.js';
import type { SafetyPriority } from '../instrument.types.js';
import type { FollowUpAction } from '../questionnaire.vocabulary.js';
import { fhirRef, logicalRef, writeBackIds } from '../write-back.ids.js';

const COMMUNICATION_CATEGORY = 'http://terminology.hl7.org/CodeSystem/communication-category';
export const FOLLOW_UP_ACTION_SYSTEM = `${ALS_CODE_SYSTEM}-safety-follow-up`;

/** A raised alert as the EHR resources need it; plain data so the mappers stay pure. */
export interface AlertFacts {
  alertId: string;
  patientId: string;
  responseId: string;
  /** `url|version` of the form. */
  questionnaire: string;
  questionnaireTitle?: string;
  ruleId: string;
  severity: SafetyPriority;
  /** `Practitioner/<id>`, or null when nobody is known (the EHR's own work queue then picks the Task up). */
  responsible: string | null;
  /** Instant the alert was raised (stable: the Task is rebuilt in full on follow-up). */
  raisedAt: string;
  /** Calendar date the answers were given. */
  answeredOn: string;
}

export interface FollowUpFacts {
  by: string;
  at: string;
  action: FollowUpAction;
  note?: string | null;
}

// What the EHR is told, per rule: deliberately no answer content beyond what a clinician needs to act.
const NOTICES: Record<string, (date: string) => string> = {
  [`${questionnaireUrl('phq-9')}#self-harm-risk`]: (date) => `PHQ-9 item 9 answered > 0 on ${date}`,
};

/** The one line the EHR's Task and Communication carry (no item wording, no other answers). */
export function alertNotice(f: AlertFacts): string {
  const url = f.questionnaire.split('|')[0];
  const known = NOTICES[`${url}#${f.ruleId}`];
  const what = known ? known(f.answeredOn) : `${f.questionnaireTitle ?? 'Questionnaire'}: safety rule '${f.ruleId}' triggered on ${f.answeredOn}`;
  return `${what}. Review the response in the ALS wellness module and record follow-up.`;
}

// R4 Annotation.authorReference may only be one of these: a PractitionerRole (a fhirUser some EHRs give)
// is left off the note, and the Bundle's Provenance still names them as who recorded the follow-up.
const ANNOTATION_AUTHOR = /^(Practitioner|Patient|RelatedPerson|Organization)\//;

function noteAuthor(by: string): { authorReference?: Reference } {
  return ANNOTATION_AUTHOR.test(by) ? { authorReference: fhirRef(by) } : {};
}

/** The high-priority review Task for the responsible clinician; `completed` once follow-up is recorded. */
export function alertTask(f: AlertFacts, followUp?: FollowUpFacts): Task {
  return {
    resourceType: 'Task',
    status: followUp ? 'completed' : 'requested',
    intent: 'order',
    priority: f.severity,
    code: { coding: [{ system: ALS_CODE_SYSTEM, code: 'safety-alert-review', display: 'Review safety alert' }] },
    description: alertNotice(f),
    focus: logicalRef('QuestionnaireResponse', writeBackIds.response(f.responseId)),
    for: fhirRef(`Patient/${f.patientId}`),
    authoredOn: f.raisedAt,
    requester: APP_DEVICE,
    ...(f.responsible ? { owner: fhirRef(f.responsible) } : {}),
    ...(followUp
      ? {
          lastModified: followUp.at,
          executionPeriod: { start: f.raisedAt, end: followUp.at },
          businessStatus: { coding: [{ system: FOLLOW_UP_ACTION_SYSTEM, code: followUp.action }] },
          ...(followUp.note ? { note: [{ ...noteAuthor(followUp.by), time: followUp.at, text: followUp.note }] } : {}),
        }
      : {}),
  };
}

/** The urgent message to the responsible clinician, sent by the app itself. */
export function alertCommunication(f: AlertFacts & { responsible: string }): Communication {
  return {
    resourceType: 'Communication',
    basedOn: [referenceTo(writeBackIds.alertTask(f.alertId))],
    status: 'completed',
    category: [{ coding: [{ system: COMMUNICATION_CATEGORY, code: 'alert', display: 'Alert' }] }],
    priority: f.severity,
    subject: fhirRef(`Patient/${f.patientId}`),
    about: [logicalRef('QuestionnaireResponse', writeBackIds.response(f.responseId))],
    sent: f.raisedAt,
    recipient: [fhirRef(f.responsible)],
    sender: APP_DEVICE,
    payload: [{ contentString: alertNotice(f) }],
  };
}

/** Raised: the Task and (when someone is responsible) the Communication, recorded as the app's own write. */
export function alertRaisedBundle(f: AlertFacts): Bundle {
  const task = { resource: alertTask(f), businessIdentifier: writeBackIds.alertTask(f.alertId) };
  const responsible = f.responsible;
  const entries = responsible
    ? [task, { resource: alertCommunication({ ...f, responsible }), businessIdentifier: writeBackIds.alertCommunication(f.alertId) }]
    : [task];
  return transactionBundle(entries, { agent: APP_DEVICE, recorded: f.raisedAt });
}

/** Followed up: the Task completed, by the clinician who recorded it. */
export function alertFollowUpBundle(f: AlertFacts, followUp: FollowUpFacts): Bundle {
  return transactionBundle(
    [{ resource: alertTask(f, followUp), businessIdentifier: writeBackIds.alertTask(f.alertId), mode: 'update' }],
    { agent: fhirRef(followUp.by), recorded: followUp.at },
  );
}
