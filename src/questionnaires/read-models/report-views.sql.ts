// The questionnaires module's reporting contract: read-only views over its tables, the only part of them that
// reports (src/reports) may read. Plain projections, so PostgreSQL inlines them into the report's query and
// plans over the tables' indexes as before.
// Each view as it is today, for reports' authors and src/read-models.spec.ts. The migrations that created them
// (1795000011000-report-views.ts and later) hold frozen copies of their SQL: changing a view means a new migration
// that re-creates it (DROP VIEW, CREATE VIEW with the new SELECT), and then the same SELECT here; the spec fails
// until both agree. Keep the columns reports read.
/** Each view's name and the SELECT it is defined as. */
export const QUESTIONNAIRES_REPORT_VIEWS: readonly { name: string; select: string }[] = [
  {
    // A clinic's imported Questionnaires that are in use (not drafts): the Questionnaire and its scores' metadata.
    name: 'questionnaires_report_definitions',
    select: `
      SELECT d.registration_id, d.questionnaire, d.scores, d.created_at
      FROM questionnaire_definition d WHERE d.status <> 'draft'`,
  },
  {
    // Forms scheduled for a person (subject_type/subject_id: who answers), by enrolment and timepoint.
    name: 'questionnaires_report_assignments',
    select: `
      SELECT a.registration_id, a.enrolment_id, a.subject_type, a.subject_id, a.timepoint, a.status, a.due_from
      FROM questionnaire_assignment a`,
  },
  {
    // The scores of the current version of each completed or amended response (value null: not computable), with
    // the language the response was answered in as the language view names it (primary subtag, lower case).
    name: 'questionnaires_report_scores',
    select: `
      SELECT s.response_id, s.registration_id, s.enrolment_id, s.subject_type, s.subject_id, s.timepoint,
        s.answer_mode, s.instrument_url, s.link_id, s.value, s.authored, lower(split_part(s.language, '-', 1)) AS language
      FROM questionnaire_score s`,
  },
  {
    // Each answer stored in a response, items at any depth: the item's linkId and the answer's code (null
    // when the answer is not a Coding).
    name: 'questionnaires_report_answers',
    select: `
      SELECT qr.id AS response_id, item->>'linkId' AS link_id, ans->'valueCoding'->>'code' AS code
      FROM questionnaire_response qr
      CROSS JOIN LATERAL jsonb_path_query(qr.resource, 'strict $.** ? (exists(@.answer))') AS item
      CROSS JOIN LATERAL jsonb_array_elements(item->'answer') AS ans`,
  },
  {
    // Safety alerts with the response (its clinic, enrolment and who answered) that raised them.
    name: 'questionnaires_report_safety_alerts',
    select: `
      SELECT a.id AS alert_id, a.status, qr.registration_id, qr.enrolment_id, qr.subject_type, qr.subject_id
      FROM safety_alert a
      JOIN questionnaire_response qr ON qr.id = a.response_id`,
  },
];

/**
 * The language each response was answered in (issue 15), for reports split by language. A view of its own,
 * created by migrations/1795000050000-response-language.ts after the column it reads. (The score view above carries
 * the same language from the score row since migration 1795000063000: the report reads it there, without a probe
 * into the responses per score.) Reports split by the language itself, the tag's primary
 * subtag in lower case (`es-US` and `es` are both `es`), as the report's `language` filter names it.
 */
export const QUESTIONNAIRES_LANGUAGE_VIEW: { name: string; select: string } = {
  name: 'questionnaires_report_response_languages',
  select: `
      SELECT qr.id AS response_id, qr.registration_id, lower(split_part(qr.language, '-', 1)) AS language
      FROM questionnaire_response qr`,
};
