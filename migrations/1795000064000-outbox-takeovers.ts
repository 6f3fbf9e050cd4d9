import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * How many claims in a row took an outbox entry over from a worker whose lease had passed with nothing recorded
 * (outbox.queue.ts, CLAIM). An entry whose worker dies or stalls every time (one that brings the process down, say)
 * ends dead after a few such take-overs instead of being claimed again for ever (outbox.worker.ts). A new column with
 * a constant default: no table rewrite on PostgreSQL 11+.
 */
export class OutboxTakeovers1795000064000 implements MigrationInterface {
  name = 'OutboxTakeovers1795000064000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "outbox_entry" ADD COLUMN "takeovers" integer NOT NULL DEFAULT 0`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "outbox_entry" DROP COLUMN "takeovers"`);
  }
}
