import { MigrationInterface, QueryRunner } from 'typeorm';
import { createResultTables } from './1795000005000-questionnaires.results.js';

const SUBJECT_TYPES = `'Patient', 'RelatedPerson'`;
const TIMEPOINTS = `'baseline', 'mid', 'post', 'follow-up'`;
const ANSWER_MODES = `'self', 'caregiver-entered', 'clinician-read-aloud', 'proxy'`;

/**
 * Outcome questionnaires: a clinic's imported Questionnaires, due forms (assignments), responses with their
 * submitted versions, scores (what reports aggregate) and safety alerts. See src/questionnaires/README.md.
 */
export class Questionnaires1795000005000 implements MigrationInterface {
  name = 'Questionnaires1795000005000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "questionnaire_definition" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "registration_id" uuid NOT NULL,
        "url" text NOT NULL,
        "version" text NOT NULL,
        "name" text,
        "title" text,
        "status" text NOT NULL,
        "questionnaire" jsonb NOT NULL,
        "scores" jsonb NOT NULL,
        "safety_rules" jsonb NOT NULL,
        "content_hash" text NOT NULL,
        "imported_by" text NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "PK_questionnaire_definition" PRIMARY KEY ("id"),
        CONSTRAINT "UQ_questionnaire_definition_canonical" UNIQUE ("registration_id", "url", "version"),
        CONSTRAINT "FK_questionnaire_definition_registration" FOREIGN KEY ("registration_id") REFERENCES "ehr_registration"("id"),
        CONSTRAINT "CHK_questionnaire_definition_status" CHECK ("status" IN ('draft', 'active', 'retired', 'unknown'))
      )`);
    await q.query(`
      CREATE TABLE "questionnaire_assignment" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "registration_id" uuid NOT NULL,
        "enrolment_id" uuid,
        "cohort_id" uuid,
        "patient_id" text NOT NULL,
        "subject_type" text NOT NULL,
        "subject_id" text NOT NULL,
        "questionnaire" text NOT NULL,
        "questionnaire_url" text NOT NULL,
        "timepoint" text NOT NULL,
        "due_from" date NOT NULL,
        "due_until" date NOT NULL,
        "status" text NOT NULL DEFAULT 'due',
        "response_id" uuid,
        "responsible" text,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "PK_questionnaire_assignment" PRIMARY KEY ("id"),
        CONSTRAINT "FK_questionnaire_assignment_registration" FOREIGN KEY ("registration_id") REFERENCES "ehr_registration"("id"),
        CONSTRAINT "CHK_questionnaire_assignment_subject_type" CHECK ("subject_type" IN (${SUBJECT_TYPES})),
        CONSTRAINT "CHK_questionnaire_assignment_timepoint" CHECK ("timepoint" IN (${TIMEPOINTS})),
        CONSTRAINT "CHK_questionnaire_assignment_status" CHECK ("status" IN ('due', 'in-progress', 'completed', 'cancelled')),
        CONSTRAINT "CHK_questionnaire_assignment_window" CHECK ("due_until" >= "due_from")
      )`);
    // Scheduling twice (a retried enrolment) creates nothing twice.
    await q.query(`
      CREATE UNIQUE INDEX "uq_questionnaire_assignment_slot" ON "questionnaire_assignment"
      ("enrolment_id", "timepoint", "questionnaire_url", "subject_type", "subject_id") WHERE "enrolment_id" IS NOT NULL`);
    await q.query(`CREATE INDEX "idx_questionnaire_assignment_worklist" ON "questionnaire_assignment" ("registration_id", "status", "due_until")`);
    await q.query(`CREATE INDEX "idx_questionnaire_assignment_patient" ON "questionnaire_assignment" ("registration_id", "patient_id")`);
    await q.query(`CREATE INDEX "idx_questionnaire_assignment_cohort" ON "questionnaire_assignment" ("cohort_id")`);
    await q.query(`
      CREATE TABLE "questionnaire_response" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "registration_id" uuid NOT NULL,
        "questionnaire" text NOT NULL,
        "questionnaire_url" text NOT NULL,
        "subject_type" text NOT NULL,
        "subject_id" text NOT NULL,
        "patient_id" text NOT NULL,
        "enrolment_id" uuid,
        "assignment_id" uuid,
        "timepoint" text,
        "status" text NOT NULL,
        "answer_mode" text NOT NULL,
        "author" text NOT NULL,
        "source" text NOT NULL,
        "authored" timestamptz NOT NULL,
        "resource" jsonb NOT NULL,
        "version" integer NOT NULL DEFAULT 1,
        "submitted_at" timestamptz,
        "created_by" text NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "PK_questionnaire_response" PRIMARY KEY ("id"),
        CONSTRAINT "FK_questionnaire_response_registration" FOREIGN KEY ("registration_id") REFERENCES "ehr_registration"("id"),
        CONSTRAINT "FK_questionnaire_response_assignment" FOREIGN KEY ("assignment_id") REFERENCES "questionnaire_assignment"("id"),
        CONSTRAINT "CHK_questionnaire_response_subject_type" CHECK ("subject_type" IN (${SUBJECT_TYPES})),
        CONSTRAINT "CHK_questionnaire_response_timepoint" CHECK ("timepoint" IS NULL OR "timepoint" IN (${TIMEPOINTS})),
        CONSTRAINT "CHK_questionnaire_response_status" CHECK ("status" IN ('in-progress', 'completed', 'amended', 'entered-in-error')),
        CONSTRAINT "CHK_questionnaire_response_answer_mode" CHECK ("answer_mode" IN (${ANSWER_MODES}))
      )`);
    // One live response per due form: a second start resumes the first instead.
    await q.query(`
      CREATE UNIQUE INDEX "uq_questionnaire_response_assignment" ON "questionnaire_response" ("assignment_id")
      WHERE "assignment_id" IS NOT NULL AND "status" <> 'entered-in-error'`);
    await q.query(`CREATE INDEX "idx_questionnaire_response_patient" ON "questionnaire_response" ("registration_id", "patient_id", "status")`);
    await q.query(`CREATE INDEX "idx_questionnaire_response_enrolment" ON "questionnaire_response" ("enrolment_id")`);
    await q.query(`
      ALTER TABLE "questionnaire_assignment" ADD CONSTRAINT "FK_questionnaire_assignment_response"
      FOREIGN KEY ("response_id") REFERENCES "questionnaire_response"("id")`);
    await createResultTables(q);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "questionnaire_assignment" DROP CONSTRAINT "FK_questionnaire_assignment_response"`);
    for (const table of ['safety_alert', 'questionnaire_score', 'questionnaire_response_version', 'questionnaire_response', 'questionnaire_assignment', 'questionnaire_definition']) {
      await q.query(`DROP TABLE "${table}"`);
    }
    await q.query(`DROP FUNCTION questionnaire_response_version_frozen()`);
  }
}
