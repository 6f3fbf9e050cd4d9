import type { Bundle, Communication, Reference, Task } from 'fhir/r4.js';
import { APP_DEVICE, referenceTo } from '../../fhir/business-identifier.js';
import { transactionBundle, type WriteBackEntry } from '../../fhir/write-back.fhir.js';
import { ALS_CODE_SYSTEM, questionnaireUrl } from '../engine/codes.js';
import type { SafetyPriority } from '../engine/instrument.types.js';
import type { AnswerMode, FollowUpAction } from '../questionnaire.vocabulary.js';
import { writeBackIds } from '../../fhir/identifiers.js';
import { logicalRef, ref } from '../../fhir/references.js';

const COMMUNICATION_CATEGORY = 'http://terminology.hl7.org/CodeSystem/communication-category';
export const FOLLOW_UP_ACTION_SYSTEM = `${ALS_CODE_SYSTEM}-safety-follow-up`;

/** A raised alert as the EHR resources need it; plain data so the mappers stay pure. */
export interface AlertFacts {
  alertId: string;
  patientId: string;
  /** Who the alert is about: `Patient/<id>`, or `RelatedPerson/<id>` for a caregiver's own form (never the patient then). */
  subject: string;
  /** How the answers were given; a proxy report or a caregiver typing for the patient is said in the text. */
  answerMode: AnswerMode;
  /** fhirUser who typed the answers. */
  author: string;
  /** Raised on a saved draft the person had not submitted yet. */
  raisedOnDraft: boolean;
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
  /** Set once the alert was escalated (stable too: the escalation Task is completed at follow-up). */
  escalation?: EscalationFacts;
}

export interface EscalationFacts {
  at: string;
  /** The program's lead clinician, or null when none is known (the EHR's work queue). */
  to: string | null;
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

const isCaregiverSubject = (f: Pick<AlertFacts, 'subject'>) => f.subject.startsWith('RelatedPerson/');

/** Who typed someone else's answers, in words: a caregiver or a clinician. */
function proxyKind(author: string): string {
  return author.startsWith('RelatedPerson/') ? 'a caregiver' : author.startsWith('Patient/') ? 'another person' : 'a clinician';
}

/** How the answers were given, when it is not the subject answering (or read aloud to): said in every alert text. */
export function answeredHow(f: Pick<AlertFacts, 'answerMode' | 'author'>): string | null {
  if (f.answerMode === 'proxy') return `proxy report by ${proxyKind(f.author)}: their judgement, not the patient's own answer`;
  if (f.answerMode === 'caregiver-entered') return "answers entered by a caregiver on the patient's behalf";
  return null;
}

/** The one line the EHR's Task and Communication carry (no item wording, no other answers). */
export function alertNotice(f: AlertFacts): string {
  const url = f.questionnaire.split('|')[0];
  const known = NOTICES[`${url}#${f.ruleId}`];
  const what = known ? known(f.answeredOn) : `${f.questionnaireTitle ?? 'Questionnaire'}: safety rule '${f.ruleId}' triggered on ${f.answeredOn}`;
  const about = isCaregiverSubject(f) ? "Caregiver's own form (about the caregiver, not the patient): " : '';
  const draft = f.raisedOnDraft ? ' in a saved draft (not yet submitted)' : '';
  const how = answeredHow(f);
  return `${about}${what}${draft}${how ? ` (${how})` : ''}. Review the response in the ALS wellness module and record follow-up.`;
}

// R4 Annotation.authorReference may only be one of these: a PractitionerRole (a fhirUser some EHRs give)
// is left off the note, and the Bundle's Provenance still names them as who recorded the follow-up.
const ANNOTATION_AUTHOR = /^(Practitioner|Patient|RelatedPerson|Organization)\//;

function noteAuthor(by: string): { authorReference?: Reference } {
  return ANNOTATION_AUTHOR.test(by) ? { authorReference: ref(by) } : {};
}

function followUpFields(started: string, followUp?: FollowUpFacts): Partial<Task> {
  if (!followUp) return {};
  return {
    lastModified: followUp.at,
    executionPeriod: { start: started, end: followUp.at },
    businessStatus: { coding: [{ system: FOLLOW_UP_ACTION_SYSTEM, code: followUp.action }] },
    ...(followUp.note ? { note: [{ ...noteAuthor(followUp.by), time: followUp.at, text: followUp.note }] } : {}),
  };
}

/**
 * Communication has no element for a RelatedPerson as its subject in R4 (Patient | Group): a caregiver's alert
 * leaves `subject` out and names the caregiver in `about` (Reference(Any)), so nothing files it in the patient's chart.
 */
function communicationAbout(f: AlertFacts): Pick<Communication, 'subject' | 'about'> {
  const response = logicalRef('QuestionnaireResponse', writeBackIds.response(f.responseId));
  return isCaregiverSubject(f) ? { about: [response, ref(f.subject)] } : { subject: ref(f.subject), about: [response] };
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
    for: ref(f.subject),
    authoredOn: f.raisedAt,
    requester: APP_DEVICE,
    ...(f.responsible ? { owner: ref(f.responsible) } : {}),
    ...followUpFields(f.raisedAt, followUp),
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
    ...communicationAbout(f),
    sent: f.raisedAt,
    recipient: [ref(f.responsible)],
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

/** One step more pressing than the alert itself (R4 request-priority: routine < urgent < asap < stat). */
export function escalatedPriority(p: SafetyPriority): SafetyPriority {
  return p === 'routine' ? 'urgent' : p === 'urgent' ? 'asap' : 'stat';
}

function escalationNotice(f: AlertFacts): string {
  return `Escalated to the program's lead clinician: not followed up in the clinic's time. ${alertNotice(f)}`;
}

/** The second Task, for the program's lead clinician; based on the first alert Task, completed at follow-up. */
export function escalationTask(f: AlertFacts & { escalation: EscalationFacts }, followUp?: FollowUpFacts): Task {
  const e = f.escalation;
  return {
    resourceType: 'Task',
    basedOn: [logicalRef('Task', writeBackIds.alertTask(f.alertId))],
    status: followUp ? 'completed' : 'requested',
    intent: 'order',
    priority: escalatedPriority(f.severity),
    code: { coding: [{ system: ALS_CODE_SYSTEM, code: 'safety-alert-escalation', display: 'Escalated safety alert' }] },
    description: escalationNotice(f),
    focus: logicalRef('QuestionnaireResponse', writeBackIds.response(f.responseId)),
    for: ref(f.subject),
    authoredOn: e.at,
    requester: APP_DEVICE,
    ...(e.to ? { owner: ref(e.to) } : {}),
    ...followUpFields(e.at, followUp),
  };
}

/** Escalated: the second Task and (when a lead clinician is known) a Communication to them. */
export function alertEscalatedBundle(f: AlertFacts & { escalation: EscalationFacts }): Bundle {
  const e = f.escalation;
  const entries: WriteBackEntry[] = [{ resource: escalationTask(f), businessIdentifier: writeBackIds.escalationTask(f.alertId) }];
  if (e.to) {
    const message: Communication = {
      resourceType: 'Communication',
      basedOn: [referenceTo(writeBackIds.escalationTask(f.alertId))],
      status: 'completed',
      category: [{ coding: [{ system: COMMUNICATION_CATEGORY, code: 'alert', display: 'Alert' }] }],
      priority: escalatedPriority(f.severity),
      ...communicationAbout(f),
      sent: e.at,
      recipient: [ref(e.to)],
      sender: APP_DEVICE,
      payload: [{ contentString: escalationNotice(f) }],
    };
    entries.push({ resource: message, businessIdentifier: writeBackIds.escalationCommunication(f.alertId) });
  }
  return transactionBundle(entries, { agent: APP_DEVICE, recorded: e.at });
}

/** Followed up: the Task completed (and the escalation Task, when there is one), by the clinician who recorded it. */
export function alertFollowUpBundle(f: AlertFacts, followUp: FollowUpFacts): Bundle {
  const entries: WriteBackEntry[] = [{ resource: alertTask(f, followUp), businessIdentifier: writeBackIds.alertTask(f.alertId), mode: 'update' }];
  const escalation = f.escalation;
  if (escalation) entries.push({ resource: escalationTask({ ...f, escalation }, followUp), businessIdentifier: writeBackIds.escalationTask(f.alertId), mode: 'update' });
  return transactionBundle(entries, { agent: ref(followUp.by), recorded: followUp.at });
}
