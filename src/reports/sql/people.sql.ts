// The people a report covers, as a SQL CTE shared by every report query: one row per person (the referred
// patient, and each caregiver referred with them or enrolled alongside), with their stage in the journey.
// Reads only the programs module's report views (src/programs/read-models/): referrals with their enrolment,
// participants, attendance, cohorts. Parameters $1–$7: registration, program slug, version, cohort, from, to,
// participant type.
import type { OutcomeFilters } from '../outcome-filters.js';

export function peopleParams(f: OutcomeFilters): unknown[] {
  return [f.registrationId, f.program, f.version ?? null, f.cohort ?? null, f.from ?? null, f.to ?? null, f.participantType ?? null];
}

/** `staged`: person, enrolled, outcome (awaiting/declined/inProgress/completed/withdrawn), reason, stages, attended. */
export const STAGED_CTE = `
ref AS (
  SELECT r.referral_id, r.status, r.screening, r.patient_id, r.caregivers, r.enrolment_id, r.cohort_id, r.withdrawal_reason
  FROM programs_report_referrals r
  -- Subqueries rather than joins, so that without a version filter the planner sees the whole clinic
  -- (a join on the version made it expect 50 rows and choose sorts that spill to disk).
  WHERE r.registration_id = $1 AND r.program_id = (SELECT program_id FROM programs_report_programs WHERE slug = $2)
    AND ($3::text IS NULL OR EXISTS (
      SELECT 1 FROM programs_report_versions pv WHERE pv.program_version_id = r.program_version_id AND pv.version = $3::text))
    AND ($4::uuid IS NULL OR r.cohort_id = $4::uuid)
    AND ($5::date IS NULL OR r.referred_at >= $5::date)
    AND ($6::date IS NULL OR r.referred_at < $6::date + 1)
),
-- Each referral's caregivers, those referred with the patient and those enrolled alongside, once each: one
-- set-based pass (the participants by a hash join), not a subquery per referral (that ran 10 000 times). The
-- branches carry the referral's columns, so nothing joins back on a CTE the planner knows no statistics of.
person AS (
  SELECT ref.*, 'patient'::text AS role, 'Patient/' || ref.patient_id AS person FROM ref
  UNION ALL (
    SELECT ref.*, 'caregiver'::text, c.person FROM ref CROSS JOIN jsonb_array_elements_text(ref.caregivers) AS c(person)
    UNION
    SELECT ref.*, 'caregiver'::text, ep.person FROM ref JOIN programs_report_participants ep ON ep.enrolment_id = ref.enrolment_id
    WHERE ep.role = 'caregiver'
  )
),
people AS (
  SELECT p.*, ep.participant_id, ep.ended_at, COALESCE(att.attended, 0) AS attended,
    split_part(p.person, '/', 1) AS subject_type, split_part(p.person, '/', 2) AS subject_id,
    COALESCE(ep.participant_id::text, COALESCE(p.enrolment_id, p.referral_id)::text || ' ' || p.person) AS participant_key,
    CASE WHEN p.role = 'patient' THEN p.enrolment_id IS NOT NULL ELSE ep.participant_id IS NOT NULL END AS enrolled,
    c.name AS cohort_name
  FROM person p
  LEFT JOIN programs_report_participants ep ON ep.enrolment_id = p.enrolment_id AND ep.person = p.person
  LEFT JOIN programs_report_attendance att ON att.participant_id = ep.participant_id
  LEFT JOIN programs_report_cohorts c ON c.cohort_id = p.cohort_id
  WHERE $7::text IS NULL OR p.role = $7::text
),
outcomes AS (
  SELECT people.*,
    CASE
      WHEN NOT enrolled THEN CASE WHEN status IN ('referred', 'screened', 'accepted') THEN 'awaiting' ELSE 'declined' END
      WHEN status = 'completed' THEN 'completed'
      WHEN status = 'withdrawn' OR ended_at IS NOT NULL THEN 'withdrawn'
      ELSE 'inProgress'
    END AS outcome
  FROM people
),
staged AS (
  SELECT outcomes.*,
    CASE
      WHEN outcome = 'declined' AND status <> 'declined' THEN 'caregiver-not-enrolled'
      WHEN outcome = 'declined' AND screening IS NULL THEN 'declined-before-screening'
      WHEN outcome = 'declined' AND (screening->>'eligible') = 'false' THEN 'ineligible'
      WHEN outcome = 'declined' THEN 'declined-after-screening'
      WHEN outcome = 'withdrawn' THEN COALESCE(CASE WHEN status = 'withdrawn' THEN withdrawal_reason END, 'not-recorded')
    END AS reason,
    enrolled OR screening IS NOT NULL OR status IN ('screened', 'accepted') AS screened,
    enrolled OR (screening->>'eligible') = 'true' OR status = 'accepted' AS eligible,
    enrolled AND (attended > 0 OR outcome = 'completed') AS started,
    CASE WHEN enrolled THEN COALESCE(cohort_name, 'No cohort') END AS cohort_label
  FROM outcomes
)`;

/** Answer-mode filter on a score or response alias: reports count only `proxy` as proxy report. */
export const modeFilter = (alias: string, param: string) => `(${param}::text IS NULL OR (${alias}.answer_mode = 'proxy') = (${param}::text = 'proxy'))`;

/**
 * Language filter on a score alias (questionnaires_report_scores): the language its response was answered in, which
 * the score row carries (migration 1795000063000; reading it from the responses cost one probe into them per score).
 */
export const languageFilter = (alias: string, param: string) => `(${param}::text IS NULL OR ${alias}.language = ${param}::text)`;

/** Joins a questionnaires view alias to the staged person who answered (same enrolment and subject). */
export const answeredBy = (alias: string) =>
  `${alias}.enrolment_id = st.enrolment_id AND ${alias}.subject_type = st.subject_type AND ${alias}.subject_id = st.subject_id`;
