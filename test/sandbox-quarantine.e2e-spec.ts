import request from 'supertest';
import { DataSource } from 'typeorm';
import { migrations } from '../migrations/index.js';
import { SandboxEhr1795000010001 } from '../src/sandbox/migrations/1795000010001-sandbox-ehr.js';
import type { TestApp } from './support/test-app.js';

/**
 * A production-like deployment (real EHRs in EHR_REGISTRATIONS) never mounts the sandbox EHR and never creates its
 * tables; one migrated before the sandbox had its own migrations loses the tables the old migration made.
 */
const REAL = [{ issuer: 'https://ehr.clinic.test/fhir', name: 'Clinic EHR (synthetic)', clientId: 'als-wellness', clientAuth: 'private_key_jwt', frameAncestors: [], enabled: true }];

const sandboxTables = async (ds: DataSource): Promise<string[]> =>
  (
    await ds.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_name LIKE 'sandbox%' ORDER BY table_name`)
  ).map((r: { table_name: string }) => r.table_name);

describe('the sandbox where real EHRs are configured', () => {
  let t: TestApp;
  let ds: DataSource;
  const saved = process.env.EHR_REGISTRATIONS;

  beforeAll(async () => {
    // The app module decides at import whether the sandbox is mounted, from the environment, as in production.
    process.env.EHR_REGISTRATIONS = JSON.stringify(REAL);
    const { createTestApp } = await import('./support/test-app.js');
    t = await createTestApp({ emptyDatabase: true, fhir: { ehrRegistrations: REAL, outboxWorker: false } });
    ds = t.app.get(DataSource);
  });
  afterAll(async () => {
    if (saved === undefined) delete process.env.EHR_REGISTRATIONS;
    else process.env.EHR_REGISTRATIONS = saved;
    await t?.close();
  });

  it('is not mounted: no sandbox route answers', async () => {
    for (const path of ['/sandbox', '/sandbox/fhir/metadata', '/sandbox/.well-known/smart-configuration']) {
      expect((await request(t.app.getHttpServer()).get(path)).status).toBe(404);
    }
  });

  it('has no tables: every migration ran at boot and none made a sandbox table or history', async () => {
    expect(await ds.showMigrations()).toBe(false);
    expect(await sandboxTables(ds)).toEqual([]);
  });

  it('drops the tables of the old product migration from a deployment migrated before, and its row', async () => {
    // As migrated by an earlier release: the tables SandboxEhr1795000002000 made, and its row in the history.
    const q = ds.createQueryRunner();
    try {
      await new SandboxEhr1795000010001().up(q);
    } finally {
      await q.release();
    }
    await ds.query(`INSERT INTO "migrations" ("timestamp", "name") VALUES (1795000002000, 'SandboxEhr1795000002000')`);
    await ds.query(`DELETE FROM "migrations" WHERE "name" = 'SandboxLeavesProductSchema1795000010000'`);
    expect((await sandboxTables(ds)).length).toBe(8);

    const applied = await ds.runMigrations({ transaction: 'each' });

    expect(applied.map((m) => m.name)).toEqual(['SandboxLeavesProductSchema1795000010000']);
    expect(await sandboxTables(ds)).toEqual([]);
    const rows = await ds.query(`SELECT name FROM "migrations" ORDER BY name`);
    expect(rows.map((r: { name: string }) => r.name)).toEqual(migrations.map((m) => m.name).sort());
  });
});
