import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reports read views, never another module's tables (issue 13): the programs and questionnaires modules (and
 * smart, for the list of clinics) each define their read-only report views in their own `read-models/` folder,
 * and this migration creates them.
 * While a view exists, PostgreSQL refuses to drop or retype a column it reads, so a module cannot break its
 * reporting contract by accident. A later change to a view comes with its own migration that re-creates it.
 */
// Frozen: the views as this migration creates them, copied from read-models/ when it was written (smart,
// programs, questionnaires). A migration never imports the current definitions, or editing one would change what
// an old migration creates; a later change to a view is a new migration.
const VIEWS: readonly { name: string; select: string }[] = [
  {
    name: 'smart_report_registrations',
    select: `
      SELECT r.id AS registration_id, r.issuer, r.created_at AS registered_at
      FROM ehr_registration r WHERE r.enabled`,
  },
  {
    name: 'programs_report_programs',
    select: `SELECT p.id AS program_id, p.slug FROM program p`,
  },
  {
    name: 'programs_report_versions',
    select: `
      SELECT pv.id AS program_version_id, pv.program_id, pv.version, pv.title, pv.session_count, pv.completion_rule,
        pv.timepoints, pv.published_at
      FROM program_version pv`,
  },
  {
    name: 'programs_report_referrals',
    select: `
      SELECT r.id AS referral_id, r.registration_id, r.program_id,
        COALESCE(e.program_version_id, r.program_version_id) AS program_version_id,
        r.status, r.screening, r.patient_id, r.caregivers, r.created_at AS referred_at,
        e.id AS enrolment_id, e.cohort_id, e.withdrawal_reason
      FROM referral r
      LEFT JOIN enrolment e ON e.referral_id = r.id`,
  },
  {
    name: 'programs_report_participants',
    select: `
      SELECT ep.id AS participant_id, ep.enrolment_id, ep.person, ep.role, ep.ended_at
      FROM enrolment_participant ep`,
  },
  {
    name: 'programs_report_attendance',
    select: `
      SELECT a.participant_id, count(*)::int AS attended
      FROM attendance a WHERE a.status = 'attended' GROUP BY a.participant_id`,
  },
  {
    name: 'programs_report_cohorts',
    select: `SELECT c.id AS cohort_id, c.name FROM cohort c`,
  },
  {
    name: 'questionnaires_report_definitions',
    select: `
      SELECT d.registration_id, d.questionnaire, d.scores, d.created_at
      FROM questionnaire_definition d WHERE d.status <> 'draft'`,
  },
  {
    name: 'questionnaires_report_assignments',
    select: `
      SELECT a.registration_id, a.enrolment_id, a.subject_type, a.subject_id, a.timepoint, a.status, a.due_from
      FROM questionnaire_assignment a`,
  },
  {
    name: 'questionnaires_report_scores',
    select: `
      SELECT s.response_id, s.registration_id, s.enrolment_id, s.subject_type, s.subject_id, s.timepoint,
        s.answer_mode, s.instrument_url, s.link_id, s.value, s.authored
      FROM questionnaire_score s`,
  },
  {
    name: 'questionnaires_report_answers',
    select: `
      SELECT qr.id AS response_id, item->>'linkId' AS link_id, ans->'valueCoding'->>'code' AS code
      FROM questionnaire_response qr
      CROSS JOIN LATERAL jsonb_path_query(qr.resource, 'strict $.** ? (exists(@.answer))') AS item
      CROSS JOIN LATERAL jsonb_array_elements(item->'answer') AS ans`,
  },
  {
    name: 'questionnaires_report_safety_alerts',
    select: `
      SELECT a.id AS alert_id, a.status, qr.registration_id, qr.enrolment_id, qr.subject_type, qr.subject_id
      FROM safety_alert a
      JOIN questionnaire_response qr ON qr.id = a.response_id`,
  },
];

export class ReportViews1795000011000 implements MigrationInterface {
  name = 'ReportViews1795000011000';

  async up(q: QueryRunner): Promise<void> {
    for (const view of VIEWS) await q.query(`CREATE VIEW "${view.name}" AS ${view.select}`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const view of [...VIEWS].reverse()) await q.query(`DROP VIEW "${view.name}"`);
  }
}
