import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The sandbox EHR's own tables: FHIR resources (current version with search columns, plus every version),
 * OAuth clients, launches, authorizations, tokens (hashed), assertion ids and the id_token signing key.
 * Run by the sandbox when it is mounted (sandbox-migrations.ts), never by the service's migrations: a
 * deployment without the sandbox has none of these tables. (Until 1795000010000 this was the service's
 * migration SandboxEhr1795000002000; the service's migration 1795000010000 drops the tables it created.)
 */
export class SandboxEhr1795000010001 implements MigrationInterface {
  name = 'SandboxEhr1795000010001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "sandbox_resource" (
        "resource_type" text NOT NULL,
        "id" text NOT NULL,
        "version_id" integer NOT NULL,
        "last_updated" timestamptz NOT NULL,
        "resource" jsonb NOT NULL,
        "patient_ref" text,
        "refs" text[] NOT NULL,
        "main_date" timestamptz,
        CONSTRAINT "PK_sandbox_resource" PRIMARY KEY ("resource_type", "id")
      )`);
    await q.query(`CREATE INDEX "idx_sandbox_resource_patient" ON "sandbox_resource" ("resource_type", "patient_ref")`);
    await q.query(`CREATE INDEX "idx_sandbox_resource_date" ON "sandbox_resource" ("resource_type", "main_date")`);
    await q.query(`CREATE INDEX "idx_sandbox_resource_updated" ON "sandbox_resource" ("resource_type", "last_updated")`);
    await q.query(`CREATE INDEX "idx_sandbox_resource_refs" ON "sandbox_resource" USING gin ("refs")`);
    await q.query(
      `CREATE INDEX "idx_sandbox_resource_identifier" ON "sandbox_resource" USING gin (("resource" -> 'identifier') jsonb_path_ops)`,
    );
    await q.query(`
      CREATE TABLE "sandbox_resource_version" (
        "resource_type" text NOT NULL,
        "id" text NOT NULL,
        "version_id" integer NOT NULL,
        "last_updated" timestamptz NOT NULL,
        "resource" jsonb NOT NULL,
        CONSTRAINT "PK_sandbox_resource_version" PRIMARY KEY ("resource_type", "id", "version_id")
      )`);
    await q.query(`
      CREATE TABLE "sandbox_client" (
        "client_id" text NOT NULL,
        "auth_method" text NOT NULL,
        "secret_hash" text,
        "jwks_uri" text,
        "redirect_uris" text[] NOT NULL,
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "PK_sandbox_client" PRIMARY KEY ("client_id")
      )`);
    await q.query(`
      CREATE TABLE "sandbox_assertion_jti" (
        "client_id" text NOT NULL,
        "jti" text NOT NULL,
        "expires_at" timestamptz NOT NULL,
        CONSTRAINT "PK_sandbox_assertion_jti" PRIMARY KEY ("client_id", "jti")
      )`);
    await q.query(`
      CREATE TABLE "sandbox_signing_key" (
        "kid" text NOT NULL,
        "alg" text NOT NULL,
        "public_jwk" jsonb NOT NULL,
        "private_jwk" jsonb NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "PK_sandbox_signing_key" PRIMARY KEY ("kid")
      )`);
    await q.query(`
      CREATE TABLE "sandbox_launch" (
        "id" text NOT NULL,
        "user_ref" text NOT NULL,
        "patient_id" text,
        "encounter_id" text,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "expires_at" timestamptz NOT NULL,
        "used_at" timestamptz,
        CONSTRAINT "PK_sandbox_launch" PRIMARY KEY ("id")
      )`);
    await q.query(`
      CREATE TABLE "sandbox_authorization" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "client_id" text NOT NULL,
        "redirect_uri" text NOT NULL,
        "state" text NOT NULL,
        "scope" text NOT NULL,
        "code_challenge" text NOT NULL,
        "nonce" text,
        "ehr_launch" boolean NOT NULL,
        "user_ref" text,
        "patient_id" text,
        "encounter_id" text,
        "code_hash" text,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "expires_at" timestamptz NOT NULL,
        "used_at" timestamptz,
        CONSTRAINT "PK_sandbox_authorization" PRIMARY KEY ("id")
      )`);
    await q.query(`CREATE UNIQUE INDEX "idx_sandbox_authorization_code" ON "sandbox_authorization" ("code_hash")`);
    await q.query(`
      CREATE TABLE "sandbox_token" (
        "token_hash" text NOT NULL,
        "kind" text NOT NULL,
        "client_id" text NOT NULL,
        "scope" text NOT NULL,
        "user_ref" text,
        "patient_id" text,
        "encounter_id" text,
        "authorization_id" uuid,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "expires_at" timestamptz NOT NULL,
        "revoked_at" timestamptz,
        CONSTRAINT "PK_sandbox_token" PRIMARY KEY ("token_hash")
      )`);
    await q.query(`CREATE INDEX "idx_sandbox_token_authorization" ON "sandbox_token" ("authorization_id")`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'sandbox_token',
      'sandbox_authorization',
      'sandbox_launch',
      'sandbox_signing_key',
      'sandbox_assertion_jti',
      'sandbox_client',
      'sandbox_resource_version',
      'sandbox_resource',
    ]) {
      await q.query(`DROP TABLE "${table}"`);
    }
  }
}
