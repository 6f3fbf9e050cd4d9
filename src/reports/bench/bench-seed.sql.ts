// Synthetic clinic for the report benchmark, built in bulk with INSERT … SELECT generate_series (never row
// by row): by default 10 000 referrals, 10 000 enrolled participants (8 000 patients, 2 000 caregivers) in 800
// cohorts, their attendance and due forms, ~1 000 000 questionnaire responses (15 outcome forms and 85 weekly
// check-ins each) with one score row per response, and some safety alerts. $1 = registration id.
// `benchSeed(n)` scales every count with n referrals (the service benchmark seeds a smaller clinic).
const Q = 'https://als-wellness.example.org/fhir/Questionnaire/';
const FORMS = ['phq-9', 'gad-7', 'who-5', 'scs-sf', 'who-5', 'scs-sf', 'phq-9', 'gad-7', 'who-5', 'scs-sf', 'program-satisfaction', 'phq-9', 'gad-7', 'who-5', 'scs-sf'];
const TIMEPOINTS = [...Array(4).fill('baseline'), 'mid', 'mid', ...Array(5).fill('post'), ...Array(4).fill('follow-up')];
const LINKS: Record<string, [string, number, number]> = {
  'phq-9': ['phq9-total', 0, 27], 'gad-7': ['gad7-total', 0, 21], 'who-5': ['who5-total', 0, 100], 'scs-sf': ['scs-sf-mean', 1, 5], 'program-satisfaction': ['satisfaction-mean', 1, 5],
};
const arr = (xs: readonly string[]) => `ARRAY[${xs.map((x) => `'${x}'`).join(',')}]`;

export const RESPONSES_PER_PARTICIPANT = 100;

/** The seed for a clinic of `referrals` referrals (a multiple of 10 keeps the proportions exact). */
export function benchSeed(referrals = 10_000): string[] {
  const at = (share: number) => Math.round(referrals * share);
  const cohorts = Math.max(1, at(0.08));
  return [
    `INSERT INTO referral (registration_id, patient_id, caregivers, program_id, program_version_id, reason, priority, status, requester, screening, created_at)
     SELECT $1, 'pat-' || g, CASE WHEN g <= ${at(0.2)} THEN jsonb_build_array('RelatedPerson/cg-' || g) ELSE '[]'::jsonb END, pv.program_id, pv.id, 'wellbeing', 'routine',
       CASE WHEN g > ${at(0.9)} THEN 'screened' WHEN g > ${at(0.8)} THEN 'declined' WHEN g % 10 < 7 THEN 'completed' WHEN g % 10 = 7 THEN 'withdrawn' ELSE 'active' END,
       'Practitioner/r1',
       CASE WHEN g > ${at(0.8)} AND g % 2 = 0 THEN NULL ELSE jsonb_build_object('eligible', NOT (g > ${at(0.8)} AND g <= ${at(0.9)} AND g % 4 = 1), 'answers', '{}'::jsonb) END,
       timestamptz '2025-06-01' + (g % 300) * interval '1 day'
     FROM generate_series(1, ${referrals}) g, (SELECT pv.id, pv.program_id FROM program_version pv JOIN program p ON p.id = pv.program_id WHERE p.slug = 'mindful-self-compassion-als') pv`,
    `INSERT INTO cohort (registration_id, program_version_id, name, start_date, session_time, time_zone, facilitator, capacity, created_by)
     SELECT $1, pv.id, 'Cohort ' || lpad(g::text, 4, '0'), date '2025-07-01' + (g % 200), '10:00', 'Europe/London', 'Practitioner/f1', 20, 'bench'
     FROM generate_series(1, ${cohorts}) g, (SELECT pv.id FROM program_version pv JOIN program p ON p.id = pv.program_id WHERE p.slug = 'mindful-self-compassion-als') pv`,
    `INSERT INTO program_session (cohort_id, sequence, starts_at, ends_at, time_zone, facilitator, status)
     SELECT c.id, s, c.start_date + (s - 1) * 7 + time '10:00', c.start_date + (s - 1) * 7 + time '11:30', 'Europe/London', 'Practitioner/f1', 'fulfilled'
     FROM cohort c CROSS JOIN generate_series(1, 8) s WHERE c.registration_id = $1`,
    `INSERT INTO enrolment (referral_id, registration_id, patient_id, program_id, program_version_id, cohort_id, facilitator, start_date, end_date, withdrawal_reason, enrolled_by)
     SELECT r.id, $1, r.patient_id, r.program_id, r.program_version_id, c.id, 'Practitioner/f1', c.start_date,
       CASE WHEN r.status IN ('completed', 'withdrawn') THEN c.start_date + 56 END,
       CASE WHEN r.status = 'withdrawn' THEN (ARRAY['disease-progression','fatigue','hospitalisation','technical-barriers'])[1 + (n % 4)] END, 'bench'
     FROM (SELECT r.*, substring(r.patient_id FROM 5)::int AS n FROM referral r WHERE r.registration_id = $1 AND r.status IN ('completed', 'withdrawn', 'active')) r
     JOIN cohort c ON c.registration_id = $1 AND c.name = 'Cohort ' || lpad((1 + (r.n - 1) % ${cohorts})::text, 4, '0')`,
    `INSERT INTO enrolment_participant (enrolment_id, registration_id, program_id, cohort_id, person, role)
     SELECT e.id, $1, e.program_id, e.cohort_id, 'Patient/' || e.patient_id, 'patient' FROM enrolment e WHERE e.registration_id = $1
     UNION ALL
     SELECT e.id, $1, e.program_id, e.cohort_id, cg.person, 'caregiver' FROM enrolment e JOIN referral r ON r.id = e.referral_id
     CROSS JOIN LATERAL jsonb_array_elements_text(r.caregivers) cg(person) WHERE e.registration_id = $1`,
    `CREATE TEMP TABLE bench_part AS
     SELECT ep.id, ep.enrolment_id, ep.cohort_id, ep.person, e.patient_id, r.status, row_number() OVER (ORDER BY ep.id) AS p
     FROM enrolment_participant ep JOIN enrolment e ON e.id = ep.enrolment_id JOIN referral r ON r.id = e.referral_id WHERE ep.registration_id = $1`,
    `INSERT INTO attendance (session_id, participant_id, status, recorded_by)
     SELECT s.id, bp.id, 'attended', 'bench' FROM bench_part bp JOIN program_session s ON s.cohort_id = bp.cohort_id AND s.sequence <= 3 + (bp.p % 6)`,
    `INSERT INTO questionnaire_assignment (registration_id, enrolment_id, cohort_id, patient_id, subject_type, subject_id, questionnaire, questionnaire_url, timepoint, due_from, due_until, status)
     SELECT $1, bp.enrolment_id, bp.cohort_id, bp.patient_id, split_part(bp.person, '/', 1), split_part(bp.person, '/', 2), '${Q}' || f.form || '|1.0.0', '${Q}' || f.form, f.tp,
       date '2025-07-01', date '2025-08-01', CASE WHEN bp.status = 'withdrawn' AND f.k > 6 THEN 'due' ELSE 'completed' END
     FROM bench_part bp CROSS JOIN (SELECT k, (${arr(FORMS)})[k] AS form, (${arr(TIMEPOINTS)})[k] AS tp FROM generate_series(1, 15) k) f
     WHERE NOT (bp.status = 'active' AND f.k > 11)`,
    `INSERT INTO questionnaire_response (registration_id, questionnaire, questionnaire_url, subject_type, subject_id, patient_id, enrolment_id, timepoint, status, answer_mode, author, source, authored, resource, created_by)
     SELECT $1, '${Q}' || f.form || '|1.0.0', '${Q}' || f.form, split_part(bp.person, '/', 1), split_part(bp.person, '/', 2), bp.patient_id, bp.enrolment_id, f.tp, 'completed',
       CASE WHEN (bp.p + f.k) % 7 = 0 THEN 'proxy' ELSE 'self' END, bp.person, bp.person, timestamptz '2025-07-01' + (bp.p % 200) * interval '1 day' + f.k * interval '1 hour',
       CASE WHEN f.form = 'program-satisfaction' THEN jsonb_build_object('item', jsonb_build_array(jsonb_build_object('linkId', 'satisfaction-ratings', 'item', jsonb_build_array(
         jsonb_build_object('linkId', 'satisfaction-overall', 'answer', jsonb_build_array(jsonb_build_object('valueCoding', jsonb_build_object('code', 'satisfaction-' || (3 + bp.p % 3))))),
         jsonb_build_object('linkId', 'satisfaction-recommend', 'answer', jsonb_build_array(jsonb_build_object('valueCoding', jsonb_build_object('code', 'recommend-' || (4 + bp.p % 2))))))))) ELSE '{}'::jsonb END,
       'bench'
     FROM bench_part bp CROSS JOIN (
       SELECT k, COALESCE((${arr(FORMS)})[k], 'session-check-in') AS form, (${arr(TIMEPOINTS)})[k] AS tp FROM generate_series(1, ${RESPONSES_PER_PARTICIPANT}) k) f
     WHERE NOT (bp.status = 'withdrawn' AND f.k BETWEEN 7 AND 15) AND NOT (bp.status = 'active' AND f.k BETWEEN 12 AND 15)`,
    `INSERT INTO questionnaire_score (response_id, response_version, registration_id, patient_id, subject_type, subject_id, enrolment_id, timepoint, answer_mode, language, instrument, instrument_url, link_id, code_system, code, value, unit, authored)
     SELECT qr.id, 1, $1, qr.patient_id, qr.subject_type, qr.subject_id, qr.enrolment_id, qr.timepoint, qr.answer_mode, qr.language, qr.questionnaire, qr.questionnaire_url, l.link,
       'https://als-wellness.example.org/fhir/CodeSystem/als-wellness', l.link,
       CASE WHEN l.link = 'scs-sf-mean' THEN round(1 + (h % 400) / 100.0, 2) WHEN l.link = 'checkin-distress' THEN h % 11 ELSE l.lo + h % (l.hi - l.lo + 1) END, '{score}', qr.authored
     FROM (SELECT qr.*, abs(hashtext(qr.subject_id || COALESCE(qr.timepoint, 'c') || qr.questionnaire_url || qr.authored::text)) % 100000 AS h FROM questionnaire_response qr WHERE qr.registration_id = $1) qr
     JOIN (VALUES ${Object.entries(LINKS).map(([form, [link, lo, hi]]) => `('${Q}${form}', '${link}', ${lo}, ${hi})`).join(', ')}, ('${Q}session-check-in', 'checkin-distress', 0, 10)) l(url, link, lo, hi) ON l.url = qr.questionnaire_url`,
    `INSERT INTO safety_alert (registration_id, response_id, patient_id, subject_type, subject_id, answer_mode, author, questionnaire, rule_id, severity, message, status, followed_up_at)
     SELECT $1, qr.id, qr.patient_id, qr.subject_type, qr.subject_id, qr.answer_mode, qr.author, qr.questionnaire, 'self-harm-risk', 'urgent', 'bench', CASE WHEN s.value > 20 THEN 'open' ELSE 'followed-up' END, CASE WHEN s.value > 20 THEN NULL ELSE qr.authored END
     FROM questionnaire_response qr JOIN questionnaire_score s ON s.response_id = qr.id
     WHERE qr.registration_id = $1 AND s.link_id = 'phq9-total' AND s.value >= 19`,
    // VACUUM, not only ANALYZE: a clinic's tables grow a form at a time and autovacuum visits them (since
    // PostgreSQL 13 inserts alone trigger it), so their rows' commit hint bits are set and the visibility map is
    // current. Straight after a bulk load neither is: the first report then pays a one-off pass that sets the hint
    // bits of ~1 000 000 fresh rows (run 1 took 1.17 s against 0.66–0.69 s for runs 2–5 in a quiet run), which
    // measures the seed, not the report. Not inside a transaction: the seed's runner sends each statement alone.
    // Only the seeded tables (resolved in the bench's schema): a bare VACUUM would visit every schema of a shared
    // database, other suites' included.
    `VACUUM (ANALYZE) referral, cohort, program_session, enrolment, enrolment_participant, attendance, questionnaire_assignment, questionnaire_response, questionnaire_score, safety_alert`,
  ];
}
