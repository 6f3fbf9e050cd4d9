import { existsSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
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

  /**
   * A stand-in for PgBouncer with its defaults: it refuses a startup message carrying a parameter it does not know
   * (`FATAL 08P01 unsupported startup parameter: statement_timeout`, its words), and, having no database behind it,
   * answers any other start with a failed password. It records the parameters each start sent.
   */
  async function pooler(): Promise<{ url: string; starts: Record<string, string>[]; close: () => Promise<void> }> {
    const starts: Record<string, string>[] = [];
    const error = (code: string, message: string) => {
      const body = Buffer.concat([Buffer.from(`SFATAL\0C${code}\0M${message}\0`), Buffer.from([0])]);
      const head = Buffer.alloc(5);
      head.write('E', 0);
      head.writeInt32BE(body.length + 4, 1);
      return Buffer.concat([head, body]);
    };
    const server: Server = createServer((socket) => {
      let got = Buffer.alloc(0);
      socket.on('error', () => undefined);
      let answered = false;
      socket.on('data', (d) => {
        got = Buffer.concat([got, d]);
        // Only the startup message is read (what follows is the client's Terminate).
        if (answered || got.length < 4 || got.length < got.readInt32BE(0)) return;
        answered = true;
        // length, protocol version 3.0, then key NUL value NUL … NUL
        const fields = got.subarray(8, got.readInt32BE(0) - 1).toString().split('\0');
        const params: Record<string, string> = {};
        for (let i = 0; i + 1 < fields.length; i += 2) params[fields[i]] = fields[i + 1];
        starts.push(params);
        const unknown = Object.keys(params).find((k) => !['user', 'database', 'client_encoding', 'application_name', 'options'].includes(k));
        socket.end(unknown ? error('08P01', `unsupported startup parameter: ${unknown}`) : error('28P01', 'password authentication failed'));
      });
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const { port } = server.address() as AddressInfo;
    return { url: `postgres://app@127.0.0.1:${port}/clinic`, starts, close: () => new Promise((done) => server.close(() => done())) };
  }

  it('behind a pooler that refuses statement_timeout, stops with one line saying what to set; with it off, sends none', async () => {
    const bouncer = await pooler();
    try {
      const svc = startService({ DATABASE_URL: bouncer.url, PORT: '0', LOG_LEVEL: 'info' });
      expect(await svc.exit()).not.toBe(0);
      const out = svc.output();
      expect(out.trim().split('\n')).toHaveLength(1);
      expect(out).toContain('unsupported startup parameter: statement_timeout');
      expect(out).toContain('DB_SERVER_STATEMENT_TIMEOUT=false');
      expect(bouncer.starts).toEqual([expect.objectContaining({ statement_timeout: '31000' })]); // one attempt

      const off = startService({ DATABASE_URL: bouncer.url, PORT: '0', LOG_LEVEL: 'info', DB_SERVER_STATEMENT_TIMEOUT: 'false' });
      expect(await off.exit()).not.toBe(0);
      expect(off.output()).toContain('password authentication failed'); // past the parameters, to the (missing) database
      expect(off.output()).not.toContain('DB_SERVER_STATEMENT_TIMEOUT');
      expect(bouncer.starts).toHaveLength(2);
      expect(bouncer.starts[1]).not.toHaveProperty('statement_timeout');
    } finally {
      await bouncer.close();
    }
  });
});
