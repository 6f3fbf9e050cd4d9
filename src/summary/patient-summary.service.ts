import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { SessionUser } from '../common/auth/session-user.js';
import { QuestionnairesService } from '../questionnaires/definitions/questionnaires.service.js';
import { SafetyService } from '../questionnaires/safety/safety.service.js';
import { scoreLines, type PatientSummary, type ProgramLine, type ScoreMeta, type ScoreRow } from './patient-summary.js';

// The program's status and the scores come from the owning modules' read models (the views of
// src/programs/read-models and src/questionnaires/read-models, as reports read them), never their tables;
// the open alerts from the questionnaires module's SafetyService, which applies its own right-patient rule.

const PROGRAMS_SQL = `
  SELECT r.status, r.referred_at, r.enrolment_id, v.title, v.session_count, COALESCE(a.attended, 0)::int AS attended
  FROM programs_report_referrals r
  JOIN programs_report_versions v ON v.program_version_id = r.program_version_id
  LEFT JOIN programs_report_participants p ON p.enrolment_id = r.enrolment_id AND p.person = 'Patient/' || r.patient_id
  LEFT JOIN programs_report_attendance a ON a.participant_id = p.participant_id
  WHERE r.registration_id = $1 AND r.patient_id = $2
  ORDER BY r.referred_at`;

// The patient's own forms only: a caregiver's answers about themselves are not the patient's scores.
const SCORES_SQL = `
  SELECT s.instrument_url, s.link_id, s.value, s.timepoint, s.authored
  FROM questionnaires_report_scores s
  WHERE s.registration_id = $1 AND s.subject_type = 'Patient' AND s.subject_id = $2
  ORDER BY s.authored`;

@Injectable()
export class PatientSummaryService {
  constructor(
    private readonly ds: DataSource,
    private readonly questionnaires: QuestionnairesService,
    private readonly safety: SafetyService,
  ) {}

  /** The caller has been checked for this patient (assertCanAccessPatient) by the controller. */
  async summary(user: SessionUser, patientId: string, now = new Date()): Promise<PatientSummary> {
    const [programRows, scoreRows, library, alerts] = await Promise.all([
      this.ds.query(PROGRAMS_SQL, [user.registrationId, patientId]) as Promise<Record<string, unknown>[]>,
      this.ds.query(SCORES_SQL, [user.registrationId, patientId]) as Promise<Record<string, unknown>[]>,
      this.questionnaires.list(user.registrationId),
      this.safety.list(user, { status: 'open', patient: patientId }),
    ]);
    const programs: ProgramLine[] = programRows.map((r) => ({
      program: String(r.title),
      status: String(r.status),
      referredAt: iso(r.referred_at),
      enrolled: r.enrolment_id !== null,
      attendance: r.enrolment_id !== null ? { attended: Number(r.attended), planned: Number(r.session_count) } : null,
    }));
    const rows: ScoreRow[] = scoreRows.map((r) => ({
      instrumentUrl: String(r.instrument_url),
      linkId: String(r.link_id),
      value: r.value === null ? null : Number(r.value),
      timepoint: (r.timepoint as string | null) ?? null,
      authored: iso(r.authored),
    }));
    const metaOf = (url: string, linkId: string): ScoreMeta | undefined => {
      const instrument = [...library].reverse().find((q) => q.url === url && q.scores.some((d) => d.linkId === linkId));
      const def = instrument?.scores.find((d) => d.linkId === linkId);
      if (!instrument || !def) return undefined;
      return {
        instrument: instrument.title ?? instrument.name ?? instrument.slug,
        // An instrument with one score is named by itself; several scores each by their code's display.
        score: instrument.scores.length > 1 ? (def.code.display ?? def.linkId) : '',
        bands: def.bands,
        direction: def.direction,
      };
    };
    return {
      patientId,
      generatedAt: now.toISOString(),
      programs,
      scores: scoreLines(rows, metaOf),
      // About the patient: a caregiver's alert on their own form is about the caregiver, never the patient's.
      openAlerts: alerts.filter((a) => !a.aboutCaregiver).map((a) => ({ message: a.ruleMessage, severity: a.severity, raisedAt: a.raisedAt, escalated: a.escalated })),
    };
  }
}

const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : String(v));
