import { existsSync } from 'node:fs';
import { startService } from './support/service-process.js';

/**
 * An operator starts the built service with a DATABASE_URL nothing answers at: it stops by itself with one plain
 * line naming DATABASE_URL, never its password, with no retry dumps, stack or colour codes, and a non-zero code.
 */
describe('an unreachable DATABASE_URL at start', () => {
  beforeAll(() => {
    if (!existsSync('dist/src/main.js')) throw new Error('run `npm run build` first (npm test does)');
  });

  it('stops with one line naming DATABASE_URL', async () => {
    const svc = startService({ DATABASE_URL: 'postgres://postgres:s3cret-pw@127.0.0.1:1/x', PORT: '0', LOG_LEVEL: 'info' });
    const code = await svc.exit();
    const out = svc.output();
    expect(code).not.toBe(0);
    expect(out.trim().split('\n')).toHaveLength(1);
    expect(out).toContain('DATABASE_URL');
    expect(out).toContain('127.0.0.1:1/x');
    expect(out).not.toContain('s3cret-pw');
    expect(out).not.toMatch(/\n\s+at |Retrying/);
    expect(out).not.toContain('\u001b[');
  }); // jest's deadline (3 min): a busy machine starts Node slowly; the service itself gives up after one connection attempt
});
