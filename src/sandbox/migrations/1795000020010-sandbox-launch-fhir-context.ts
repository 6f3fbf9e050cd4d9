import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * SMART App Launch 2.2 `fhirContext` on the sandbox's launches, authorizations and tokens: the launcher's
 * `fhirContext=` (a Questionnaire canonical, a Task reference) travels from the launch to the token response,
 * and survives a refresh like the encounter does.
 */
export class SandboxLaunchFhirContext1795000020010 implements MigrationInterface {
  name = 'SandboxLaunchFhirContext1795000020010';

  async up(q: QueryRunner): Promise<void> {
    for (const table of ['sandbox_launch', 'sandbox_authorization', 'sandbox_token']) {
      await q.query(`ALTER TABLE "${table}" ADD COLUMN "fhir_context" jsonb`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['sandbox_token', 'sandbox_authorization', 'sandbox_launch']) {
      await q.query(`ALTER TABLE "${table}" DROP COLUMN "fhir_context"`);
    }
  }
}
