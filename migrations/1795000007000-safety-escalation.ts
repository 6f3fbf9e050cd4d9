import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Safety alerts that reach the right person (issue 11): an alert names who it is about (a caregiver's own form:
 * the RelatedPerson) and how the answers were given; drafts raise alerts too; after a follow-up a worse answer
 * raises a new one (so "one per response and rule" becomes "one OPEN per response and rule"); an alert left open
 * is escalated once to the program's lead clinician, kept per clinic in `program_lead_clinician`.
 */
export class SafetyEscalation1795000007000 implements MigrationInterface {
  name = 'SafetyEscalation1795000007000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE "safety_alert"
        ADD COLUMN "subject_type" text,
        ADD COLUMN "subject_id" text,
        ADD COLUMN "answer_mode" text,
        ADD COLUMN "author" text,
        ADD COLUMN "level" double precision,
        ADD COLUMN "raised_on_draft" boolean NOT NULL DEFAULT false,
        ADD COLUMN "response_submitted_at" timestamptz,
        ADD COLUMN "escalated_at" timestamptz,
        ADD COLUMN "escalated_to" text`);
    // Alerts so far were raised at submission, on the response as it stands now (amendments keep the subject).
    await q.query(`
      UPDATE "safety_alert" a
      SET "subject_type" = r."subject_type", "subject_id" = r."subject_id", "answer_mode" = r."answer_mode", "author" = r."author",
          "response_submitted_at" = a."raised_at"
      FROM "questionnaire_response" r WHERE r."id" = a."response_id"`);
    await q.query(`
      ALTER TABLE "safety_alert"
        ALTER COLUMN "subject_type" SET NOT NULL,
        ALTER COLUMN "subject_id" SET NOT NULL,
        ALTER COLUMN "answer_mode" SET NOT NULL,
        ALTER COLUMN "author" SET NOT NULL,
        ADD CONSTRAINT "CHK_safety_alert_subject_type" CHECK ("subject_type" IN ('Patient', 'RelatedPerson')),
        ADD CONSTRAINT "CHK_safety_alert_answer_mode" CHECK ("answer_mode" IN ('self', 'caregiver-entered', 'clinician-read-aloud', 'proxy')),
        DROP CONSTRAINT "UQ_safety_alert_response_rule"`);
    await q.query(`CREATE UNIQUE INDEX "uq_safety_alert_open_response_rule" ON "safety_alert" ("response_id", "rule_id") WHERE "status" = 'open'`);
    await q.query(`CREATE INDEX "idx_safety_alert_response" ON "safety_alert" ("response_id", "rule_id", "raised_at")`);
    // The escalation job's claim: open, not yet escalated, oldest first.
    await q.query(`CREATE INDEX "idx_safety_alert_escalation" ON "safety_alert" ("raised_at") WHERE "status" = 'open' AND "escalated_at" IS NULL`);
    await q.query(`
      CREATE TABLE "program_lead_clinician" (
        "registration_id" uuid NOT NULL,
        "program_id" uuid NOT NULL,
        "practitioner" text NOT NULL,
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        "updated_by" text NOT NULL,
        CONSTRAINT "PK_program_lead_clinician" PRIMARY KEY ("registration_id", "program_id"),
        CONSTRAINT "FK_program_lead_clinician_registration" FOREIGN KEY ("registration_id") REFERENCES "ehr_registration"("id"),
        CONSTRAINT "FK_program_lead_clinician_program" FOREIGN KEY ("program_id") REFERENCES "program"("id")
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "program_lead_clinician"`);
    await q.query(`DROP INDEX "idx_safety_alert_escalation"`);
    await q.query(`DROP INDEX "idx_safety_alert_response"`);
    await q.query(`DROP INDEX "uq_safety_alert_open_response_rule"`);
    // The old rule allowed one alert per (response, rule): keep the first of each before restoring it.
    await q.query(`
      DELETE FROM "safety_alert" a USING "safety_alert" b
      WHERE a."response_id" = b."response_id" AND a."rule_id" = b."rule_id" AND (a."raised_at", a."id") > (b."raised_at", b."id")`);
    await q.query(`
      ALTER TABLE "safety_alert"
        ADD CONSTRAINT "UQ_safety_alert_response_rule" UNIQUE ("response_id", "rule_id"),
        DROP CONSTRAINT "CHK_safety_alert_answer_mode",
        DROP CONSTRAINT "CHK_safety_alert_subject_type",
        DROP COLUMN "escalated_to",
        DROP COLUMN "escalated_at",
        DROP COLUMN "response_submitted_at",
        DROP COLUMN "raised_on_draft",
        DROP COLUMN "level",
        DROP COLUMN "author",
        DROP COLUMN "answer_mode",
        DROP COLUMN "subject_id",
        DROP COLUMN "subject_type"`);
  }
}
