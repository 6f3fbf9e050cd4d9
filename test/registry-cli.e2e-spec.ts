import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seedDataDirFromSnapshot } from './support/pglite-snapshot.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';

/** The registry CLI, run as an operator would (`npm run registry -- …` runs this built file). */
describe('the EHR registry CLI', () => {
  let db: TestDatabase;
  const dataDir = mkdtempSync(join(tmpdir(), 'als-cli-'));
  let env: NodeJS.ProcessEnv;
  const run = (...args: string[]) => {
    const r = spawnSync(process.execPath, ['dist/src/smart/registry/registry.cli.js', ...args], { env, encoding: 'utf8', timeout: 60000 });
    return { code: r.status, out: r.stdout, err: r.stderr };
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    env = { PATH: process.env.PATH, DATA_DIR: dataDir, ...(db.url ? { DATABASE_URL: db.url, DB_SCHEMA: db.schema } : {}) };
    // An operator's DATA_DIR already holds the migrated database (the service's first start made it, a start
    // test/service-process proves); the CLI runs on it without initdb and every migration.
    if (!db.url) await seedDataDirFromSnapshot(dataDir);
  });
  afterAll(async () => {
    await db.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('adds, lists, changes and disables a registration, and never prints the secret', () => {
    const added = run('add', '--issuer', 'https://ehr.clinic.test/fhir/', '--name', 'Clinic EHR', '--client-id', 'als', '--auth', 'client_secret_basic', '--client-secret', 'cli-secret-value', '--frame-ancestor', 'https://ehr.clinic.test');
    expect(added.err).toBe('');
    expect(added.code).toBe(0);
    const reg = JSON.parse(added.out);
    expect(reg).toMatchObject({ issuer: 'https://ehr.clinic.test/fhir', hasClientSecret: true, enabled: true, frameAncestors: ['https://ehr.clinic.test'] });
    expect(added.out).not.toContain('cli-secret-value');

    expect(JSON.parse(run('list').out).map((r: { issuer: string }) => r.issuer)).toContain('https://ehr.clinic.test/fhir');
    expect(JSON.parse(run('update', '--id', reg.id, '--name', 'Clinic EHR (prod)').out).name).toBe('Clinic EHR (prod)');
    expect(JSON.parse(run('disable', '--id', reg.id).out).enabled).toBe(false);
  });

  it("names where a launcher's write-backs go, and changes one delivery override at a time", () => {
    const added = run(
      'add', '--issuer', 'https://launcher.clinic.test/v/r4/*', '--name', 'Launcher', '--client-id', 'als', '--auth', 'private_key_jwt', '--system-scopes', 'system/Task.cru',
      '--fhir-base', 'https://ehr.clinic.test/fhir/', '--token-endpoint', 'https://ehr.clinic.test/oauth/token', '--system-client-id', 'als-backend', '--delivery-mode', 'transaction', '--max-entries', '8',
    );
    expect(added.err).toBe('');
    const reg = JSON.parse(added.out);
    expect(reg.writeBack).toEqual({
      fhirBaseUrl: 'https://ehr.clinic.test/fhir', tokenEndpoint: 'https://ehr.clinic.test/oauth/token', systemClientId: 'als-backend', auth: 'system',
      delivery: { mode: 'transaction', maxEntries: 8 },
    });

    // One override changes; the others stay.
    const noConditional = JSON.parse(run('update', '--id', reg.id, '--no-conditional-writes').out);
    expect(noConditional.writeBack.delivery).toEqual({ mode: 'transaction', maxEntries: 8, conditionalWrites: false });
    // The user's token instead of backend services, the token endpoint back to discovery, the delivery back to the EHR's word.
    const user = JSON.parse(run('update', '--id', reg.id, '--write-back-auth', 'user', '--token-endpoint', '', '--delivery-defaults').out);
    expect(user.writeBack).toEqual({ fhirBaseUrl: 'https://ehr.clinic.test/fhir', tokenEndpoint: null, systemClientId: 'als-backend', auth: 'user', delivery: {} });

    const bad = run('update', '--id', reg.id, '--write-back-auth', 'nobody', '--max-entries', 'many');
    expect(bad.code).toBe(1);
    expect(bad.err.trim().split('\n')).toHaveLength(1);
    expect(bad.err).toMatch(/writeBackAuth/);
    expect(bad.err).toMatch(/delivery\.maxEntries/);
  }, 300_000); // four CLI runs, each opening the embedded database: a deadline for a busy machine

  it('refuses bad input with a one-line reason and a non-zero exit', () => {
    const dup = run('add', '--issuer', 'notaurl', '--name', 'x', '--client-id', 'x', '--auth', 'private_key_jwt');
    expect(dup.code).toBe(1);
    expect(dup.err.trim().split('\n')).toHaveLength(1);
    expect(dup.err).toContain('issuer');
    expect(run('frobnicate').code).toBe(2);
  });

  it('answers an id that is not a UUID as not found, without asking the database (it refused it as a uuid, quoting it)', () => {
    // 36 characters of [0-9a-f-] passed the old id check and reached PostgreSQL (22P02, its message quoting the id).
    // A foreign error is still printed by name and code only: src/cli/bootstrap.spec.ts, test/report-cli.
    const id = 'a'.repeat(36);
    const r = run('disable', '--id', id);
    expect(r.code).toBe(1);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toMatch(/^REGISTRY\.NOT_FOUND: /);
    expect(r.err).not.toContain(id);
  });
});
