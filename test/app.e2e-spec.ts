import { Controller, Get } from '@nestjs/common';
import { jest } from '@jest/globals';
import { MemoryStore } from 'express-rate-limit';
import request from 'supertest';
import { RegistryService } from '../src/smart/registry/registry.service.js';
import { registrationInput } from '../src/smart/registry/registration.schema.js';
import { createTestApp, type TestApp } from './support/test-app.js';

@Controller('test-only')
class BoomController {
  @Get('boom')
  boom(): never {
    throw new Error('secret internal detail: password=hunter2');
  }
}

const ERROR_SYSTEM = 'urn:als-wellness:error-code';

function expectOutcome(res: request.Response, status: number, code: string): void {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/fhir\+json/);
  expect(res.body.resourceType).toBe('OperationOutcome');
  expect(res.body.issue[0].details.coding[0]).toEqual({ system: ERROR_SYSTEM, code });
  expect(JSON.stringify(res.body)).not.toMatch(/\bat .*\.(ts|js):\d+/);
}

describe('the service skeleton', () => {
  let t: TestApp;
  const server = () => t.app.getHttpServer();

  beforeAll(async () => {
    t = await createTestApp({ extra: { controllers: [BoomController] }, http: { bodyLimitBytes: 1024 } });
  });
  afterAll(async () => t?.close());

  it('is live and ready once migrations are applied', async () => {
    await request(server()).get('/health/live').expect(200, { status: 'ok' });
    const ready = await request(server()).get('/health/ready').expect(200);
    expect(ready.body.details.database.status).toBe('up');
    expect(ready.body.details.migrations.status).toBe('up');
  });

  it('lets the enabled EHRs frame the app, and follows the registry when they change', async () => {
    const csp = async () => (await request(server()).get('/health/live')).headers['content-security-policy'] as string;
    const registry = t.app.get(RegistryService);
    const by = { actor: 'test', actorRole: 'admin' } as const;
    const before = await csp();
    expect(before).not.toContain('https://ehr.frame-a.test');
    const r = await registry.create(
      registrationInput.parse({ issuer: 'https://ehr.frame-a.test/fhir', name: 'Frame A (synthetic)', clientId: 'c', clientAuth: 'private_key_jwt', frameAncestors: ['https://ehr.frame-a.test'] }),
      by,
    );
    expect(await csp()).toMatch(/frame-ancestors 'self'[^;]* https:\/\/ehr\.frame-a\.test/);
    expect(await csp()).toMatch(/connect-src 'self'[^;]* https:\/\/ehr\.frame-a\.test/);
    await registry.update(r.id, { frameAncestors: ['https://portal.frame-b.test'] }, by);
    const changed = await csp();
    expect(changed).toContain('https://portal.frame-b.test');
    expect(changed).not.toContain('https://ehr.frame-a.test');
    await registry.update(r.id, { enabled: false }, by);
    expect(await csp()).toBe(before);
  });

  it('answers an unknown route with a 404 OperationOutcome', async () => {
    expectOutcome(await request(server()).get('/no/such/route'), 404, 'COMMON.NOT_FOUND');
  });

  it('answers malformed JSON with 400', async () => {
    const res = await request(server()).post('/health/live').set('Content-Type', 'application/json').send('{"a":');
    expectOutcome(res, 400, 'COMMON.MALFORMED_JSON');
  });

  it('answers a body over the limit with 413', async () => {
    const res = await request(server())
      .post('/health/live')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ text: 'x'.repeat(4096) }));
    expectOutcome(res, 413, 'COMMON.PAYLOAD_TOO_LARGE');
  });

  it('answers a wrong content type with 415', async () => {
    const res = await request(server()).post('/health/live').set('Content-Type', 'text/plain').send('hello');
    expectOutcome(res, 415, 'COMMON.UNSUPPORTED_MEDIA_TYPE');
  });

  it('hides the cause of an unexpected error behind a generic 500', async () => {
    const res = await request(server()).get('/test-only/boom');
    expectOutcome(res, 500, 'COMMON.INTERNAL');
    expect(JSON.stringify(res.body)).not.toContain('hunter2');
    expect(JSON.stringify(res.body)).not.toContain('secret internal');
    expect(res.headers['x-request-id']).toBeTruthy();
  });

  it('sends security headers, no X-Powered-By, and no CORS grant by default', async () => {
    const res = await request(server()).get('/health/live').set('Origin', 'https://evil.example');
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'self'");
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });

  it("always makes its own request id, and keeps a gateway's well-formed one as the correlation id", async () => {
    const kept = await request(server()).get('/health/live').set('X-Request-Id', 'gateway-1234abcd');
    expect(kept.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(kept.headers['x-correlation-id']).toBe('gateway-1234abcd');
    const made = await request(server()).get('/health/live').set('X-Request-Id', 'bad id with spaces');
    expect(made.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(made.headers['x-correlation-id']).toBeUndefined();
  });

  it('publishes the OpenAPI document and its UI', async () => {
    const json = await request(server()).get('/api/docs-json').expect(200);
    expect(json.body.openapi).toMatch(/^3\./);
    expect(Object.keys(json.body.paths)).toEqual(expect.arrayContaining(['/health/live', '/health/ready']));
    const ui = await request(server()).get('/api/docs').expect(200);
    expect(ui.text).toContain('swagger');
  });
});

describe('the rate limit', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ http: { rateLimitMax: 3, rateLimitTtlMs: 60000 } });
  });
  afterAll(async () => t?.close());

  it('answers 429 OperationOutcome once a client exceeds the limit', async () => {
    const server = t.app.getHttpServer();
    for (let i = 0; i < 3; i++) await request(server).get('/api/docs-json').expect(200);
    const res = await request(server).get('/api/docs-json');
    expectOutcome(res, 429, 'COMMON.RATE_LIMITED');
  });

  it("stops the counts' reset timer when the app closes", async () => {
    const other = await createTestApp({ http: { rateLimitMax: 3, rateLimitTtlMs: 60000 } });
    const shutdown = jest.spyOn(MemoryStore.prototype, 'shutdown');
    try {
      await other.close();
      expect(shutdown).toHaveBeenCalledTimes(1);
    } finally {
      shutdown.mockRestore();
    }
  });
});
