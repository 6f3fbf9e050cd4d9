import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One open referral per patient and program (issue 11): a partial unique index over the referrals that are
 * not declined, withdrawn or completed, so two referrals sent at the same moment cannot both be stored.
 * Referrals made twice before this rule existed are not closed here (each is a clinical record with its own
 * EHR Task): the migration stops and names them, for a coordinator to decline or withdraw the extra ones.
 */
export class OneOpenReferral1795000008000 implements MigrationInterface {
  name = 'OneOpenReferral1795000008000';

  async up(q: QueryRunner): Promise<void> {
    const twice: { registration_id: string; patient_id: string; program_id: string; referrals: string }[] = await q.query(`
      SELECT "registration_id", "patient_id", "program_id", string_agg("id"::text || ' (' || "status" || ')', ', ' ORDER BY "created_at") AS "referrals"
      FROM "referral" WHERE "status" NOT IN ('declined', 'withdrawn', 'completed')
      GROUP BY "registration_id", "patient_id", "program_id" HAVING count(*) > 1`);
    if (twice.length) {
      const list = twice.map((t) => `registration ${t.registration_id}, patient ${t.patient_id}, program ${t.program_id}: ${t.referrals}`).join('; ');
      throw new Error(`Patients with more than one open referral to the same program: ${list}. Decline or withdraw all but one of each, then run the migrations again.`);
    }
    await q.query(`
      CREATE UNIQUE INDEX "uq_referral_open" ON "referral" ("registration_id", "patient_id", "program_id")
      WHERE "status" NOT IN ('declined', 'withdrawn', 'completed')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "uq_referral_open"`);
  }
}
