import { Injectable } from '@nestjs/common';
import type { Bundle, BundleEntry, FhirResource } from 'fhir/r4.js';
import type { DeliveredEntry } from '../outbox-entry.entity.js';
import type { FhirConnection } from '../fhir-connection.js';
import { FhirCallError, FhirGateway } from '../fhir-gateway.js';
import { CapabilityCache } from './capability-cache.js';
import { chunks, conditionalUrl, dependencyOrder, parseLocation, rewriteReferences, searchParamsOf, urnReferences, type Resolved } from './delivery-plan.js';
import { isTooLarge, type DeliveryProfile } from './delivery-profile.js';

/** The worker lost its claim while sending (lease taken over, or an admin reset it): stop at once. */
export class StoodDown extends Error {
  constructor() {
    super('The outbox entry is no longer ours to send');
    this.name = 'StoodDown';
  }
}

export interface DeliveryRun {
  /** Checked before every request that writes: still our entry (and its lease extended)? */
  stillOurs: () => Promise<boolean>;
}

/**
 * Sends one unit of work (a transaction Bundle as the features built it) the way this EHR takes it: one
 * transaction, pieces no larger than the EHR accepts, or one request per resource in dependency order with
 * `urn:uuid` references rewritten to the ids the EHR assigned. Every request is idempotent — conditional
 * create/update on our business identifier, or a search by it first where the EHR lacks those — so a resend
 * after a crash or a lost answer creates nothing twice.
 */
@Injectable()
export class BundleDelivery {
  constructor(
    private readonly gateway: FhirGateway,
    private readonly capabilities: CapabilityCache,
  ) {}

  /** Delivers the Bundle; answers one line per entry, in the Bundle's order. Throws FhirCallError or StoodDown. */
  async deliver(conn: FhirConnection, bundle: Bundle, run: DeliveryRun): Promise<DeliveredEntry[]> {
    const entries = bundle.entry ?? [];
    const profile = await this.capabilities.profileFor(conn);
    const resolved = new Map<string, Resolved>();
    if (profile.mode === 'individual') {
      for (const e of inOrder(entries)) {
        await this.guard(run);
        resolved.set(e.fullUrl!, await this.sendOne(conn, e, profile, resolved));
      }
    } else {
      await this.sendPieces(conn, entries, profile, resolved, run);
    }
    return entries.map((e) => {
      const r = resolved.get(e.fullUrl!);
      return r ? { status: r.status, type: r.type, id: r.id, ...(r.version ? { version: r.version } : {}) } : { status: 'unknown' };
    });
  }

  /** Transactions of at most the EHR's size; a piece refused as too large is halved and sent again. */
  private async sendPieces(conn: FhirConnection, entries: BundleEntry[], profile: DeliveryProfile, resolved: Map<string, Resolved>, run: DeliveryRun): Promise<void> {
    const conditional = profile.conditionalCreate && profile.conditionalUpdate;
    // One whole Bundle needs no order (the EHR resolves references inside it); pieces and pre-searches do.
    const queue = profile.maxEntries || !conditional ? chunks(inOrder(entries), profile.maxEntries) : [entries];
    while (queue.length) {
      const piece = queue.shift()!;
      await this.guard(run);
      const prepared: BundleEntry[] = [];
      for (const e of piece) {
        const p = await this.prepare(conn, e, profile, resolved);
        if (p) prepared.push(p);
      }
      if (!prepared.length) continue;
      let response: Bundle;
      try {
        response = await this.gateway.transaction(conn, { resourceType: 'Bundle', type: 'transaction', entry: prepared });
      } catch (err) {
        if (!(err instanceof FhirCallError) || piece.length < 2 || !isTooLarge(err.status, err.outcome)) throw err;
        const max = this.capabilities.learnMaxEntries(conn, piece.length);
        queue.unshift(...chunks(inOrder(piece), Math.min(max, Math.ceil(piece.length / 2))));
        continue;
      }
      prepared.forEach((e, i) => {
        const r = response.entry?.[i]?.response;
        const where = parseLocation(r?.location) ?? (e.resource?.id ? { type: e.resource.resourceType, id: e.resource.id } : undefined);
        // A success we cannot place: retry (idempotent) rather than record a resource we cannot reference.
        if (!where) throw new FhirCallError(200, undefined, 'unreadable-transaction-response');
        const etag = typeof r?.etag === 'string' ? /W\/"([^"]+)"/.exec(r.etag)?.[1] : undefined;
        resolved.set(e.fullUrl!, { ...where, ...(where.version || !etag ? {} : { version: etag }), status: String(r?.status ?? '200').slice(0, 40) });
      });
    }
  }

  /**
   * An entry ready for a transaction: references to earlier pieces rewritten; where the EHR lacks
   * conditional writes, found by our identifier first — an existing resource of a create is left as it is
   * (null: nothing to send), an update becomes `PUT Type/id`.
   */
  private async prepare(conn: FhirConnection, e: BundleEntry, profile: DeliveryProfile, resolved: Map<string, Resolved>): Promise<BundleEntry | null> {
    const resource = rewriteReferences(e.resource as FhirResource, resolved);
    const req = e.request!;
    const cond = conditionalUrl(req.url);
    if (req.method === 'POST' && req.ifNoneExist && !profile.conditionalCreate) {
      const found = await this.findOne(conn, resource.resourceType, req.ifNoneExist);
      if (found) {
        resolved.set(e.fullUrl!, { type: resource.resourceType, id: found, status: '200 OK' });
        return null;
      }
      return { fullUrl: e.fullUrl, resource, request: { method: 'POST', url: resource.resourceType } };
    }
    if (req.method === 'PUT' && cond && !profile.conditionalUpdate) {
      const found = await this.findOne(conn, cond.type, cond.query);
      return found
        ? { fullUrl: e.fullUrl, resource: { ...resource, id: found }, request: { method: 'PUT', url: `${cond.type}/${found}` } }
        : { fullUrl: e.fullUrl, resource, request: { method: 'POST', url: resource.resourceType } };
    }
    return { ...e, resource };
  }

  /** One entry as one REST request (no transaction support), idempotent in every case. */
  private async sendOne(conn: FhirConnection, e: BundleEntry, profile: DeliveryProfile, resolved: Map<string, Resolved>): Promise<Resolved> {
    const resource = rewriteReferences(e.resource as FhirResource, resolved);
    const pending = [...urnReferences(resource)];
    if (pending.length) throw new FhirCallError(0, undefined, 'internal:unresolved-reference');
    const req = e.request!;
    const type = resource.resourceType;
    const cond = conditionalUrl(req.url);
    if (req.method === 'POST') {
      if (req.ifNoneExist && profile.conditionalCreate) return this.written(type, await this.gateway.write(conn, { method: 'POST', resource, ifNoneExist: req.ifNoneExist }));
      const found = req.ifNoneExist ? await this.findOne(conn, type, req.ifNoneExist) : undefined;
      if (found) return { type, id: found, status: '200 OK' };
      return this.written(type, await this.gateway.write(conn, { method: 'POST', resource }));
    }
    if (req.method === 'PUT' && cond) {
      if (profile.conditionalUpdate) return this.written(type, await this.gateway.write(conn, { method: 'PUT', resource, searchParams: searchParamsOf(cond.query) }));
      const found = await this.findOne(conn, cond.type, cond.query);
      return found
        ? this.written(type, await this.gateway.write(conn, { method: 'PUT', resource: { ...resource, id: found } as FhirResource, id: found }))
        : this.written(type, await this.gateway.write(conn, { method: 'POST', resource }));
    }
    if (req.method === 'PUT') {
      const id = req.url.split('/')[1];
      return this.written(type, await this.gateway.write(conn, { method: 'PUT', resource: { ...resource, id } as FhirResource, id }));
    }
    throw new FhirCallError(0, undefined, `internal:unsupported-request:${req.method}`);
  }

  private written(type: string, w: Awaited<ReturnType<FhirGateway['write']>>): Resolved {
    const where = parseLocation(w.location) ?? (w.id ? { type, id: w.id, ...(w.version ? { version: w.version } : {}) } : undefined);
    // A success we cannot place: retry (idempotent) rather than record a resource we cannot reference.
    if (!where) throw new FhirCallError(w.status, undefined, 'unreadable-write-response');
    return { ...where, status: `${w.status}` };
  }

  /** The id of the resource carrying our business identifier, if the EHR has one. */
  private async findOne(conn: FhirConnection, type: string, query: string): Promise<string | undefined> {
    const ids = await this.gateway.searchIds(conn, type, searchParamsOf(query));
    return ids[0];
  }

  private async guard(run: DeliveryRun): Promise<void> {
    if (!(await run.stillOurs())) throw new StoodDown();
  }
}

/** Dependency order when one exists; a Bundle with a cycle keeps its order (sent whole, the EHR resolves it). */
function inOrder(entries: BundleEntry[]): BundleEntry[] {
  try {
    return dependencyOrder(entries);
  } catch {
    return entries;
  }
}
