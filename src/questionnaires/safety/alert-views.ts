import type { AlertFacts } from './safety.fhir.js';
import { answeredHow } from './safety.fhir.js';
import type { SafetyAlert } from './safety-alert.entity.js';

/** A safety alert as clinicians and coordinators see it. */
export interface AlertView {
  id: string;
  responseId: string;
  patientId: string;
  /** Who it is about: `Patient/<id>`, or `RelatedPerson/<id>` for a caregiver's own form. */
  subject: string;
  /** The alert is about the caregiver who answered their own form, not about the patient. */
  aboutCaregiver: boolean;
  answerMode: string;
  /** Who typed the answers. */
  author: string;
  questionnaire: string;
  ruleId: string;
  severity: string;
  /** The rule's message with who it is about, how the answers were given and whether they were submitted. */
  message: string;
  /** The rule's own message, alone. */
  ruleMessage: string;
  /** The rule could not be evaluated; raised anyway so a person looks. */
  evaluationFailed: boolean;
  level: number | null;
  /** Raised on a saved draft. */
  raisedOnDraft: boolean;
  /** The response it was raised on is still a draft. */
  notYetSubmitted: boolean;
  responsible: string | null;
  status: string;
  raisedAt: string;
  escalated: boolean;
  escalatedAt: string | null;
  escalatedTo: string | null;
  followedUpAt: string | null;
  followedUpBy: string | null;
  followUpAction: string | null;
  followUpNote: string | null;
}

/** The rule's message and what a clinician must know before acting on it, in one text. */
export function alertText(a: Pick<SafetyAlert, 'message' | 'subjectType' | 'answerMode' | 'author' | 'responseSubmittedAt'>): string {
  const parts = [a.message];
  if (a.subjectType === 'RelatedPerson') parts.push("About the caregiver (their own form), not the patient.");
  const how = answeredHow(a);
  if (how) parts.push(`${how[0].toUpperCase()}${how.slice(1)}.`);
  if (!a.responseSubmittedAt) parts.push('From a saved draft: not yet submitted.');
  return parts.join(' ');
}

export function alertViewOf(a: SafetyAlert): AlertView {
  return {
    id: a.id,
    responseId: a.responseId,
    patientId: a.patientId,
    subject: `${a.subjectType}/${a.subjectId}`,
    aboutCaregiver: a.subjectType === 'RelatedPerson',
    answerMode: a.answerMode,
    author: a.author,
    questionnaire: a.questionnaire,
    ruleId: a.ruleId,
    severity: a.severity,
    message: alertText(a),
    ruleMessage: a.message,
    evaluationFailed: a.evaluationFailed,
    level: a.level,
    raisedOnDraft: a.raisedOnDraft,
    notYetSubmitted: a.responseSubmittedAt === null,
    responsible: a.responsible,
    status: a.status,
    raisedAt: a.raisedAt.toISOString(),
    escalated: a.escalatedAt !== null,
    escalatedAt: a.escalatedAt?.toISOString() ?? null,
    escalatedTo: a.escalatedTo,
    followedUpAt: a.followedUpAt?.toISOString() ?? null,
    followedUpBy: a.followedUpBy,
    followUpAction: a.followUpAction,
    followUpNote: a.followUpNote,
  };
}

/** The EHR resources' facts of a stored alert; stable, so the Tasks rebuilt at follow-up match the raised ones. */
export function factsOf(a: SafetyAlert, questionnaireTitle?: string): AlertFacts {
  const raisedAt = a.raisedAt.toISOString();
  return {
    alertId: a.id,
    patientId: a.patientId,
    subject: `${a.subjectType}/${a.subjectId}`,
    answerMode: a.answerMode,
    author: a.author,
    raisedOnDraft: a.raisedOnDraft,
    responseId: a.responseId,
    questionnaire: a.questionnaire,
    ...(questionnaireTitle ? { questionnaireTitle } : {}),
    ruleId: a.ruleId,
    severity: a.severity,
    responsible: a.responsible,
    raisedAt,
    answeredOn: raisedAt.slice(0, 10),
    ...(a.escalatedAt ? { escalation: { at: a.escalatedAt.toISOString(), to: a.escalatedTo } } : {}),
  };
}
