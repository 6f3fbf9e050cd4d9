import { getStatus } from '@medplum/core';
import { FhirRouter, type FhirRequest } from '@medplum/fhir-router';
import type { Resource as MedplumResource } from '@medplum/fhirtypes';
import type { FhirResource } from 'fhir/r4.js';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { capabilityStatement, smartConfiguration, type EhrUrls } from './capability-statement.js';
import { json, mediaType, oauth, outcome, readBody, send, type Answer } from './http-answers.js';
import { bundleRefusal, interactionRefusal } from './profile-rules.js';
import type { ReferenceEhrProfile } from './profiles.js';
import { SmartBackendAuth } from './smart-backend-auth.js';
import { indexR4Definitions, ValidatingRepository, type ValidationProblem } from './validating-repository.js';

export { EHR_PROFILES, type ReferenceEhrProfile } from './profiles.js';
export type { ValidationProblem } from './validating-repository.js';

export interface ReferenceEhrOptions {
  profile: ReferenceEhrProfile;
  /** Our app's client id and JWKS URL (`${appUrl}/.well-known/jwks.json`); or later with `trustClient`. */
  client?: { clientId: string; jwksUrl: string };
}

/** One request as the EHR saw it; for a POST at the base, what the Bundle held. */
export interface EhrRequest {
  method: string;
  /** Path and query as sent, e.g. `/fhir/ServiceRequest?identifier=…` or `/auth/token`. */
  path: string;
  /** The answer's status; 0 when the connection was cut instead (an interception). */
  status: number;
  bundleType?: string;
  entries?: number;
}

/**
 * Fails or slows one request. `status` answers instead of the EHR (before the engine runs it, or after it
 * committed with `afterCommit`: the write happened, the answer is lost); status 0 cuts the connection
 * without an answer. The hook may be async: awaiting in it delays the request.
 */
export interface Interception {
  status: number;
  body?: unknown;
  /** E.g. `Retry-After` on a 429 or 503. */
  headers?: Record<string, string>;
  afterCommit?: boolean;
}

export type Interceptor = (req: { method: string; path: string; body: unknown }) => Interception | undefined | Promise<Interception | undefined>;

const FHIR_BASE = '/fhir';
const FHIR_BODY_TYPES = ['application/fhir+json', 'application/json'];

/**
 * A strict FHIR R4 server for tests: Medplum's published engine (search, conditional writes, transactions,
 * validation) behind a small HTTP host that adds what the engine lacks: SMART backend-services tokens, a
 * CapabilityStatement per EHR profile, refusals of what the profile does not support, and failure injection.
 */
export class ReferenceEhr {
  readonly baseUrl: string;
  readonly tokenEndpoint: string;
  readonly validationProblems: ValidationProblem[] = [];
  readonly requests: EhrRequest[] = [];
  /** An outage: every request (FHIR, token, metadata) is answered 503 until set back. */
  down = false;
  intercept?: Interceptor;
  /** Called as each request is answered (after the engine ran it): a benchmark times the EHR's own work with it. */
  onAnswer?: (request: EhrRequest) => void;

  private readonly router = new FhirRouter();
  private readonly auth: SmartBackendAuth;
  private readonly urls: EhrUrls;
  private readonly started = new Date().toISOString();
  private repo: ValidatingRepository;
  /**
   * One engine call at a time, as a serializable database would order them. The engine runs on microtasks
   * alone, so requests cannot interleave today; this keeps it so if a write ever awaits real I/O.
   */
  private lock: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly server: ReturnType<typeof createServer>,
    private readonly profile: ReferenceEhrProfile,
  ) {
    const origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    this.baseUrl = `${origin}${FHIR_BASE}`;
    this.tokenEndpoint = `${origin}/auth/token`;
    this.urls = { base: this.baseUrl, token: this.tokenEndpoint, authorize: `${origin}/auth/authorize` };
    this.auth = new SmartBackendAuth(this.tokenEndpoint);
    this.repo = this.newRepository();
    server.on('request', (req: IncomingMessage, res: ServerResponse) => void this.handle(req, res));
  }

  static async start(options: ReferenceEhrOptions): Promise<ReferenceEhr> {
    indexR4Definitions();
    const server = createServer();
    // Node closes an idle keep-alive connection after 5 s; on a busy machine a client may send on it just as it
    // closes (ECONNRESET). Idle connections live longer than any pause inside a test instead.
    server.keepAliveTimeout = 120_000;
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const ehr = new ReferenceEhr(server, options.profile);
    if (options.client) ehr.trustClient(options.client.clientId, options.client.jwksUrl);
    return ehr;
  }

  trustClient(clientId: string, jwksUrl: string): void {
    this.auth.trustClient(clientId, jwksUrl);
  }

  /** A bearer token for a signed-in test user (the authorization-code flow is not hosted here), granted `scope`. */
  issueUserToken(scope?: string): string {
    return this.auth.issueUserToken(scope);
  }

  /** Resources with fixed ids (Patient/sbx-pat-1…), written as update-as-create and validated like any write. */
  async seed(resources: FhirResource[]): Promise<void> {
    await this.exclusive(async () => {
      for (const resource of resources) {
        if (!resource.id) throw new Error(`seed needs fixed ids (a ${resource.resourceType} has none)`);
        await this.repo.updateResource(resource as MedplumResource);
      }
    });
  }

  /** Every stored resource of a type, straight from the repository. */
  async all<T extends FhirResource = FhirResource>(resourceType: string): Promise<T[]> {
    const found = await this.exclusive(() => this.repo.searchResources({ resourceType: resourceType as MedplumResource['resourceType'] }));
    return found as unknown as T[];
  }

  /** A fresh store, empty logs, up and without interception; trusted clients and issued tokens stay (data reset, not auth). */
  async reset(): Promise<void> {
    await this.exclusive(async () => {
      this.repo = this.newRepository();
    });
    this.validationProblems.length = 0;
    this.requests.length = 0;
    this.down = false;
    this.intercept = undefined;
    this.onAnswer = undefined;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    this.server.close();
    await once(this.server, 'close');
  }

  private newRepository(): ValidatingRepository {
    return new ValidatingRepository((problem) => this.validationProblems.push(problem));
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.lock.then(fn, fn);
    this.lock = run.catch(() => undefined);
    return run;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const path = req.url ?? '/';
    const entry: EhrRequest = { method, path, status: 0 };
    try {
      const text = await readBody(req);
      if (this.down) return this.answer(res, entry, outcome(503, 'transient', 'The EHR is unavailable (outage).'));
      const parsed = this.parse(req, text);
      if ('status' in parsed) return this.answer(res, entry, parsed);
      const bundle = parsed.body as { resourceType?: string; type?: string; entry?: unknown[] } | undefined;
      if (method === 'POST' && bundle?.resourceType === 'Bundle') Object.assign(entry, { bundleType: bundle.type, entries: bundle.entry?.length ?? 0 });
      const interception = await this.intercept?.({ method, path, body: parsed.body });
      if (interception && !interception.afterCommit) return this.answer(res, entry, this.intercepted(interception));
      const answer = await this.route(req, method, path, parsed.body);
      this.answer(res, entry, interception ? this.intercepted(interception) : answer);
    } catch (err) {
      this.answer(res, entry, outcome(500, 'exception', `Reference EHR host failure: ${(err as Error).message}`));
    }
  }

  /** The body as JSON (FHIR) or as a form (the token endpoint); an answer when it cannot be read. */
  private parse(req: IncomingMessage, text: string): { body: unknown } | Answer {
    if (!text) return { body: undefined };
    const type = mediaType(req);
    if (type === 'application/x-www-form-urlencoded') return { body: new URLSearchParams(text) };
    if (!FHIR_BODY_TYPES.includes(type)) return outcome(415, 'not-supported', `Unsupported Content-Type "${type}": send application/fhir+json.`);
    try {
      return { body: JSON.parse(text) as unknown };
    } catch {
      return outcome(400, 'structure', 'The body is not valid JSON.');
    }
  }

  private async route(req: IncomingMessage, method: string, path: string, body: unknown): Promise<Answer> {
    const q = path.indexOf('?');
    const pathname = q < 0 ? path : path.slice(0, q);
    const query = q < 0 ? '' : path.slice(q + 1);
    if (pathname === '/auth/token' && method === 'POST') {
      return body instanceof URLSearchParams ? this.auth.token(body) : oauth(400, { error: 'invalid_request', error_description: 'Send application/x-www-form-urlencoded.' });
    }
    if (pathname === '/auth/authorize') return outcome(501, 'not-supported', 'This EHR offers backend services only.');
    if (pathname !== FHIR_BASE && !pathname.startsWith(`${FHIR_BASE}/`)) return outcome(404, 'not-found', `No such endpoint: ${pathname}`);
    const rel = pathname.slice(FHIR_BASE.length) || '/';
    if (method === 'GET' && rel === '/metadata') return { status: 200, body: capabilityStatement(this.profile, this.urls, this.started) };
    if (method === 'GET' && rel === '/.well-known/smart-configuration') return json(smartConfiguration(this.urls));
    if (!this.auth.accepts(req.headers.authorization)) {
      return outcome(401, 'login', 'A bearer token issued by this EHR is required.', { 'WWW-Authenticate': 'Bearer' });
    }
    return this.fhir(req, method, rel, query, body);
  }

  private async fhir(req: IncomingMessage, method: string, rel: string, query: string, body: unknown): Promise<Answer> {
    const ifNoneExist = req.headers['if-none-exist'] as string | undefined;
    const url = query ? `${rel}?${query}` : rel;
    const refused = method === 'POST' && rel === '/' ? bundleRefusal(this.profile, (body ?? {}) as object) : interactionRefusal(this.profile, { method, url, ifNoneExist });
    if (refused) return outcome(400, 'not-supported', refused);
    if (body instanceof URLSearchParams && !rel.endsWith('/_search')) return outcome(415, 'not-supported', 'Resources are sent as application/fhir+json.');
    if (body instanceof URLSearchParams) body = Object.fromEntries(body);
    if ((method === 'POST' || method === 'PUT') && (typeof body !== 'object' || body === null)) return outcome(400, 'invalid', `${method} needs a JSON resource body.`);
    const request: FhirRequest = { method: method as FhirRequest['method'], url, pathname: '', body, params: {}, query: {}, headers: req.headers, config: { transactions: true } };
    const [result, resource] = await this.exclusive(() => this.router.handleRequest(request, this.repo));
    const status = getStatus(result);
    return { status, body: resource ?? result, headers: this.versionHeaders(method, status, resource) };
  }

  /** `ETag` on a single resource, and `Location` with its version after a write, as FHIR http §create/§update ask. */
  private versionHeaders(method: string, status: number, resource: MedplumResource | undefined): Record<string, string> | undefined {
    if (!resource?.id || !resource.meta?.versionId || resource.resourceType === 'Bundle' || resource.resourceType === 'OperationOutcome' || status >= 300) return undefined;
    const headers: Record<string, string> = { ETag: `W/"${resource.meta.versionId}"` };
    if (resource.meta.lastUpdated) headers['Last-Modified'] = new Date(resource.meta.lastUpdated).toUTCString();
    if (method === 'POST' || method === 'PUT') headers.Location = `${this.baseUrl}/${resource.resourceType}/${resource.id}/_history/${resource.meta.versionId}`;
    return headers;
  }

  private intercepted(i: Interception): Answer {
    return { status: i.status, body: i.body ?? outcome(i.status, 'transient', `Injected answer ${i.status}.`).body, headers: i.headers };
  }

  /** Logged when answered, so the log holds finished requests in the order the client saw them. */
  private answer(res: ServerResponse, entry: EhrRequest, answer: Answer): void {
    const answered = { ...entry, status: answer.status };
    this.requests.push(answered);
    this.onAnswer?.(answered);
    if (answer.status === 0) {
      res.socket?.destroy();
      return;
    }
    send(res, answer);
  }
}
