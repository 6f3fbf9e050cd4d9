import { PassThrough } from 'node:stream';
import { ConfigError } from '../config/config-error.js';
import { loadHttpConfig, type HttpConfig } from '../config/http.config.js';
import { pinoHttpArgs, pinoHttpOptions, prettyLogStream, resolveLogFormat } from './logging.js';

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
});
