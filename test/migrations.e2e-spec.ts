import { DataSource } from 'typeorm';
import { migrations } from '../migrations/index.js';
import { pendingSchemaChanges } from '../src/database/schema-drift.js';
import { createTestApp, type TestApp } from './support/test-app.js';

describe('migrations', () => {
  let t: TestApp;
  let ds: DataSource;
  beforeAll(async () => {
    t = await createTestApp({ emptyDatabase: true }); // every migration runs at boot, as on a new deployment
    ds = t.app.get(DataSource);
  });
  afterAll(async () => t?.close());

  it('are all applied at boot', async () => {
    expect(await ds.showMigrations()).toBe(false);
    const rows = await ds.query(`SELECT name FROM migrations ORDER BY id`);
    expect(rows.map((r: { name: string }) => r.name)).toEqual(migrations.map((m) => m.name));
  });

  it('describe exactly the schema the entities expect (no drift)', async () => {
    expect(await pendingSchemaChanges(ds)).toEqual([]);
  });

  it('revert cleanly, one by one, and apply again', async () => {
    for (let i = 0; i < migrations.length; i++) await ds.undoLastMigration({ transaction: 'each' });
    expect(await ds.showMigrations()).toBe(true);
    await ds.runMigrations({ transaction: 'each' });
    expect(await pendingSchemaChanges(ds)).toEqual([]);
  });
});
