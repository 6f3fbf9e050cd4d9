import type { AlertFacts } from './safety.fhir.js';
import type { SafetyAlert } from './safety-alert.entity.js';

/** A safety alert as clinicians and coordinators see it. */
export interface AlertView {
  id: string;
  responseId: string;
  patientId: string;
  questionnaire: string;
  ruleId: string;
  severity: string;
  message: string;
  /** The rule could not be evaluated; raised anyway so a person looks. */
  evaluationFailed: boolean;
  responsible: string | null;
  status: string;
  raisedAt: string;
  followedUpAt: string | null;
  followedUpBy: string | null;
  followUpAction: string | null;
  followUpNote: string | null;
}

export function alertViewOf(a: SafetyAlert): AlertView {
  return {
    id: a.id,
    responseId: a.responseId,
    patientId: a.patientId,
    questionnaire: a.questionnaire,
    ruleId: a.ruleId,
    severity: a.severity,
    message: a.message,
    evaluationFailed: a.evaluationFailed,
    responsible: a.responsible,
    status: a.status,
    raisedAt: a.raisedAt.toISOString(),
    followedUpAt: a.followedUpAt?.toISOString() ?? null,
    followedUpBy: a.followedUpBy,
    followUpAction: a.followUpAction,
    followUpNote: a.followUpNote,
  };
}

/** The EHR resources' facts of a stored alert; stable, so the Task rebuilt at follow-up matches the raised one. */
export function factsOf(a: SafetyAlert, questionnaireTitle?: string): AlertFacts {
  const raisedAt = a.raisedAt.toISOString();
  return {
    alertId: a.id,
    patientId: a.patientId,
    responseId: a.responseId,
    questionnaire: a.questionnaire,
    ...(questionnaireTitle ? { questionnaireTitle } : {}),
    ruleId: a.ruleId,
    severity: a.severity,
    responsible: a.responsible,
    raisedAt,
    answeredOn: raisedAt.slice(0, 10),
  };
}
