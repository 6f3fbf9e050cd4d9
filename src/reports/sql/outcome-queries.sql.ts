// The report's SQL: aggregation in the database (GROUP BY, FILTER, DISTINCT ON), so only counts and one
// value pair per participant and score leave it. Each query starts from the `staged` people CTE; the report runs two
// (PEOPLE_FIGURES_SQL and SCORES_SQL), side by side.
// Only the programs and questionnaires modules' report views are read (their `read-models/` folders), never
// their tables. questionnaires_report_scores holds the scores of the current version of completed or amended
// responses only (the questionnaires module's contract), so scores are read without their responses.
import { answeredBy, languageFilter, modeFilter, STAGED_CTE } from './people.sql.js';

/** $1 slug, $2 version (null: the latest published). */
export const PROGRAM_SQL = `
SELECT pv.version, pv.title, pv.session_count, pv.completion_rule, pv.timepoints
FROM programs_report_versions pv JOIN programs_report_programs p ON p.program_id = pv.program_id
WHERE p.slug = $1 AND ($2::text IS NULL OR pv.version = $2::text)
ORDER BY pv.published_at DESC, pv.version DESC LIMIT 1`;

/** A clinic's imported Questionnaires (their scores' bands, MCIDs and directions); $1 registration. */
export const DEFINITIONS_SQL = `
SELECT questionnaire, scores FROM questionnaires_report_definitions
WHERE registration_id = $1 ORDER BY created_at`;

/** People by stage, outcome, reason, cohort and sessions attended: everything the funnel, cohorts and attendance need. */
const FUNNEL_SELECT = `
SELECT outcome, reason, cohort_label, screened, eligible, started, enrolled, attended, count(*)::int AS n
FROM staged GROUP BY outcome, reason, cohort_label, screened, eligible, started, enrolled, attended`;

/** Per timepoint: enrolled people with a form due by today, and those whose due forms are all completed. */
const TIMEPOINTS_CTES = `
per_form AS (
  SELECT a.enrolment_id, a.subject_type, a.subject_id, a.timepoint, bool_and(a.status = 'completed') AS done
  FROM questionnaires_report_assignments a
  WHERE a.registration_id = $1 AND a.enrolment_id IS NOT NULL AND a.status <> 'cancelled' AND a.due_from <= current_date
  GROUP BY a.enrolment_id, a.subject_type, a.subject_id, a.timepoint
)`;
const TIMEPOINTS_SELECT = `
SELECT a.timepoint, count(*)::int AS due, count(*) FILTER (WHERE a.done)::int AS completed
FROM staged st JOIN per_form a ON ${answeredBy('a')}
WHERE st.enrolled GROUP BY a.timepoint`;

/**
 * Per analysed score, its paired and unpaired values and the languages they were answered in, folded in the
 * database: one row of two JSON arrays, parsed natively. (As 40 000 rows, one per person and score, node-postgres's
 * row parsing and the garbage it left were about a fifth of a report over 1 M responses, more on its first run.)
 * The latest value is that of the response authored last, then the highest value, then a proxy report, then the
 * first language (the CSV's order, so both name the same row on a tie); its value and language come from that one
 * row. The values are sorted, so a report's sums (means, SDs) add them in the same order every time and can be
 * reproduced exactly. $8 answer mode, $9 urls, $10 linkIds, $11 language.
 */
export const SCORES_SQL = `WITH ${STAGED_CTE},
latest AS (
  SELECT DISTINCT ON (s.enrolment_id, s.subject_type, s.subject_id, s.instrument_url, s.link_id, s.timepoint)
    s.enrolment_id, s.subject_type, s.subject_id, s.instrument_url, s.link_id, s.timepoint, s.value::float8 AS value, s.language
  FROM questionnaires_report_scores s
  WHERE s.registration_id = $1 AND s.enrolment_id IS NOT NULL AND s.value IS NOT NULL AND ${modeFilter('s', '$8')}
    AND ${languageFilter('s', '$11')}
    AND s.timepoint IN ('baseline', 'post') AND s.instrument_url = ANY($9::text[]) AND s.link_id = ANY($10::text[])
  ORDER BY s.enrolment_id, s.subject_type, s.subject_id, s.instrument_url, s.link_id, s.timepoint, s.authored DESC, s.value DESC, s.answer_mode = 'proxy' DESC, s.language
),
person_values AS (
  SELECT enrolment_id, subject_type, subject_id, instrument_url, link_id,
    max(value) FILTER (WHERE timepoint = 'baseline') AS before, max(value) FILTER (WHERE timepoint = 'post') AS after,
    max(language) FILTER (WHERE timepoint = 'baseline') AS before_language, max(language) FILTER (WHERE timepoint = 'post') AS after_language
  FROM latest GROUP BY enrolment_id, subject_type, subject_id, instrument_url, link_id
),
enrolled_values AS (
  SELECT st.outcome, v.instrument_url, v.link_id, v.before, v.after, v.before_language, v.after_language
  FROM staged st JOIN person_values v ON ${answeredBy('v')}
  WHERE st.enrolled
),
series AS (
  SELECT instrument_url, link_id,
    COALESCE(json_agg(json_build_array(before, after) ORDER BY before, after) FILTER (WHERE before IS NOT NULL AND after IS NOT NULL), '[]') AS pairs,
    COALESCE(json_agg(before ORDER BY before) FILTER (WHERE before IS NOT NULL AND after IS NULL), '[]') AS baseline_only,
    COALESCE(json_agg(after ORDER BY after) FILTER (WHERE before IS NULL AND after IS NOT NULL), '[]') AS post_only,
    count(*) FILTER (WHERE before IS NOT NULL)::int AS with_baseline,
    count(*) FILTER (WHERE before IS NOT NULL AND after IS NULL AND outcome = 'withdrawn')::int AS withdrawn
  FROM enrolled_values GROUP BY instrument_url, link_id
),
languages AS (
  SELECT v.instrument_url, v.link_id, tp.timepoint, tp.language, count(*)::int AS n
  FROM enrolled_values v
  CROSS JOIN LATERAL (VALUES ('baseline', v.before_language, v.before), ('post', v.after_language, v.after)) AS tp(timepoint, language, value)
  WHERE tp.value IS NOT NULL
  GROUP BY 1, 2, 3, 4
)
SELECT (SELECT COALESCE(json_agg(s), '[]') FROM series s) AS series, (SELECT COALESCE(json_agg(l), '[]') FROM languages l) AS languages`;

/**
 * Answer codes of each person's latest satisfaction form, counted per item. The latest form is found
 * through its score row (indexed by instrument), then its answers are read; $8 mode, $9 url,
 * $10 item linkIds, $11 the form's score linkId, $12 language.
 */
const SATISFACTION_CTES = `
latest_satisfaction AS (
  SELECT DISTINCT ON (s.enrolment_id, s.subject_type, s.subject_id) s.response_id, s.enrolment_id, s.subject_type, s.subject_id
  FROM questionnaires_report_scores s
  WHERE s.registration_id = $1 AND s.instrument_url = $9 AND s.link_id = $11 AND ${modeFilter('s', '$8')} AND ${languageFilter('s', '$12')}
  ORDER BY s.enrolment_id, s.subject_type, s.subject_id, s.authored DESC
)`;
const SATISFACTION_SELECT = `
SELECT ans.link_id, ans.code, count(*)::int AS n
FROM staged st JOIN latest_satisfaction l ON ${answeredBy('l')}
JOIN questionnaires_report_answers ans ON ans.response_id = l.response_id
WHERE st.enrolled AND ans.link_id = ANY($10::text[])
GROUP BY 1, 2`;

/** Safety alerts raised on the enrolled people's responses, and how many were followed up. */
const SAFETY_SELECT = `
SELECT count(*)::int AS raised, count(*) FILTER (WHERE a.status = 'followed-up')::int AS followed_up
FROM staged st JOIN questionnaires_report_safety_alerts a ON ${answeredBy('a')}
WHERE st.enrolled AND a.registration_id = $1`;

/**
 * The funnel, the timepoints, the satisfaction answers and the safety alerts in one statement, each as a JSON array
 * of the rows of its SELECT above; parameters $1–$7 (people), then satisfaction's $8–$12. `staged` is read four times, so PostgreSQL computes it once (a CTE named more than once is materialised):
 * as four statements it was computed four times, ~60 ms each on the 1 M clinic. The report runs this beside
 * SCORES_SQL, the longest, on a second connection: two statements for two cores instead of five.
 */
export const PEOPLE_FIGURES_SQL = `WITH ${STAGED_CTE},${TIMEPOINTS_CTES},${SATISFACTION_CTES},
funnel_rows AS (${FUNNEL_SELECT}),
timepoint_rows AS (${TIMEPOINTS_SELECT}),
satisfaction_rows AS (${SATISFACTION_SELECT}),
safety_rows AS (${SAFETY_SELECT})
SELECT (SELECT COALESCE(json_agg(r), '[]') FROM funnel_rows r) AS funnel,
  (SELECT COALESCE(json_agg(r), '[]') FROM timepoint_rows r) AS timepoints,
  (SELECT COALESCE(json_agg(r), '[]') FROM satisfaction_rows r) AS satisfaction,
  (SELECT COALESCE(json_agg(r), '[]') FROM safety_rows r) AS safety`;

/**
 * CSV rows: latest value per person × timepoint × instrument × score, ordered for output, with the language of the
 * response that latest value comes from (the same order as `latest`); $8 answer mode, $9 language.
 */
const CSV_KEYS = `
  SELECT s.enrolment_id, s.subject_type, s.subject_id, s.timepoint, s.instrument_url, s.link_id,
    (max(ARRAY[extract(epoch FROM s.authored)::float8, s.value::float8, (s.answer_mode = 'proxy')::int]))[2:3] AS latest,
    (array_agg(s.language ORDER BY s.authored DESC, s.value DESC, s.answer_mode = 'proxy' DESC, s.language))[1] AS language
  FROM questionnaires_report_scores s
  WHERE s.registration_id = $1 AND s.enrolment_id IS NOT NULL AND s.timepoint IS NOT NULL AND s.value IS NOT NULL AND ${modeFilter('s', '$8')}
    AND ${languageFilter('s', '$9')}
  GROUP BY s.enrolment_id, s.subject_type, s.subject_id, s.timepoint, s.instrument_url, s.link_id`;

export const CSV_ROWS_SQL = `WITH ${STAGED_CTE}, csv AS (${CSV_KEYS})
SELECT st.participant_key, st.role, st.cohort_label, c.timepoint, c.instrument_url, c.link_id, c.latest[1] AS value, c.latest[2] = 1 AS proxy, c.language
FROM staged st JOIN csv c ON ${answeredBy('c')}
WHERE st.enrolled
ORDER BY st.participant_key, array_position(ARRAY['baseline', 'mid', 'post', 'follow-up'], c.timepoint), c.instrument_url, c.link_id`;

/** People per value of a CSV group's array column (`{"es": 3, "en": 12}`): one with rows in two values counts in both. */
const peoplePer = (column: string) => `(SELECT json_object_agg(v.value, v.people) FROM (
     SELECT u.value, count(*)::int AS people FROM csv_people q, unnest(q.${column}) AS u(value)
     WHERE q.cohort_label = p.cohort_label AND q.role = p.role GROUP BY u.value
   ) v)`;

/**
 * CSV groups (cohort × participant type): people, rows, and people per language, per answer mode and per
 * language × answer mode pair (csv-gate.ts); a pair's key is the JSON text `["es", "proxy"]`.
 */
export const CSV_GROUPS_SQL = `WITH ${STAGED_CTE}, csv AS (${CSV_KEYS}),
per_person AS (
  SELECT enrolment_id, subject_type, subject_id, count(*)::int AS n, array_agg(DISTINCT language) AS languages,
    array_agg(DISTINCT m.mode) AS answer_modes, array_agg(DISTINCT json_build_array(language, m.mode)::text) AS pairs
  FROM csv CROSS JOIN LATERAL (VALUES (CASE WHEN latest[2] = 1 THEN 'proxy' ELSE 'self' END)) AS m(mode)
  GROUP BY enrolment_id, subject_type, subject_id
),
csv_people AS (
  SELECT st.cohort_label, st.role, c.n, c.languages, c.answer_modes, c.pairs
  FROM staged st JOIN per_person c ON ${answeredBy('c')}
  WHERE st.enrolled
)
SELECT p.cohort_label, p.role, count(*)::int AS participants, sum(p.n)::int AS rows,
  ${peoplePer('languages')} AS languages,
  ${peoplePer('answer_modes')} AS answer_modes,
  ${peoplePer('pairs')} AS pairs
FROM csv_people p GROUP BY p.cohort_label, p.role`;
