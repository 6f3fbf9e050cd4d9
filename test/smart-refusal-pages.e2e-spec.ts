import request from 'supertest';
import { createTestApp, type TestApp } from './support/test-app.js';

const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
const LAUNCH = '/smart/launch?iss=https%3A%2F%2Fehr.test%2Ffhir&launch=x';

/**
 * A person who opens the app from the EHR and is refused before any /smart route (a refused character in the URL,
 * overload shedding, the rate limit) sees the sign-in problem page in their language, at the same status and with the
 * same retry headers; an API client (fetch, curl) keeps the OperationOutcome.
 */
describe('refusals of a browser at /smart/* raised by the middleware', () => {
  let t: TestApp;
  const server = () => t.app.getHttpServer();

  beforeAll(async () => {
    // No place for any request under /api and /smart: every one that passes the URL check is shed (503).
    t = await createTestApp({ fhir: { outboxWorker: false }, http: { maxInFlight: 0, maxQueued: 0, rateLimitMax: 10, rateLimitTtlMs: 60_000 } });
  });
  afterAll(async () => t?.close());

  const isPage = (res: request.Response) => {
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.text).toMatch(/^<!doctype html>/);
    expect(res.text).not.toMatch(/OperationOutcome|resourceType/);
  };

  it('answers a refused character in the URL with the page (400), and an API client with the OperationOutcome', async () => {
    const hostile = '/smart/launch?iss=https%3A%2F%2Fehr.test%2Ffhir%00&launch=x';
    const page = await request(server()).get(hostile).set('Accept', BROWSER_ACCEPT).set('Accept-Language', 'en').expect(400);
    isPage(page);
    expect(page.text).toContain('<h1>The app could not be opened</h1>');
    expect(page.text).toContain('COMMON.VALIDATION');
    const api = await request(server()).get(hostile).expect(400);
    expect(api.body.issue[0].details.coding[0].code).toBe('COMMON.VALIDATION');
  });

  it('answers a shed launch with the page (503, Retry-After), in Spanish when the browser prefers it', async () => {
    const page = await request(server()).get(LAUNCH).set('Accept', BROWSER_ACCEPT).set('Accept-Language', 'es-MX,es;q=0.9').expect(503);
    isPage(page);
    expect(page.headers['retry-after']).toMatch(/^\d+$/);
    expect(page.text).toContain('<html lang="es">');
    expect(page.text).toContain('<h1>No se puede acceder a la aplicación en este momento</h1>');
    expect(page.text).toContain('COMMON.OVERLOADED');
    const api = await request(server()).get(LAUNCH).set('Accept', 'application/json').expect(503);
    expect(api.headers['retry-after']).toMatch(/^\d+$/);
    expect(api.body.issue[0].details.coding[0].code).toBe('COMMON.OVERLOADED');
  });

  // Last: it spends the client's whole budget.
  it('answers a rate-limited callback with the page (429, Retry-After and RateLimit kept)', async () => {
    let page: request.Response | undefined;
    for (let i = 0; i <= 10 && page?.status !== 429; i++) page = await request(server()).get('/smart/callback?code=c&state=s').set('Accept', BROWSER_ACCEPT);
    expect(page!.status).toBe(429);
    isPage(page!);
    expect(page!.headers['retry-after']).toMatch(/^\d+$/);
    expect(page!.headers.ratelimit).toBeDefined();
    expect(page!.text).toContain('<h1>The app cannot be reached right now</h1>');
    expect(page!.text).toContain('COMMON.RATE_LIMITED');
    const api = await request(server()).get('/smart/callback?code=c&state=s').expect(429);
    expect(api.body.issue[0].details.coding[0].code).toBe('COMMON.RATE_LIMITED');
  });
});

/** A browser sent to a /smart/ address that does not exist (a mistyped or outdated link) sees the page, not JSON. */
describe('an unknown /smart/ path', () => {
  let t: TestApp;
  const server = () => t.app.getHttpServer();

  beforeAll(async () => {
    t = await createTestApp({ fhir: { outboxWorker: false } });
  });
  afterAll(async () => t?.close());

  it('answers a browser with the sign-in problem page (404), and an API client with the OperationOutcome', async () => {
    const page = await request(server()).get('/smart/lanuch?iss=x').set('Accept', BROWSER_ACCEPT).set('Accept-Language', 'es').expect(404);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.text).toContain('<html lang="es">');
    expect(page.text).toContain('<h1>No se pudo abrir la aplicación</h1>');
    expect(page.text).toContain('COMMON.NOT_FOUND');
    expect(page.text).not.toMatch(/OperationOutcome|resourceType/);
    const api = await request(server()).get('/smart/lanuch?iss=x').expect(404);
    expect(api.headers['content-type']).toMatch(/application\/fhir\+json/);
    expect(api.body.issue[0].details.coding[0].code).toBe('COMMON.NOT_FOUND');
    // Outside /smart/, and for anything but a GET, a browser keeps the OperationOutcome as before.
    const elsewhere = await request(server()).get('/api/no-such-route').set('Accept', BROWSER_ACCEPT).expect(404);
    expect(elsewhere.headers['content-type']).toMatch(/application\/fhir\+json/);
    const post = await request(server()).post('/smart/no-such-route').set('Accept', BROWSER_ACCEPT).expect(404);
    expect(post.headers['content-type']).toMatch(/application\/fhir\+json/);
  });
});
