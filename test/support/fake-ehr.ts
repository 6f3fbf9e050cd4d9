import type { Bundle, BundleEntry, FhirResource, Patient } from 'fhir/r4.js';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

/** One transaction the EHR answered. */
export interface Receipt {
  /** `system|value` of the Bundle's first entry: which write this was. */
  key: string;
  status: number;
}

/** Answer instead of processing (`status`), after processing (`afterCommit`: the EHR wrote it, the answer got lost), or late. */
export interface Interception {
  status: number;
  body?: unknown;
  afterCommit?: boolean;
}

type Stored = FhirResource & { id: string; meta: { versionId: string } };

/** The token FakeAuthorizer (outbox-fixtures.ts) hands the outbox: the EHR's backend-services token. */
const SYSTEM_TOKEN = 'Bearer test-token';

/**
 * The one small, lenient fake EHR of the API suites (the strict one is reference-ehr/, Medplum's engine). It
 * records every request (`requests`, as `METHOD /path?query` under the FHIR base) and serves:
 * - **write-back**: transaction Bundles POSTed at its base with the backend-services token (`Bearer test-token`,
 *   else 401); honours `ifNoneExist` and conditional update on `identifier=` / `_tag=`, resolves `urn:uuid`
 *   references, keeps what it wrote in `store` and each answer in `receipts`; it can be made to fail
 *   (`intercept`), to answer slowly (`delayMs`) or only when the test says so (`hold`, or `holdFor` one write);
 * - **reads** with any user's bearer token: Patient (`add`), RelatedPerson (`addCaregiver`) and Practitioner
 *   (`others`) by id and by `_id` search; it refuses (403) the patients in `forbidden`, and every Patient search
 *   while `refuseSearch`;
 * - **user tokens revoked early**, as real EHRs do (a password change, an admin, a security event): after
 *   `revokeAll()` reads answer 401 except to the access tokens its token endpoint (`POST <base>/token`) hands out
 *   later for a refresh token it was given (`grant`; refresh tokens rotate: each use hands out the next); it can
 *   refuse every refresh (`refuseRefresh`) or every user token, even fresh ones (`rejectAll`); `resetTokens()`
 *   accepts any bearer token again.
 * Anything else answers 404. It serves no CapabilityStatement: FakeAuthorizer's registration vouches for the mode.
 */
export class FakeEhr {
  readonly requests: string[] = [];
  readonly receipts: Receipt[] = [];
  readonly store = new Map<string, Stored>();
  intercept?: (bundle: Bundle, key: string) => Interception | undefined;
  delayMs = 0;
  /** While set, transactions wait for it before they are processed: an EHR slower than any client timeout, released by the test. */
  hold?: Promise<unknown>;
  /** Holds one write (by key) until the promise it returns settles, while others are answered. */
  holdFor?: (key: string) => Promise<unknown> | undefined;
  readonly patients = new Map<string, Patient>();
  /** Ids whose read answers 403; `refuseSearch` makes every Patient search answer 403. */
  readonly forbidden = new Set<string>();
  refuseSearch = false;
  /** Other resources served by read and `_id` search (caregivers' RelatedPerson, Practitioners), by `Type/id`. */
  readonly others = new Map<string, FhirResource>();
  /** Refuse every refresh (invalid_grant); `rejectAll`: refuse every user token, even fresh ones. */
  refuseRefresh = false;
  rejectAll = false;
  /** User tokens the EHR accepts; null = any bearer token (the session's first, made by signIn). */
  private accepted: Set<string> | null = null;
  private readonly refreshTokens = new Set<string>();
  private issued = 0;
  private nextId = 1;
  private readonly server = createServer((req, res) => void this.handle(req, res));

  static async start(): Promise<FakeEhr> {
    const s = new FakeEhr();
    s.server.keepAliveTimeout = 120_000; // no idle-socket race (ECONNRESET) on a busy machine; see reference-ehr.ts
    s.server.listen(0, '127.0.0.1');
    await once(s.server, 'listening');
    return s;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${(this.server.address() as { port: number }).port}/fhir`;
  }

  add(id: string, given?: string, family?: string): void {
    this.patients.set(id, { resourceType: 'Patient', id, ...(given ? { name: [{ use: 'official', given: [given], family }] } : {}), birthDate: '1960-01-01' });
  }

  /** A caregiver of `patientId`, served as a RelatedPerson. */
  addCaregiver(id: string, patientId: string, given: string, relationship: string): void {
    this.others.set(`RelatedPerson/${id}`, {
      resourceType: 'RelatedPerson', id, patient: { reference: `Patient/${patientId}` }, name: [{ given: [given], family: 'Carer' }], relationship: [{ text: relationship }],
    });
  }

  /** A refresh token the token endpoint will honour once (it rotates: each use hands out the next). */
  grant(refreshToken: string): void {
    this.refreshTokens.add(refreshToken);
  }

  /** Revokes every user access token handed out so far (refresh tokens stay good). */
  revokeAll(): void {
    this.accepted = new Set();
  }

  /** Accepts any user token again and refuses no refresh. */
  resetTokens(): void {
    this.accepted = null;
    this.refuseRefresh = false;
    this.rejectAll = false;
  }

  /** Successful deliveries of one write. */
  delivered(key: string): number {
    return this.receipts.filter((r) => r.key === key && r.status === 200).length;
  }

  /** Resources of a type that write-back stored. */
  count(resourceType: string): number {
    return [...this.store.values()].filter((r) => r.resourceType === resourceType).length;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    this.server.close();
    await once(this.server, 'close');
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    this.requests.push(`${req.method} ${url.pathname.replace(/^\/fhir/, '')}${url.search}`);
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    if (req.method === 'POST' && /^\/fhir\/?$/.test(url.pathname)) return this.transaction(Buffer.concat(chunks).toString(), req, res);
    if (req.method === 'POST' && url.pathname === '/fhir/token') return this.token(Buffer.concat(chunks).toString(), res);
    if (req.method === 'GET') return this.read(url, req, res);
    send(res, 404, outcome('not-found', 'unknown route'));
  }

  // ---- write-back ----

  private async transaction(text: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs));
    if (this.hold) await this.hold;
    if (req.headers.authorization !== SYSTEM_TOKEN) return send(res, 401, outcome('login', 'no or wrong token'));
    const bundle = JSON.parse(text || '{}') as Bundle;
    if (bundle.resourceType !== 'Bundle' || bundle.type !== 'transaction') return send(res, 400, outcome('invalid', 'expected a transaction Bundle'));
    const key = searchOf(bundle.entry![0]).split('=')[1];
    await this.holdFor?.(key);
    const i = this.intercept?.(bundle, key);
    if (i && !i.afterCommit) return this.answer(res, key, i.status, i.body ?? outcome('transient', `answered ${i.status}`));
    const response = this.commit(bundle);
    if (i) return this.answer(res, key, i.status, i.body ?? outcome('transient', `answered ${i.status}`));
    this.answer(res, key, 200, response);
  }

  private answer(res: ServerResponse, key: string, status: number, body: unknown): void {
    this.receipts.push({ key, status });
    send(res, status, body);
  }

  private commit(bundle: Bundle): Bundle {
    const resolved = new Map<string, string>();
    const results = bundle.entry!.map((e) => {
      const type = e.resource!.resourceType;
      const found = this.find(type, searchOf(e).split('?').pop()!);
      if (found && e.request!.method === 'POST') return { e, stored: found, status: '200 OK' };
      const id = found?.id ?? String(this.nextId++);
      const version = found ? String(Number(found.meta.versionId) + 1) : '1';
      const stored = { ...e.resource!, id, meta: { ...e.resource!.meta, versionId: version } } as Stored;
      this.store.set(`${type}/${id}`, stored);
      return { e, stored, status: found ? '200 OK' : '201 Created' };
    });
    for (const r of results) resolved.set(r.e.fullUrl!, `${r.stored.resourceType}/${r.stored.id}`);
    for (const r of results) {
      const text = JSON.stringify(r.stored).replace(/"urn:uuid:[0-9a-f-]+"/g, (u) => JSON.stringify(resolved.get(JSON.parse(u)) ?? JSON.parse(u)));
      this.store.set(`${r.stored.resourceType}/${r.stored.id}`, JSON.parse(text));
    }
    return {
      resourceType: 'Bundle',
      type: 'transaction-response',
      entry: results.map((r) => ({ response: { status: r.status, location: `${r.stored.resourceType}/${r.stored.id}/_history/${r.stored.meta.versionId}` } })),
    };
  }

  /** `identifier=system|value` or `_tag=system|value`. */
  private find(type: string, search: string) {
    const [param, token] = search.split('=');
    const [system, value] = token.split('|');
    return [...this.store.values()].find((r) => {
      if (r.resourceType !== type) return false;
      const rec = r as unknown as { identifier?: unknown; meta?: { tag?: { system?: string; code?: string }[] } };
      if (param === '_tag') return rec.meta?.tag?.some((t) => t.system === system && t.code === value);
      const ids = ([] as { system?: string; value?: string }[]).concat((rec.identifier as never) ?? []);
      return ids.some((x) => x.system === system && x.value === value);
    });
  }

  // ---- user tokens ----

  /** The SMART token endpoint, refresh grant only: a granted refresh token buys an access token and the next refresh token. */
  private token(form: string, res: ServerResponse): void {
    const rt = new URLSearchParams(form).get('refresh_token') ?? '';
    if (this.refuseRefresh || !this.refreshTokens.delete(rt)) return send(res, 400, { error: 'invalid_grant' }, 'application/json');
    const access = `at-${++this.issued}`;
    const refresh = `rt-${this.issued}`;
    this.refreshTokens.add(refresh);
    this.accepted?.add(access);
    send(res, 200, { access_token: access, token_type: 'Bearer', expires_in: 3600, refresh_token: refresh, scope: 'openid fhirUser offline_access' }, 'application/json');
  }

  // ---- reads ----

  private read(url: URL, req: IncomingMessage, res: ServerResponse): void {
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (!token) return send(res, 401, outcome('login', 'no token'));
    if (this.rejectAll || (this.accepted && !this.accepted.has(token))) return send(res, 401, outcome('login', 'token revoked'));
    const patient = /^\/fhir\/Patient\/([^/]+)$/.exec(url.pathname);
    if (patient) {
      if (this.forbidden.has(patient[1])) return send(res, 403, outcome('forbidden', 'not allowed'));
      const p = this.patients.get(patient[1]);
      return p ? send(res, 200, p) : send(res, 404, outcome('not-found', 'no such patient'));
    }
    if (url.pathname === '/fhir/Patient') {
      if (this.refuseSearch) return send(res, 403, outcome('forbidden', 'search not allowed'));
      const found = idsSearched(url).map((id) => this.patients.get(id)).filter((p): p is Patient => !!p && !this.forbidden.has(p.id!));
      return send(res, 200, searchset(found));
    }
    const other = /^\/fhir\/(RelatedPerson|Practitioner)(?:\/([^/]+))?$/.exec(url.pathname);
    if (other) {
      if (other[2]) {
        const r = this.others.get(`${other[1]}/${other[2]}`);
        return r ? send(res, 200, r) : send(res, 404, outcome('not-found', 'no such resource'));
      }
      return send(res, 200, searchset(idsSearched(url).map((id) => this.others.get(`${other[1]}/${id}`)).filter((r): r is FhirResource => !!r)));
    }
    send(res, 404, outcome('not-found', 'unknown route'));
  }
}

function searchOf(e: BundleEntry): string {
  return e.request!.ifNoneExist ?? e.request!.url;
}

function idsSearched(url: URL): string[] {
  return (url.searchParams.get('_id') ?? '').split(',').filter(Boolean);
}

function searchset(found: FhirResource[]) {
  return { resourceType: 'Bundle', type: 'searchset', total: found.length, entry: found.map((resource) => ({ resource, search: { mode: 'match' } })) };
}

function outcome(code: string, diagnostics: string) {
  return { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code, diagnostics }] };
}

function send(res: ServerResponse, status: number, body: unknown, type = 'application/fhir+json'): void {
  res.writeHead(status, { 'Content-Type': type });
  res.end(JSON.stringify(body));
}
