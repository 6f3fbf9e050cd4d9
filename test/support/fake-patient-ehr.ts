import type { FhirResource, Patient } from 'fhir/r4.js';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

/**
 * A tiny EHR that serves Patient reads and `_id` searches, records every request and refuses (403) what it is
 * told to: enough to watch how the app asks an EHR for names and what it makes of a refusal.
 */
export class FakePatientEhr {
  readonly requests: string[] = [];
  readonly patients = new Map<string, Patient>();
  /** Ids whose read answers 403; `refuseSearch` makes every search answer 403. */
  readonly forbidden = new Set<string>();
  refuseSearch = false;
  /** Other resources served by read and `_id` search (caregivers' RelatedPerson, Practitioners), by `Type/id`. */
  readonly others = new Map<string, FhirResource>();
  private readonly server = createServer((req, res) => this.handle(req, res));

  static async start(): Promise<FakePatientEhr> {
    const s = new FakePatientEhr();
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

  async close(): Promise<void> {
    this.server.closeAllConnections();
    this.server.close();
    await once(this.server, 'close');
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://x');
    this.requests.push(`${req.method} ${url.pathname.replace(/^\/fhir/, '')}${url.search}`);
    if (!req.headers.authorization?.startsWith('Bearer ')) return send(res, 401, outcome('login', 'no token'));
    const read = /^\/fhir\/Patient\/([^/]+)$/.exec(url.pathname);
    if (read) {
      if (this.forbidden.has(read[1])) return send(res, 403, outcome('forbidden', 'not allowed'));
      const p = this.patients.get(read[1]);
      return p ? send(res, 200, p) : send(res, 404, outcome('not-found', 'no such patient'));
    }
    if (url.pathname === '/fhir/Patient') {
      if (this.refuseSearch) return send(res, 403, outcome('forbidden', 'search not allowed'));
      const ids = (url.searchParams.get('_id') ?? '').split(',').filter(Boolean);
      const found = ids.map((id) => this.patients.get(id)).filter((p): p is Patient => !!p && !this.forbidden.has(p.id!));
      return send(res, 200, { resourceType: 'Bundle', type: 'searchset', total: found.length, entry: found.map((resource) => ({ resource, search: { mode: 'match' } })) });
    }
    const other = /^\/fhir\/(RelatedPerson|Practitioner)(?:\/([^/]+))?$/.exec(url.pathname);
    if (other) {
      if (other[2]) {
        const r = this.others.get(`${other[1]}/${other[2]}`);
        return r ? send(res, 200, r) : send(res, 404, outcome('not-found', 'no such resource'));
      }
      const ids = (url.searchParams.get('_id') ?? '').split(',').filter(Boolean);
      const found = ids.map((id) => this.others.get(`${other[1]}/${id}`)).filter((r): r is FhirResource => !!r);
      return send(res, 200, { resourceType: 'Bundle', type: 'searchset', total: found.length, entry: found.map((resource) => ({ resource, search: { mode: 'match' } })) });
    }
    send(res, 404, outcome('not-found', 'unknown route'));
  }
}

function outcome(code: string, diagnostics: string) {
  return { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code, diagnostics }] };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/fhir+json' });
  res.end(JSON.stringify(body));
}
