// The programs module's reporting contract: read-only views over its tables, the only part of them that
// reports (src/reports) may read. Each view is a plain projection or one aggregate, so PostgreSQL inlines it
// into the report's query and plans over the tables' indexes as before.
// Each view as it is today, for reports' authors and src/read-models.spec.ts. The migrations that created them
// (1795000011000-report-views.ts and later) hold frozen copies of their SQL: changing a view means a new migration
// that re-creates it (DROP VIEW, CREATE VIEW with the new SELECT), and then the same SELECT here; the spec fails
// until both agree. Keep the columns reports read.

/** Each view's name and the SELECT it is defined as. */
export const PROGRAMS_REPORT_VIEWS: readonly { name: string; select: string }[] = [
  {
    // The catalogue's programs, by slug.
    name: 'programs_report_programs',
    select: `SELECT p.id AS program_id, p.slug FROM program p`,
  },
  {
    // Every published version of a program, with what a report states about it.
    name: 'programs_report_versions',
    select: `
      SELECT pv.id AS program_version_id, pv.program_id, pv.version, pv.title, pv.session_count, pv.completion_rule,
        pv.timepoints, pv.published_at
      FROM program_version pv`,
  },
  {
    // One row per referral, with its enrolment when there is one. program_version_id is the version the person
    // is enrolled in, else the one they were referred to; referred_at is when the referral was made.
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
    // Everyone enrolled: the patient and each caregiver enrolled alongside (person is 'Patient/…' or
    // 'RelatedPerson/…'); ended_at is set when they left.
    name: 'programs_report_participants',
    select: `
      SELECT ep.id AS participant_id, ep.enrolment_id, ep.person, ep.role, ep.ended_at
      FROM enrolment_participant ep`,
  },
  {
    // Sessions each participant attended (participants who attended none have no row).
    name: 'programs_report_attendance',
    select: `
      SELECT a.participant_id, count(*)::int AS attended
      FROM attendance a WHERE a.status = 'attended' GROUP BY a.participant_id`,
  },
  {
    // Cohorts by the name the coordinators gave them.
    name: 'programs_report_cohorts',
    select: `SELECT c.id AS cohort_id, c.name FROM cohort c`,
  },
];
