import { MigrationInterface, QueryRunner } from 'typeorm';

// Frozen: the view as this migration creates it (copied from questionnaires/read-models/ when it was written).
const LANGUAGE_VIEW: { name: string; select: string } = {
  name: 'questionnaires_report_response_languages',
  select: `
      SELECT qr.id AS response_id, qr.registration_id, lower(split_part(qr.language, '-', 1)) AS language
      FROM questionnaire_response qr`,
};

/**
 * Responses record the language they were answered in (issue 15): QuestionnaireResponse.language in the stored
 * resource and this column, which the report reads through its own read-model view. Existing responses were all
 * answered in English, the only language before.
 */
export class ResponseLanguage1795000050000 implements MigrationInterface {
  name = 'ResponseLanguage1795000050000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "questionnaire_response" ADD COLUMN "language" text NOT NULL DEFAULT 'en'`);
    await q.query(`ALTER TABLE "questionnaire_response" ADD CONSTRAINT "CHK_questionnaire_response_language" CHECK ("language" ~ '^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$')`);
    await q.query(`CREATE VIEW "${LANGUAGE_VIEW.name}" AS ${LANGUAGE_VIEW.select}`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP VIEW "${LANGUAGE_VIEW.name}"`);
    await q.query(`ALTER TABLE "questionnaire_response" DROP CONSTRAINT "CHK_questionnaire_response_language"`);
    await q.query(`ALTER TABLE "questionnaire_response" DROP COLUMN "language"`);
  }
}
