import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Entries that depend on another (a Task completion on its response's write-back) leave their patient's delivery
 * order and wait for their dependency instead (outbox.queue.ts, CLAIM). The claim's two halves each get a partial
 * index: the patient's head among the entries without a dependency, and the few dependents still waiting.
 */
export class DependentOutboxEntries1795000061000 implements MigrationInterface {
  name = 'DependentOutboxEntries1795000061000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "idx_outbox_entry_queue"`);
    await q.query(`
      CREATE INDEX "idx_outbox_entry_queue" ON "outbox_entry" ("registration_id", "patient_key", "seq")
      WHERE "status" IN ('pending', 'in_flight') AND "depends_on" IS NULL`);
    await q.query(`
      CREATE INDEX "idx_outbox_entry_waiting_dependents" ON "outbox_entry" ("depends_on")
      WHERE "status" IN ('pending', 'in_flight') AND "depends_on" IS NOT NULL`);
  }

  /**
   * Refuses while dependent entries still wait: the claim before this migration puts them back in their patient's
   * order, where one waiting for its dependency holds back every later write of that patient. Let them be delivered
   * (or go dead) first.
   */
  async down(q: QueryRunner): Promise<void> {
    const [{ n }] = (await q.query(`SELECT count(*)::int AS n FROM "outbox_entry" WHERE "depends_on" IS NOT NULL AND "status" IN ('pending', 'in_flight')`)) as { n: number }[];
    if (n > 0) {
      throw new Error(
        `Cannot revert DependentOutboxEntries1795000061000: ${n} outbox ${n === 1 ? 'entry' : 'entries'} (Task completions) still waiting on another entry. ` +
          'Let the worker deliver them (or let them go dead) first, then revert again.',
      );
    }
    await q.query(`DROP INDEX "idx_outbox_entry_waiting_dependents"`);
    await q.query(`DROP INDEX "idx_outbox_entry_queue"`);
    await q.query(`
      CREATE INDEX "idx_outbox_entry_queue" ON "outbox_entry" ("registration_id", "patient_key", "seq")
      WHERE "status" IN ('pending', 'in_flight')`);
  }
}
