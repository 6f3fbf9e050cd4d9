import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A registration names its write-back separately from its launch issuer: the FHIR base written to, the
 * backend-services token endpoint and client, whose credentials deliver (the service's own, or the launching
 * user's), and delivery overrides (mode, largest Bundle, conditional writes). The outbox remembers who
 * enqueued each entry, for user-credential delivery.
 */
export class WriteBackRegistration1795000006000 implements MigrationInterface {
  name = 'WriteBackRegistration1795000006000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE "ehr_registration"
        ADD COLUMN "fhir_base_url" text,
        ADD COLUMN "token_endpoint" text,
        ADD COLUMN "system_client_id" text,
        ADD COLUMN "write_back_auth" text NOT NULL DEFAULT 'system',
        ADD COLUMN "delivery" jsonb NOT NULL DEFAULT '{}',
        ADD CONSTRAINT "CHK_ehr_registration_write_back_auth" CHECK ("write_back_auth" IN ('system', 'user'))`);
    // attempts fences a stale worker, so an admin retry must not reset it: the budget restarts at attempt_base.
    await q.query(`ALTER TABLE "outbox_entry" ADD COLUMN "actor" text, ADD COLUMN "attempt_base" integer NOT NULL DEFAULT 0`);
    // The patient's write-back status (delivered history included) on the clinician's patient view.
    await q.query(`CREATE INDEX "idx_outbox_entry_patient" ON "outbox_entry" ("registration_id", "patient_key")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "idx_outbox_entry_patient"`);
    await q.query(`ALTER TABLE "outbox_entry" DROP COLUMN "attempt_base", DROP COLUMN "actor"`);
    await q.query(`
      ALTER TABLE "ehr_registration"
        DROP CONSTRAINT "CHK_ehr_registration_write_back_auth",
        DROP COLUMN "delivery",
        DROP COLUMN "write_back_auth",
        DROP COLUMN "system_client_id",
        DROP COLUMN "token_endpoint",
        DROP COLUMN "fhir_base_url"`);
  }
}
