import type { QueryRunner } from 'typeorm';

// The tables of migration 1795000005000 that hold what a submission produces: frozen versions, scores, alerts.

/** Called by Questionnaires1795000005000.up after the response table exists. */
export async function createResultTables(q: QueryRunner): Promise<void> {
  await createVersions(q);
  await createScores(q);
  await createAlerts(q);
}

/** Every submitted version (completed, then each amendment), frozen: an amendment never rewrites history. */
async function createVersions(q: QueryRunner): Promise<void> {
  await q.query(`
    CREATE TABLE "questionnaire_response_version" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "response_id" uuid NOT NULL,
      "version" integer NOT NULL,
      "status" text NOT NULL,
      "answer_mode" text NOT NULL,
      "author" text NOT NULL,
      "source" text NOT NULL,
      "authored" timestamptz NOT NULL,
      "resource" jsonb NOT NULL,
      "recorded_by" text NOT NULL,
      "recorded_at" timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT "PK_questionnaire_response_version" PRIMARY KEY ("id"),
      CONSTRAINT "UQ_questionnaire_response_version" UNIQUE ("response_id", "version"),
      CONSTRAINT "FK_questionnaire_response_version_response" FOREIGN KEY ("response_id") REFERENCES "questionnaire_response"("id"),
      CONSTRAINT "CHK_questionnaire_response_version_status" CHECK ("status" IN ('completed', 'amended', 'entered-in-error'))
    )`);
  await q.query(`
    CREATE FUNCTION questionnaire_response_version_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'questionnaire_response_version is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
    END $$`);
  await q.query(`
    CREATE TRIGGER questionnaire_response_version_no_change BEFORE UPDATE OR DELETE ON "questionnaire_response_version"
    FOR EACH ROW EXECUTE FUNCTION questionnaire_response_version_frozen()`);
}

/** One row per score of the current version of a completed/amended response: what reports aggregate. */
async function createScores(q: QueryRunner): Promise<void> {
  await q.query(`
    CREATE TABLE "questionnaire_score" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "response_id" uuid NOT NULL,
      "response_version" integer NOT NULL,
      "registration_id" uuid NOT NULL,
      "patient_id" text NOT NULL,
      "subject_type" text NOT NULL,
      "subject_id" text NOT NULL,
      "enrolment_id" uuid,
      "timepoint" text,
      "answer_mode" text NOT NULL,
      "instrument" text NOT NULL,
      "instrument_url" text NOT NULL,
      "link_id" text NOT NULL,
      "code_system" text NOT NULL,
      "code" text NOT NULL,
      "value" numeric,
      "unit" text NOT NULL,
      "band_system" text,
      "band_code" text,
      "gap" text,
      "authored" timestamptz NOT NULL,
      "computed_at" timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT "PK_questionnaire_score" PRIMARY KEY ("id"),
      CONSTRAINT "UQ_questionnaire_score_response_link" UNIQUE ("response_id", "link_id"),
      CONSTRAINT "FK_questionnaire_score_response" FOREIGN KEY ("response_id") REFERENCES "questionnaire_response"("id"),
      CONSTRAINT "FK_questionnaire_score_registration" FOREIGN KEY ("registration_id") REFERENCES "ehr_registration"("id"),
      CONSTRAINT "CHK_questionnaire_score_gap" CHECK (("value" IS NULL) = ("gap" IS NOT NULL))
    )`);
  await q.query(`CREATE INDEX "idx_questionnaire_score_instrument" ON "questionnaire_score" ("registration_id", "instrument_url", "link_id", "timepoint")`);
  await q.query(`CREATE INDEX "idx_questionnaire_score_patient" ON "questionnaire_score" ("registration_id", "patient_id")`);
  await q.query(`CREATE INDEX "idx_questionnaire_score_enrolment" ON "questionnaire_score" ("enrolment_id", "timepoint")`);
}

async function createAlerts(q: QueryRunner): Promise<void> {
  await q.query(`
    CREATE TABLE "safety_alert" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "registration_id" uuid NOT NULL,
      "response_id" uuid NOT NULL,
      "patient_id" text NOT NULL,
      "questionnaire" text NOT NULL,
      "rule_id" text NOT NULL,
      "severity" text NOT NULL,
      "message" text NOT NULL,
      "evaluation_failed" boolean NOT NULL DEFAULT false,
      "responsible" text,
      "status" text NOT NULL DEFAULT 'open',
      "raised_at" timestamptz NOT NULL DEFAULT now(),
      "followed_up_at" timestamptz,
      "followed_up_by" text,
      "follow_up_action" text,
      "follow_up_note" text,
      CONSTRAINT "PK_safety_alert" PRIMARY KEY ("id"),
      CONSTRAINT "UQ_safety_alert_response_rule" UNIQUE ("response_id", "rule_id"),
      CONSTRAINT "FK_safety_alert_response" FOREIGN KEY ("response_id") REFERENCES "questionnaire_response"("id"),
      CONSTRAINT "FK_safety_alert_registration" FOREIGN KEY ("registration_id") REFERENCES "ehr_registration"("id"),
      CONSTRAINT "CHK_safety_alert_severity" CHECK ("severity" IN ('routine', 'urgent', 'asap', 'stat')),
      CONSTRAINT "CHK_safety_alert_status" CHECK ("status" IN ('open', 'followed-up')),
      CONSTRAINT "CHK_safety_alert_follow_up" CHECK (("status" = 'open') = ("followed_up_at" IS NULL))
    )`);
  await q.query(`CREATE INDEX "idx_safety_alert_worklist" ON "safety_alert" ("registration_id", "status", "raised_at")`);
  await q.query(`CREATE INDEX "idx_safety_alert_patient" ON "safety_alert" ("registration_id", "patient_id")`);
}
