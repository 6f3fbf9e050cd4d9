import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A client's `X-Request-Id` is kept as a correlation id beside our own request id (issue 12), never as it.
 * Adding a nullable column rewrites no row, so the append-only triggers (which refuse UPDATE, DELETE and
 * TRUNCATE) are untouched. Rows written before this keep what they had: their `request_id` may be a client's,
 * and the admin search also matches a patient stored as `Patient/<id>` (the log cannot be rewritten).
 */
export class AuditCorrelation1795000009000 implements MigrationInterface {
  name = 'AuditCorrelation1795000009000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "audit_event" ADD COLUMN "correlation_id" text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "audit_event" DROP COLUMN "correlation_id"`);
  }
}
