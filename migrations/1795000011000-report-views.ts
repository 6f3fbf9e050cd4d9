import { MigrationInterface, QueryRunner } from 'typeorm';
import { PROGRAMS_REPORT_VIEWS } from '../src/programs/read-models/report-views.sql.js';
import { QUESTIONNAIRES_REPORT_VIEWS } from '../src/questionnaires/read-models/report-views.sql.js';
import { SMART_REPORT_VIEWS } from '../src/smart/read-models/report-views.sql.js';

/**
 * Reports read views, never another module's tables (issue 13): the programs and questionnaires modules (and
 * smart, for the list of clinics) each define their read-only report views in their own `read-models/` folder,
 * and this migration creates them.
 * While a view exists, PostgreSQL refuses to drop or retype a column it reads, so a module cannot break its
 * reporting contract by accident. A later change to a view comes with its own migration that re-creates it.
 */
const VIEWS = [...SMART_REPORT_VIEWS, ...PROGRAMS_REPORT_VIEWS, ...QUESTIONNAIRES_REPORT_VIEWS];

export class ReportViews1795000011000 implements MigrationInterface {
  name = 'ReportViews1795000011000';

  async up(q: QueryRunner): Promise<void> {
    for (const view of VIEWS) await q.query(`CREATE VIEW "${view.name}" AS ${view.select}`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const view of [...VIEWS].reverse()) await q.query(`DROP VIEW "${view.name}"`);
  }
}
