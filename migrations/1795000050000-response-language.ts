import { MigrationInterface, QueryRunner } from 'typeorm';
import { QUESTIONNAIRES_LANGUAGE_VIEW } from '../src/questionnaires/read-models/report-views.sql.js';

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
    await q.query(`CREATE VIEW "${QUESTIONNAIRES_LANGUAGE_VIEW.name}" AS ${QUESTIONNAIRES_LANGUAGE_VIEW.select}`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP VIEW "${QUESTIONNAIRES_LANGUAGE_VIEW.name}"`);
    await q.query(`ALTER TABLE "questionnaire_response" DROP CONSTRAINT "CHK_questionnaire_response_language"`);
    await q.query(`ALTER TABLE "questionnaire_response" DROP COLUMN "language"`);
  }
}
