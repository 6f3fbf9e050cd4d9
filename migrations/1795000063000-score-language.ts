import type { MigrationInterface, QueryRunner } from 'typeorm';

// Frozen: the view as this migration creates it (copied from questionnaires/read-models/ when it was written). The one
// it replaces (as 1795000011000 created it) is in down(), where src/read-models.spec.ts does not look for today's view.
const SCORES_VIEW = 'questionnaires_report_scores';
const SCORES_SELECT = `
      SELECT s.response_id, s.registration_id, s.enrolment_id, s.subject_type, s.subject_id, s.timepoint,
        s.answer_mode, s.instrument_url, s.link_id, s.value, s.authored, lower(split_part(s.language, '-', 1)) AS language
      FROM questionnaire_score s`;

/**
 * A score row carries the language its response was answered in, like the rest of what it copies from the response
 * for reports (subject, timepoint, answer mode, authored). The outcome report read it through
 * questionnaires_report_response_languages: one index probe into questionnaire_response (its wide rows) per score
 * row, about 76 000 on a clinic of 1 M responses and most of the report's time (issue 14). Score rows are written
 * only with the submitted version they score (an amendment deletes and re-inserts them), so the copy cannot drift.
 * Existing rows take their response's language.
 */
export class ScoreLanguage1795000063000 implements MigrationInterface {
  name = 'ScoreLanguage1795000063000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "questionnaire_score" ADD COLUMN "language" text`);
    await q.query(`UPDATE "questionnaire_score" s SET "language" = qr."language" FROM "questionnaire_response" qr WHERE qr."id" = s."response_id"`);
    await q.query(`ALTER TABLE "questionnaire_score" ALTER COLUMN "language" SET NOT NULL`);
    await q.query(`ALTER TABLE "questionnaire_score" ADD CONSTRAINT "CHK_questionnaire_score_language" CHECK ("language" ~ '^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$')`);
    await q.query(`DROP VIEW "${SCORES_VIEW}"`);
    await q.query(`CREATE VIEW "${SCORES_VIEW}" AS ${SCORES_SELECT}`);
  }

  async down(q: QueryRunner): Promise<void> {
    const SCORES_SELECT_BEFORE = `
      SELECT s.response_id, s.registration_id, s.enrolment_id, s.subject_type, s.subject_id, s.timepoint,
        s.answer_mode, s.instrument_url, s.link_id, s.value, s.authored
      FROM questionnaire_score s`;
    await q.query(`DROP VIEW "${SCORES_VIEW}"`);
    await q.query(`CREATE VIEW "${SCORES_VIEW}" AS ${SCORES_SELECT_BEFORE}`);
    await q.query(`ALTER TABLE "questionnaire_score" DROP CONSTRAINT "CHK_questionnaire_score_language"`);
    await q.query(`ALTER TABLE "questionnaire_score" DROP COLUMN "language"`);
  }
}
