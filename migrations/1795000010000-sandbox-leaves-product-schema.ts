import { MigrationInterface, QueryRunner } from 'typeorm';

/** The tables the service's migration SandboxEhr1795000002000 created, before the sandbox had migrations of its own. */
const SANDBOX_TABLES = [
  'sandbox_token',
  'sandbox_authorization',
  'sandbox_launch',
  'sandbox_signing_key',
  'sandbox_assertion_jti',
  'sandbox_client',
  'sandbox_resource_version',
  'sandbox_resource',
];

/**
 * The sandbox EHR's tables are the sandbox's own now: it creates them itself, and only where it is mounted
 * (src/sandbox/migrations/, history in `sandbox_migrations`). A deployment migrated before that still has the
 * tables SandboxEhr1795000002000 created, and that migration's row: both go. In production they were empty (the
 * sandbox is never mounted there); in development they held synthetic data only, which the sandbox seeds again
 * at its next start (its synthetic patients and staff keep their ids; resources written to it since are lost).
 * A database that never ran SandboxEhr1795000002000 is left alone, including sandbox tables created by the
 * sandbox's own migrations. Not reversible: `down` does not put the tables back into the service's schema.
 */
export class SandboxLeavesProductSchema1795000010000 implements MigrationInterface {
  name = 'SandboxLeavesProductSchema1795000010000';

  async up(q: QueryRunner): Promise<void> {
    const table = q.connection.options.migrationsTableName ?? 'migrations';
    const old: unknown[] = await q.query(`SELECT 1 FROM "${table}" WHERE "name" = 'SandboxEhr1795000002000'`);
    if (!old.length) return;
    for (const t of SANDBOX_TABLES) await q.query(`DROP TABLE IF EXISTS "${t}"`);
    await q.query(`DELETE FROM "${table}" WHERE "name" = 'SandboxEhr1795000002000'`);
  }

  async down(): Promise<void> {
    // Nothing to restore: the sandbox's tables belong to the sandbox (see above).
  }
}
