import { MigrationInterface, QueryRunner } from 'typeorm';
import { PROGRAM_SEED } from './1795000004000-programs.seed.js';

/**
 * The wellness program: catalogue (programs and their immutable versions, three seeded), referrals (each a
 * patient's journey), cohorts, sessions, enrolments with their participants, attendance.
 */
export class Programs1795000004000 implements MigrationInterface {
  name = 'Programs1795000004000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "program" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "slug" text NOT NULL,
        "kind" text NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "PK_program" PRIMARY KEY ("id"),
        CONSTRAINT "UQ_program_slug" UNIQUE ("slug"),
        CONSTRAINT "CHK_program_kind" CHECK ("kind" IN ('group-course', 'individual'))
      )`);
    await q.query(`
      CREATE TABLE "program_version" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "program_id" uuid NOT NULL,
        "version" text NOT NULL,
        "title" text NOT NULL,
        "description" text NOT NULL,
        "session_count" integer NOT NULL,
        "cadence_days" integer NOT NULL,
        "session_minutes" integer NOT NULL,
        "capacity" integer NOT NULL,
        "audience" jsonb NOT NULL,
        "activities" jsonb NOT NULL,
        "eligibility" jsonb NOT NULL,
        "completion_rule" jsonb NOT NULL,
        "timepoints" jsonb NOT NULL,
        "published_at" timestamptz NOT NULL DEFAULT now(),
        "published_by" text,
        CONSTRAINT "PK_program_version" PRIMARY KEY ("id"),
        CONSTRAINT "UQ_program_version_program_version" UNIQUE ("program_id", "version"),
        CONSTRAINT "FK_program_version_program" FOREIGN KEY ("program_id") REFERENCES "program"("id")
      )`);
    await q.query(`
      CREATE TABLE "referral" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "registration_id" uuid NOT NULL,
        "patient_id" text NOT NULL,
        "caregivers" jsonb NOT NULL DEFAULT '[]',
        "program_id" uuid NOT NULL,
        "program_version_id" uuid NOT NULL,
        "reason" text NOT NULL,
        "priority" text NOT NULL,
        "status" text NOT NULL DEFAULT 'referred',
        "requester" text NOT NULL,
        "screening" jsonb,
        "decision_reason" text,
        "revision" integer NOT NULL DEFAULT 0,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "PK_referral" PRIMARY KEY ("id"),
        CONSTRAINT "FK_referral_registration" FOREIGN KEY ("registration_id") REFERENCES "ehr_registration"("id"),
        CONSTRAINT "FK_referral_program" FOREIGN KEY ("program_id") REFERENCES "program"("id"),
        CONSTRAINT "FK_referral_program_version" FOREIGN KEY ("program_version_id") REFERENCES "program_version"("id"),
        CONSTRAINT "CHK_referral_priority" CHECK ("priority" IN ('routine', 'urgent', 'asap', 'stat')),
        CONSTRAINT "CHK_referral_status" CHECK ("status" IN ('referred', 'screened', 'accepted', 'declined', 'enrolled', 'active', 'completed', 'withdrawn'))
      )`);
    await q.query(`CREATE INDEX "idx_referral_worklist" ON "referral" ("registration_id", "status", "created_at")`);
    await q.query(`CREATE INDEX "idx_referral_patient" ON "referral" ("registration_id", "patient_id")`);
    await q.query(`
      CREATE TABLE "cohort" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "registration_id" uuid NOT NULL,
        "program_version_id" uuid NOT NULL,
        "name" text NOT NULL,
        "start_date" date NOT NULL,
        "session_time" text NOT NULL,
        "time_zone" text NOT NULL,
        "facilitator" text NOT NULL,
        "capacity" integer NOT NULL,
        "created_by" text NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "PK_cohort" PRIMARY KEY ("id"),
        CONSTRAINT "FK_cohort_registration" FOREIGN KEY ("registration_id") REFERENCES "ehr_registration"("id"),
        CONSTRAINT "FK_cohort_program_version" FOREIGN KEY ("program_version_id") REFERENCES "program_version"("id"),
        CONSTRAINT "CHK_cohort_capacity" CHECK ("capacity" > 0)
      )`);
    await q.query(`CREATE INDEX "idx_cohort_registration_start" ON "cohort" ("registration_id", "start_date")`);
    await q.query(`
      CREATE TABLE "enrolment" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "referral_id" uuid NOT NULL,
        "registration_id" uuid NOT NULL,
        "patient_id" text NOT NULL,
        "program_id" uuid NOT NULL,
        "program_version_id" uuid NOT NULL,
        "cohort_id" uuid,
        "facilitator" text NOT NULL,
        "start_date" date NOT NULL,
        "end_date" date,
        "withdrawal_reason" text,
        "withdrawal_note" text,
        "enrolled_by" text NOT NULL,
        "enrolled_at" timestamptz NOT NULL DEFAULT now(),
        "revision" integer NOT NULL DEFAULT 0,
        CONSTRAINT "PK_enrolment" PRIMARY KEY ("id"),
        CONSTRAINT "UQ_enrolment_referral" UNIQUE ("referral_id"),
        CONSTRAINT "FK_enrolment_referral" FOREIGN KEY ("referral_id") REFERENCES "referral"("id"),
        CONSTRAINT "FK_enrolment_registration" FOREIGN KEY ("registration_id") REFERENCES "ehr_registration"("id"),
        CONSTRAINT "FK_enrolment_program" FOREIGN KEY ("program_id") REFERENCES "program"("id"),
        CONSTRAINT "FK_enrolment_program_version" FOREIGN KEY ("program_version_id") REFERENCES "program_version"("id"),
        CONSTRAINT "FK_enrolment_cohort" FOREIGN KEY ("cohort_id") REFERENCES "cohort"("id"),
        CONSTRAINT "CHK_enrolment_withdrawal_reason" CHECK ("withdrawal_reason" IS NULL OR "withdrawal_reason" IN (
          'disease-progression', 'fatigue', 'hospitalisation', 'lost-interest', 'technical-barriers', 'caregiver-burden', 'death', 'other'))
      )`);
    await q.query(`CREATE INDEX "idx_enrolment_cohort" ON "enrolment" ("cohort_id")`);
    await q.query(`CREATE INDEX "idx_enrolment_patient" ON "enrolment" ("registration_id", "patient_id")`);
    await q.query(`
      CREATE TABLE "enrolment_participant" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "enrolment_id" uuid NOT NULL,
        "registration_id" uuid NOT NULL,
        "program_id" uuid NOT NULL,
        "cohort_id" uuid,
        "person" text NOT NULL,
        "role" text NOT NULL,
        "ended_at" timestamptz,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "PK_enrolment_participant" PRIMARY KEY ("id"),
        CONSTRAINT "UQ_enrolment_participant_person" UNIQUE ("enrolment_id", "person"),
        CONSTRAINT "FK_enrolment_participant_enrolment" FOREIGN KEY ("enrolment_id") REFERENCES "enrolment"("id"),
        CONSTRAINT "FK_enrolment_participant_program" FOREIGN KEY ("program_id") REFERENCES "program"("id"),
        CONSTRAINT "FK_enrolment_participant_cohort" FOREIGN KEY ("cohort_id") REFERENCES "cohort"("id"),
        CONSTRAINT "CHK_enrolment_participant_role" CHECK ("role" IN ('patient', 'caregiver'))
      )`);
    // One active enrolment per person per program: the database's guarantee, even under concurrent requests.
    await q.query(`
      CREATE UNIQUE INDEX "uq_enrolment_participant_active" ON "enrolment_participant" ("registration_id", "program_id", "person")
      WHERE "ended_at" IS NULL`);
    await q.query(`CREATE INDEX "idx_enrolment_participant_cohort" ON "enrolment_participant" ("cohort_id")`);
    await q.query(`
      CREATE TABLE "program_session" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "cohort_id" uuid,
        "enrolment_id" uuid,
        "sequence" integer NOT NULL,
        "starts_at" timestamptz NOT NULL,
        "ends_at" timestamptz NOT NULL,
        "time_zone" text NOT NULL,
        "facilitator" text NOT NULL,
        "status" text NOT NULL DEFAULT 'booked',
        "cancel_reason" text,
        "revision" integer NOT NULL DEFAULT 0,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "PK_program_session" PRIMARY KEY ("id"),
        CONSTRAINT "UQ_program_session_cohort_sequence" UNIQUE ("cohort_id", "sequence"),
        CONSTRAINT "UQ_program_session_enrolment_sequence" UNIQUE ("enrolment_id", "sequence"),
        CONSTRAINT "FK_program_session_cohort" FOREIGN KEY ("cohort_id") REFERENCES "cohort"("id"),
        CONSTRAINT "FK_program_session_enrolment" FOREIGN KEY ("enrolment_id") REFERENCES "enrolment"("id"),
        CONSTRAINT "CHK_program_session_owner" CHECK (num_nonnulls("cohort_id", "enrolment_id") = 1),
        CONSTRAINT "CHK_program_session_status" CHECK ("status" IN ('booked', 'fulfilled', 'noshow', 'cancelled')),
        CONSTRAINT "CHK_program_session_times" CHECK ("ends_at" > "starts_at")
      )`);
    await q.query(`
      CREATE TABLE "attendance" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "session_id" uuid NOT NULL,
        "participant_id" uuid NOT NULL,
        "status" text NOT NULL,
        "recorded_by" text NOT NULL,
        "recorded_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "PK_attendance" PRIMARY KEY ("id"),
        CONSTRAINT "UQ_attendance_session_participant" UNIQUE ("session_id", "participant_id"),
        CONSTRAINT "FK_attendance_session" FOREIGN KEY ("session_id") REFERENCES "program_session"("id"),
        CONSTRAINT "FK_attendance_participant" FOREIGN KEY ("participant_id") REFERENCES "enrolment_participant"("id"),
        CONSTRAINT "CHK_attendance_status" CHECK ("status" IN ('attended', 'absent', 'excused'))
      )`);
    await this.seed(q);
  }

  /** The three programs the clinic starts with (data: see the .seed file). */
  private async seed(q: QueryRunner): Promise<void> {
    for (const p of PROGRAM_SEED) {
      const [{ id }] = (await q.query(`INSERT INTO "program" ("slug", "kind") VALUES ($1, $2) RETURNING "id"`, [p.slug, p.kind])) as { id: string }[];
      await q.query(
        `INSERT INTO "program_version" ("program_id", "version", "title", "description", "session_count", "cadence_days",
           "session_minutes", "capacity", "audience", "activities", "eligibility", "completion_rule", "timepoints")
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10::jsonb, $11::jsonb, $12::jsonb, $13::jsonb)`,
        [
          id, p.version, p.title, p.description, p.sessionCount, p.cadenceDays, p.sessionMinutes, p.capacity,
          JSON.stringify(p.audience), JSON.stringify(p.activities), JSON.stringify(p.eligibility),
          JSON.stringify(p.completionRule), JSON.stringify(p.timepoints),
        ],
      );
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['attendance', 'program_session', 'enrolment_participant', 'enrolment', 'cohort', 'referral', 'program_version', 'program']) {
      await q.query(`DROP TABLE "${table}"`);
    }
  }
}
