import { once } from 'node:events';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { pinoHttp } from 'pino-http';
import { ConfigError } from '../config/config-error.js';
import { loadHttpConfig, type HttpConfig } from '../config/http.config.js';
import { pinoHttpArgs, pinoHttpOptions, prettyLogStream, resolveLogFormat } from './logging.js';

/** Looks again until `done` holds (the log stream is asynchronous); the deadline only stops a test that would hang. */
async function until(done: () => boolean, what: string): Promise<void> {
  for (const end = Date.now() + 30_000; !done(); await new Promise((r) => setTimeout(r, 5))) if (Date.now() > end) throw new Error(`Never happened: ${what}`);
}

describe('log format', () => {
  it('is readable in a terminal and JSON anywhere else, unless LOG_FORMAT says', () => {
    expect(resolveLogFormat('auto', true)).toBe('pretty');
    expect(resolveLogFormat('auto', false)).toBe('json');
    expect(resolveLogFormat('json', true)).toBe('json');
    expect(resolveLogFormat('pretty', false)).toBe('pretty');
  });

  it('reads LOG_FORMAT, auto by default, and names it when it is wrong', () => {
    expect(loadHttpConfig({}).logFormat).toBe('auto');
    expect(loadHttpConfig({ LOG_FORMAT: 'json' }).logFormat).toBe('json');
    expect(() => loadHttpConfig({ LOG_FORMAT: 'colourful' })).toThrow(ConfigError);
  });

  it('gives pino-http a readable stream only when the format is pretty', () => {
    const auto = loadHttpConfig({});
    expect(pinoHttpArgs(auto, false)).toHaveLength(1);
    expect(pinoHttpArgs(auto, true)[1]).toBeDefined();
    expect(pinoHttpArgs({ ...auto, logFormat: 'json' }, true)).toHaveLength(1);
  });

  it('logs a raw request with only its ids, method and redacted URL, never its headers', () => {
    const { serializers, wrapSerializers } = pinoHttpOptions({ logLevel: 'info', logFormat: 'json' } as HttpConfig);
    expect(wrapSerializers).toBe(false);
    const req = { id: 'r-1', correlationId: 'client-123', method: 'GET', url: '/x', originalUrl: '/smart/callback?code=abc&iss=e', headers: { cookie: 'sid=secret', authorization: 'Bearer t' } };
    expect(serializers!.req!(req)).toEqual({ id: 'r-1', correlationId: 'client-123', method: 'GET', url: '/smart/callback?code=%5BREDACTED%5D&iss=e' });
    expect(serializers!.res!({ statusCode: 201, getHeaders: () => ({ 'set-cookie': 'sid=secret' }) })).toEqual({ statusCode: 201 });
    expect(serializers!.err!(new TypeError('boom'))).toEqual({ name: 'TypeError', type: 'TypeError', message: 'boom' });
  });

  it('writes a request as one line: method, path, status, time and request id', async () => {
    const out: string[] = [];
    const sink = new PassThrough();
    sink.on('data', (chunk: Buffer | string) => out.push(String(chunk)));
    const stream = prettyLogStream(sink);
    const line = {
      level: 30,
      time: Date.UTC(2026, 0, 1, 9, 30),
      pid: 1,
      hostname: 'h',
      requestId: 'r-1',
      req: { id: 'r-1', method: 'GET', url: '/health/ready' },
      res: { statusCode: 200 },
      responseTime: 4,
      msg: 'request completed',
    };
    stream.write(`${JSON.stringify(line)}\n`);
    stream.write(`${JSON.stringify({ level: 30, time: line.time, context: 'NestApplication', msg: 'Nest application successfully started' })}\n`);
    await new Promise((resolve) => setImmediate(resolve));
    // eslint-disable-next-line no-control-regex -- pino-pretty colours in a terminal; the words are the point here
    const text = out.join('').replace(/\u001b\[[0-9;]*m/g, '');
    expect(text).toMatch(/INFO.*GET \/health\/ready 200 4 ms \(r-1\)\n/);
    expect(text).toMatch(/INFO.*\[NestApplication\] Nest application successfully started\n/);
    expect(text).not.toContain('{');
  });

  it('makes one child logger a request, and logs our request id on every line and the request once at its end', async () => {
    const lines: Record<string, unknown>[] = [];
    const sink = new PassThrough();
    sink.on('data', (chunk: Buffer | string) => lines.push(...String(chunk).trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>)));
    let children = 0;
    const options = { ...pinoHttpOptions({ logLevel: 'info', logFormat: 'json' } as HttpConfig), onChild: () => children++ };
    const middleware = pinoHttp(options, sink);
    const childrenAt: number[] = [];
    const server = createServer((req, res) => {
      middleware(req, res);
      childrenAt.push(children);
      (req as IncomingMessage & { log: { info(o: object, m: string): void } }).log.info({ step: 'inside' }, 'handler ran');
      res.statusCode = req.method === 'POST' ? 503 : 200;
      res.end('{}');
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const ok = await fetch(`${base}/api/context?code=secret`, { headers: { 'x-request-id': 'client-corr-1', cookie: 'sid=secret' } });
      const failed = await fetch(`${base}/api/referrals`, { method: 'POST' });
      await Promise.all([ok.text(), failed.text()]);
      await until(() => lines.length >= 4, 'four log lines');
      expect(childrenAt).toEqual([1, 2]);

      const okId = ok.headers.get('x-request-id');
      const failedId = failed.headers.get('x-request-id');
      expect(lines).toHaveLength(4);
      const [inside, done, , failedLine] = lines;
      expect(inside).toMatchObject({ requestId: okId, step: 'inside', msg: 'handler ran' });
      expect(inside).not.toHaveProperty('req');
      expect(done).toMatchObject({
        level: 30,
        requestId: okId,
        req: { id: okId, correlationId: 'client-corr-1', method: 'GET', url: '/api/context?code=%5BREDACTED%5D' },
        res: { statusCode: 200 },
        msg: 'request completed',
      });
      expect(typeof done.responseTime).toBe('number');
      expect(failedLine).toMatchObject({ level: 50, requestId: failedId, req: { id: failedId, method: 'POST', url: '/api/referrals' }, res: { statusCode: 503 } });
      expect(JSON.stringify(lines)).not.toContain('sid=secret');
    } finally {
      server.close();
    }
  });
});
