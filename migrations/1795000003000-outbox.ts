import { MigrationInterface, QueryRunner } from 'typeorm';

/** The write-back outbox: FHIR transaction Bundles waiting for (or done with) delivery to an EHR. */
export class Outbox1795000003000 implements MigrationInterface {
  name = 'Outbox1795000003000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "outbox_entry" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "registration_id" uuid NOT NULL,
        "patient_key" text NOT NULL,
        "kind" text NOT NULL,
        "business_key" text NOT NULL,
        "bundle" jsonb NOT NULL,
        "status" text NOT NULL DEFAULT 'pending',
        "attempts" integer NOT NULL DEFAULT 0,
        "next_attempt_at" timestamptz NOT NULL DEFAULT now(),
        "locked_until" timestamptz,
        "last_error" jsonb,
        "response" jsonb,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "delivered_at" timestamptz,
        "seq" bigserial NOT NULL,
        CONSTRAINT "PK_outbox_entry" PRIMARY KEY ("id"),
        CONSTRAINT "UQ_outbox_entry_business_key" UNIQUE ("business_key"),
        CONSTRAINT "CHK_outbox_entry_status" CHECK ("status" IN ('pending', 'in_flight', 'delivered', 'dead'))
      )`);
    // The worker's claim: the oldest undelivered entry per (registration, patient), found by index only.
    await q.query(`
      CREATE INDEX "idx_outbox_entry_queue" ON "outbox_entry" ("registration_id", "patient_key", "seq")
      WHERE "status" IN ('pending', 'in_flight')`);
    // Admin listing and stats by status, in creation order.
    await q.query(`CREATE INDEX "idx_outbox_entry_status_seq" ON "outbox_entry" ("status", "seq")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "outbox_entry"`);
  }
}
