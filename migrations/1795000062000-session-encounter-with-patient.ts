import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A session keeps the launch's encounter only when the token named it with the session's own patient (sign-in's
 * `launchEncounter`). Sessions opened before that rule kept any encounter the token sent, and nothing recorded which
 * patient came with it, so an open session's encounter cannot be trusted to be its patient's visit: it is dropped.
 * Those sessions go on working; a response submitted in one records no visit (launching again records it).
 * down(): nothing to restore (which encounter was dropped is not kept, and none is needed).
 */
export class SessionEncounterWithPatient1795000062000 implements MigrationInterface {
  name = 'SessionEncounterWithPatient1795000062000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`UPDATE "app_session" SET "encounter_id" = NULL WHERE "encounter_id" IS NOT NULL`);
  }

  async down(): Promise<void> {
    // Deliberately nothing: see above.
  }
}
