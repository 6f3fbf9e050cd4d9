import { MigrationInterface, QueryRunner } from 'typeorm';

/** The append-only audit log: the table, its indexes, and triggers that refuse UPDATE, DELETE and TRUNCATE. */
export class AuditLog1795000000000 implements MigrationInterface {
  name = 'AuditLog1795000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "audit_event" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "occurred_at" timestamptz NOT NULL DEFAULT now(),
        "actor" text,
        "actor_role" text,
        "action" text NOT NULL,
        "resource_type" text,
        "resource_id" text,
        "patient_id" text,
        "outcome" text NOT NULL,
        "request_id" text,
        "detail" jsonb,
        CONSTRAINT "PK_audit_event" PRIMARY KEY ("id")
      )`);
    await q.query(`CREATE INDEX "idx_audit_event_occurred_at" ON "audit_event" ("occurred_at")`);
    await q.query(`CREATE INDEX "idx_audit_event_patient" ON "audit_event" ("patient_id")`);
    await q.query(`
      CREATE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_event is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`
      CREATE TRIGGER audit_event_no_update_delete BEFORE UPDATE OR DELETE ON "audit_event"
      FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()`);
    await q.query(`
      CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON "audit_event"
      FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "audit_event"`);
    await q.query(`DROP FUNCTION audit_event_append_only()`);
  }
}
