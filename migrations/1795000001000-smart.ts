import { MigrationInterface, QueryRunner } from 'typeorm';

/** SMART launch: EHR registry, users and roles, sessions, launches in flight, our signing keys. */
export class Smart1795000001000 implements MigrationInterface {
  name = 'Smart1795000001000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "ehr_registration" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "issuer" text NOT NULL,
        "name" text NOT NULL,
        "client_id" text NOT NULL,
        "client_auth" text NOT NULL,
        "client_secret_enc" text,
        "scopes" text,
        "system_scopes" text,
        "frame_ancestors" jsonb NOT NULL DEFAULT '[]',
        "enabled" boolean NOT NULL DEFAULT true,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "PK_ehr_registration" PRIMARY KEY ("id"),
        CONSTRAINT "UQ_ehr_registration_issuer" UNIQUE ("issuer"),
        CONSTRAINT "CHK_ehr_registration_client_auth" CHECK ("client_auth" IN ('client_secret_basic', 'private_key_jwt'))
      )`);
    await q.query(`
      CREATE TABLE "app_user" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "registration_id" uuid NOT NULL,
        "fhir_user" text NOT NULL,
        "role" text NOT NULL,
        "display_name" text NOT NULL,
        "last_sign_in_at" timestamptz,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "PK_app_user" PRIMARY KEY ("id"),
        CONSTRAINT "FK_app_user_registration" FOREIGN KEY ("registration_id") REFERENCES "ehr_registration"("id"),
        CONSTRAINT "CHK_app_user_role" CHECK ("role" IN ('clinician', 'coordinator', 'quality', 'admin', 'patient', 'caregiver'))
      )`);
    await q.query(`CREATE UNIQUE INDEX "uq_app_user_registration_fhir_user" ON "app_user" ("registration_id", "fhir_user")`);
    await q.query(`
      CREATE TABLE "app_session" (
        "id_hash" text NOT NULL,
        "user_id" uuid NOT NULL,
        "registration_id" uuid NOT NULL,
        "fhir_base" text NOT NULL,
        "patient_id" text,
        "encounter_id" text,
        "need_patient_banner" boolean NOT NULL DEFAULT false,
        "smart_style_url" text,
        "fhir_context" jsonb,
        "csrf_token" text NOT NULL,
        "tokens_enc" text NOT NULL,
        "access_expires_at" timestamptz,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "expires_at" timestamptz NOT NULL,
        "revoked_at" timestamptz,
        CONSTRAINT "PK_app_session" PRIMARY KEY ("id_hash"),
        CONSTRAINT "FK_app_session_user" FOREIGN KEY ("user_id") REFERENCES "app_user"("id"),
        CONSTRAINT "FK_app_session_registration" FOREIGN KEY ("registration_id") REFERENCES "ehr_registration"("id")
      )`);
    await q.query(`CREATE INDEX "idx_app_session_user" ON "app_session" ("user_id")`);
    await q.query(`
      CREATE TABLE "smart_launch_state" (
        "key_hash" text NOT NULL,
        "data_enc" text NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "expires_at" timestamptz NOT NULL,
        CONSTRAINT "PK_smart_launch_state" PRIMARY KEY ("key_hash")
      )`);
    await q.query(`
      CREATE TABLE "app_signing_key" (
        "kid" text NOT NULL,
        "alg" text NOT NULL,
        "public_jwk" jsonb NOT NULL,
        "private_jwk_enc" text NOT NULL,
        "active" boolean NOT NULL DEFAULT true,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "PK_app_signing_key" PRIMARY KEY ("kid")
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "app_signing_key"`);
    await q.query(`DROP TABLE "smart_launch_state"`);
    await q.query(`DROP TABLE "app_session"`);
    await q.query(`DROP TABLE "app_user"`);
    await q.query(`DROP TABLE "ehr_registration"`);
  }
}
