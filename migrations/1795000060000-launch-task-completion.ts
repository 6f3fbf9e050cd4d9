import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Completing the EHR's Task a launch named (issue 15): the session remembers the Task once the form it asks for is
 * opened, and an outbox entry can name the entry it needs delivered first (the Task's output references the
 * response the EHR created). No foreign key on depends_on: fhir/ never deletes entries, and a dependency that is
 * missing ends the dependent entry dead with the reason.
 */
export class LaunchTaskCompletion1795000060000 implements MigrationInterface {
  name = 'LaunchTaskCompletion1795000060000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "app_session" ADD COLUMN "launch_task" jsonb`);
    await q.query(`ALTER TABLE "outbox_entry" ADD COLUMN "depends_on" uuid`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "outbox_entry" DROP COLUMN "depends_on"`);
    await q.query(`ALTER TABLE "app_session" DROP COLUMN "launch_task"`);
  }
}
