import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A response's link to its due form is stored once (issue 13): on the response (`questionnaire_response.
 * assignment_id`, at most one live response per assignment by `uq_questionnaire_response_assignment`). The
 * assignment's own `response_id` said the same thing a second time and is dropped; the assignment reads its
 * response through that index. A response the assignment named but that did not name the assignment back
 * (none is written so, but the two could drift) is linked first, where the index leaves room.
 */
export class OneResponseAssignmentLink1795000012000 implements MigrationInterface {
  name = 'OneResponseAssignmentLink1795000012000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      UPDATE "questionnaire_response" r SET "assignment_id" = a."id"
      FROM "questionnaire_assignment" a
      WHERE a."response_id" = r."id" AND r."assignment_id" IS NULL
        AND NOT EXISTS (
          SELECT 1 FROM "questionnaire_response" o
          WHERE o."assignment_id" = a."id" AND o."status" <> 'entered-in-error')`);
    await q.query(`ALTER TABLE "questionnaire_assignment" DROP CONSTRAINT "FK_questionnaire_assignment_response"`);
    await q.query(`ALTER TABLE "questionnaire_assignment" DROP COLUMN "response_id"`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "questionnaire_assignment" ADD COLUMN "response_id" uuid`);
    await q.query(`
      UPDATE "questionnaire_assignment" a SET "response_id" = r."id"
      FROM "questionnaire_response" r
      WHERE r."assignment_id" = a."id" AND r."status" <> 'entered-in-error'`);
    await q.query(`
      ALTER TABLE "questionnaire_assignment" ADD CONSTRAINT "FK_questionnaire_assignment_response"
      FOREIGN KEY ("response_id") REFERENCES "questionnaire_response"("id")`);
  }
}
