import type { Bundle, BundleEntry, FhirResource } from 'fhir/r4.js';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

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

/**
 * A tiny FHIR server for write-back tests: accepts transaction Bundles at its base URL, honours
 * `ifNoneExist` and conditional update on `identifier=` / `_tag=`, resolves `urn:uuid` references, and can be
 * made to fail (`intercept`), to answer slowly (`delayMs`) or only when the test says so (`hold`). Requires
 * `Authorization: Bearer test-token`.
 */
export class FakeFhirServer {
  readonly receipts: Receipt[] = [];
  readonly store = new Map<string, FhirResource & { id: string; meta: { versionId: string } }>();
  intercept?: (bundle: Bundle, key: string) => Interception | undefined;
  delayMs = 0;
  /** While set, requests wait for it before they are processed: an EHR slower than any client timeout, released by the test. */
  hold?: Promise<unknown>;
  private nextId = 1;
  private readonly server = createServer((req, res) => void this.handle(req, res));

  static async start(): Promise<FakeFhirServer> {
    const s = new FakeFhirServer();
    s.server.keepAliveTimeout = 120_000; // no idle-socket race (ECONNRESET) on a busy machine; see reference-ehr.ts
    s.server.listen(0, '127.0.0.1');
    await once(s.server, 'listening');
    return s;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${(this.server.address() as { port: number }).port}/fhir`;
  }

  /** Successful deliveries of one write. */
  delivered(key: string): number {
    return this.receipts.filter((r) => r.key === key && r.status === 200).length;
  }

  count(resourceType: string): number {
    return [...this.store.values()].filter((r) => r.resourceType === resourceType).length;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    this.server.close();
    await once(this.server, 'close');
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs));
    if (this.hold) await this.hold;
    if (req.headers.authorization !== 'Bearer test-token') return send(res, 401, outcome('login', 'no or wrong token'));
    const bundle = JSON.parse(Buffer.concat(chunks).toString() || '{}') as Bundle;
    if (req.method !== 'POST' || bundle.resourceType !== 'Bundle' || bundle.type !== 'transaction') {
      return send(res, 400, outcome('invalid', 'expected a transaction Bundle'));
    }
    const key = searchOf(bundle.entry![0]).split('=')[1];
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
      const stored = { ...e.resource!, id, meta: { ...e.resource!.meta, versionId: version } } as FhirResource & { id: string; meta: { versionId: string } };
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
}

function searchOf(e: BundleEntry): string {
  return e.request!.ifNoneExist ?? e.request!.url;
}

function outcome(code: string, diagnostics: string) {
  return { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code, diagnostics }] };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/fhir+json' });
  res.end(JSON.stringify(body));
}
