import { PGlite } from '@electric-sql/pglite';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seedDataDirFromSnapshot } from './support/pglite-snapshot.js';
import { freePort, startService, waitFor200, type ServiceProcess } from './support/service-process.js';

/** The first line of the service's output that contains `text`, as soon as it is printed; fails after `deadlineMs`. */
async function lineContaining(svc: ServiceProcess, text: string, deadlineMs: number): Promise<string> {
  const find = () => svc.output().split('\n').find((l) => l.includes(text));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      svc.child.stdout?.off('data', check);
      reject(new Error(`no line containing "${text}" within ${deadlineMs} ms`));
    }, deadlineMs);
    const check = () => {
      const line = find();
      if (line === undefined) return;
      clearTimeout(timer);
      svc.child.stdout?.off('data', check);
      resolve(line);
    };
    svc.child.stdout?.on('data', check);
    check();
  });
}

/** The built service, run as a process: what an operator sees at start, in the logs, and after a restart. */
describe('the service as a process', () => {
  beforeAll(() => {
    if (!existsSync('dist/src/main.js')) throw new Error('run `npm run build` first (npm test does)');
  });

  it.each([
    ['DATABASE_URL', 'not-a-url'],
    ['PORT', 'abc'],
    ['LOG_LEVEL', 'loud'],
    ['IDLE_GC_SECONDS', 'soon'],
    ['TOKEN_ENCRYPTION_KEYS', 'short'],
    ['EHR_REGISTRATIONS', '{not json'],
    ['EHR_REGISTRATIONS', '[{"issuer":"ftp://nowhere","name":"x","clientId":"c","clientAuth":"private_key_jwt"}]'],
  ])('refuses to start when %s=%s, with one line naming it', async (name, value) => {
    const svc = startService({ [name]: value, DATA_DIR: ':memory:' });
    const code = await svc.exit();
    const lines = svc.output().trim().split('\n');
    expect(code).not.toBe(0);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(name);
    expect(lines[0]).not.toContain(value);
    expect(svc.output()).not.toMatch(/\n\s+at /);
  });

  describe('on its embedded database', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'als-data-'));
    afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

    it('becomes ready, keeps secrets out of its logs, and keeps its data across a restart', async () => {
      const port = await freePort();
      const env = { PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'info' };
      const first = startService(env);
      await waitFor200(`http://127.0.0.1:${port}/health/ready`);
      await fetch(`http://127.0.0.1:${port}/smart/callback?code=CODE-SECRET-1&state=STATE-SECRET-2`, {
        headers: { Authorization: 'Bearer TOKEN-SECRET-3', Cookie: 'sid=COOKIE-SECRET-4' },
      });
      await fetch(`http://127.0.0.1:${port}/health/live`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: '{"access_token":"TOKEN-SECRET-5", broken',
      });
      expect(await first.stop()).toBe(0);
      const log = first.output();
      expect(log).toContain('Service ready at');
      expect(log).toContain(`Open http://localhost:${port}/sandbox to launch the app`);
      for (const secret of ['CODE-SECRET-1', 'STATE-SECRET-2', 'TOKEN-SECRET-3', 'COOKIE-SECRET-4', 'TOKEN-SECRET-5']) {
        expect(log).not.toContain(secret);
      }
      expect(log).not.toMatch(/\n\s+at /);
      const jsonLines = log.trim().split('\n').filter((l) => l.trim() && !l.startsWith('Open '));
      for (const line of jsonLines) expect(() => JSON.parse(line)).not.toThrow();

      // Mark the stopped database directly, start again: migrations must not re-run and the mark must survive.
      const db = await PGlite.create({ dataDir: join(dataDir, 'pg') });
      await db.query(`INSERT INTO audit_event (action, outcome) VALUES ('test.persisted', 'success')`);
      await db.close();

      const second = startService(env);
      await waitFor200(`http://127.0.0.1:${port}/health/ready`);
      expect(await second.stop()).toBe(0);

      const again = await PGlite.create({ dataDir: join(dataDir, 'pg') });
      const { rows } = await again.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_event WHERE action = 'test.persisted'`);
      const migrations = await again.query<{ n: number }>(`SELECT count(*)::int AS n FROM migrations`);
      await again.close();
      expect(rows[0].n).toBe(1);
      expect(migrations.rows[0].n).toBeGreaterThan(0);
    }, 600_000); // two starts of the built service, the first creating its database: a deadline, not a measurement
  });

  it('collects its garbage once it falls quiet after a request, and says what that gave back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'als-idle-'));
    try {
      await seedDataDirFromSnapshot(dir);
      const port = await freePort();
      const svc = startService({ PORT: String(port), DATA_DIR: dir, LOG_LEVEL: 'debug', LOG_FORMAT: 'json', IDLE_GC_SECONDS: '1' });
      try {
        await waitFor200(`http://127.0.0.1:${port}/health/ready`);
        expect(svc.output()).not.toContain('Idle garbage collection'); // health probes start none
        expect((await fetch(`http://127.0.0.1:${port}/api/questionnaires`)).status).toBe(401);
        const line = await lineContaining(svc, 'Idle garbage collection', 120_000);
        expect(JSON.parse(line)).toMatchObject({ level: 20, msg: expect.stringMatching(/^Idle garbage collection: RSS \d+ MB → \d+ MB$/) });
      } finally {
        expect(await svc.stop()).toBe(0);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 600_000); // one start of the built service and a quiet second or two: a deadline, not a measurement

  it('reads .env before it decides what to mount: real EHRs named only in .env keep the sandbox EHR off, and say so without errors', async () => {
    // The sandbox is mounted when the app module is loaded; main.ts must have read .env by then (issue 13 review).
    const dir = mkdtempSync(join(tmpdir(), 'als-env-'));
    try {
      mkdirSync(join(dir, 'data'));
      await seedDataDirFromSnapshot(join(dir, 'data')); // a migrated database: the start proves .env, not migrations
      const port = await freePort();
      const real = [{ issuer: 'https://ehr.clinic.test/fhir', name: 'Clinic EHR (synthetic)', clientId: 'als-wellness', clientAuth: 'private_key_jwt' }];
      writeFileSync(join(dir, '.env'), `PORT=${port}\nDATA_DIR=${join(dir, 'data')}\nEHR_REGISTRATIONS='${JSON.stringify(real)}'\n`);
      const svc = startService({}, { cwd: dir });
      try {
        await waitFor200(`http://127.0.0.1:${port}/health/ready`);
        expect((await fetch(`http://127.0.0.1:${port}/sandbox`)).status).toBe(404);
        expect((await fetch(`http://127.0.0.1:${port}/sandbox/fhir/metadata`)).status).toBe(404);
      } finally {
        expect(await svc.stop()).toBe(0);
      }
      // Without the sandbox its contributions (the ready notice, its form-post paths) are simply absent: nothing is
      // logged at ERROR level (pino's 50 and above) at a start beside real EHRs.
      expect(svc.output().split('\n').filter((line) => /"level":\s*[56]\d/.test(line))).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 600_000); // one start of the built service: a deadline, not a measurement
});
