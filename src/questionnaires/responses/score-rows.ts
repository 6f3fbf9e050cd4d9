import type { Coding } from 'fhir/r4.js';
import type { ScoreResult } from '../engine/scoring.js';
import type { QuestionnaireResponse } from './questionnaire-response.entity.js';
import type { QuestionnaireScore } from './questionnaire-score.entity.js';

/** A score as the API shows it beside the response. */
export interface ScoreView {
  linkId: string;
  code: Coding;
  value: number | null;
  unit: string;
  band?: Coding;
  /** Why there is no value: answers missing (`incomplete`), or the expression failed. */
  gap?: string;
}

export function scoreViewOf(s: ScoreResult): ScoreView {
  return {
    linkId: s.linkId,
    code: s.code,
    value: s.value,
    unit: s.unit,
    ...(s.band ? { band: s.band } : {}),
    ...(s.value === null ? { gap: s.gap ?? 'incomplete' } : {}),
  };
}

/** The questionnaire_score rows of a submitted response version: one per score, denormalised for reports. */
export function scoreRows(r: QuestionnaireResponse, scores: readonly ScoreResult[]): Partial<QuestionnaireScore>[] {
  return scores.map((s) => ({
    responseId: r.id,
    responseVersion: r.version,
    registrationId: r.registrationId,
    patientId: r.patientId,
    subjectType: r.subjectType,
    subjectId: r.subjectId,
    enrolmentId: r.enrolmentId,
    timepoint: r.timepoint,
    answerMode: r.answerMode,
    language: r.language,
    instrument: r.questionnaire,
    instrumentUrl: r.questionnaireUrl,
    linkId: s.linkId,
    codeSystem: s.code.system ?? '',
    code: s.code.code ?? '',
    value: s.value,
    unit: s.unit,
    bandSystem: s.band?.system ?? null,
    bandCode: s.band?.code ?? null,
    gap: s.value === null ? (s.gap ?? 'incomplete') : null,
    authored: r.authored,
  }));
}
