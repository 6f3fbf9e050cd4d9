import { Injectable } from '@nestjs/common';
import type { Bundle, BundleEntry, FhirResource } from 'fhir/r4.js';
import { UndeliverableError } from '../delivery.rules.js';
import type { DeliveredEntry } from '../outbox-entry.entity.js';
import type { FhirConnection } from '../fhir-connection.js';
import { FhirCallError, FhirGateway } from '../fhir-gateway.js';
import { CapabilityCache } from './capability-cache.js';
import { carriesIdentifier, chunks, conditionalUrl, dependencyOrder, parseLocation, rewriteReferences, searchParamsOf, urnReferences, type Resolved } from './delivery-plan.js';
import { idempotent, isTooLarge, type DeliveryProfile } from './delivery-profile.js';

/** The worker lost its claim while sending (lease taken over, or an admin reset it): stop at once. */
export class StoodDown extends Error {
  constructor() {
    super('The outbox entry is no longer ours to send');
    this.name = 'StoodDown';
  }
}

export interface DeliveryRun {
  /** Checked (and the lease extended) before every request: is the entry still ours? */
  stillOurs: () => Promise<boolean>;
}

/**
 * Sends one unit of work (a transaction Bundle as the features built it) the way this EHR takes it: one
 * transaction, pieces no larger than the EHR accepts, or one request per resource in dependency order with
 * `urn:uuid` references rewritten to the ids the EHR assigned. Every request is idempotent — conditional
 * create/update on our business identifier, or, where the EHR lacks those, a search by it (only where the EHR
 * says it supports that search, and every hit checked) — so a resend after a crash or a lost answer creates
 * nothing twice.
 */
@Injectable()
export class BundleDelivery {
  constructor(
    private readonly gateway: FhirGateway,
    private readonly capabilities: CapabilityCache,
  ) {}

  /** Delivers the Bundle; answers one line per entry, in the Bundle's order. Throws FhirCallError, UndeliverableError or StoodDown. */
  async deliver(conn: FhirConnection, bundle: Bundle, run: DeliveryRun): Promise<DeliveredEntry[]> {
    const entries = bundle.entry ?? [];
    const profile = await this.capabilities.profileFor(conn);
    // Guessing would risk duplicates on an EHR that ignores If-None-Exist: wait until its capabilities are known.
    if (!profile) throw new FhirCallError(0, undefined, 'capabilities-unknown');
    if (!idempotent(profile)) {
      throw new UndeliverableError('no-idempotent-write', 'This EHR offers neither conditional create/update nor search by identifier for every type we write, so a resend could duplicate resources. Set the registration’s delivery overrides once the EHR team confirms what it supports.');
    }
    const resolved = new Map<string, Resolved>();
    const ctx = { conn, profile, resolved, run };
    if (profile.mode === 'individual') {
      for (const e of ordered(entries)) resolved.set(e.fullUrl!, await this.sendOne(ctx, e));
    } else {
      await this.sendPieces(ctx, entries);
    }
    return entries.map((e) => {
      const r = resolved.get(e.fullUrl!);
      return r ? { status: r.status, type: r.type, id: r.id, ...(r.version ? { version: r.version } : {}) } : { status: 'unknown' };
    });
  }

  /** Transactions of at most the EHR's size; a piece refused as too large is halved and sent again. */
  private async sendPieces(ctx: Ctx, entries: BundleEntry[]): Promise<void> {
    const { conn, profile, resolved } = ctx;
    const conditional = profile.conditionalCreate && profile.conditionalUpdate;
    // One whole Bundle needs no order (the EHR resolves references inside it); pieces and pre-searches do.
    const queue = profile.maxEntries || !conditional ? chunks(ordered(entries), profile.maxEntries) : [entries];
    while (queue.length) {
      const piece = queue.shift()!;
      const prepared: BundleEntry[] = [];
      for (const e of piece) {
        const p = await this.prepare(ctx, e);
        if (p) prepared.push(p);
      }
      if (!prepared.length) continue;
      await this.guard(ctx);
      let response: Bundle;
      try {
        response = await this.gateway.transaction(conn, { resourceType: 'Bundle', type: 'transaction', entry: prepared });
      } catch (err) {
        if (!(err instanceof FhirCallError) || piece.length < 2 || !isTooLarge(err.status, err.outcome)) throw err;
        const max = this.capabilities.learnMaxEntries(conn, piece.length);
        queue.unshift(...chunks(ordered(piece), Math.min(max, Math.ceil(piece.length / 2))));
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
  private async prepare(ctx: Ctx, e: BundleEntry): Promise<BundleEntry | null> {
    const { profile, resolved } = ctx;
    const resource = rewriteReferences(e.resource as FhirResource, resolved);
    const req = e.request!;
    const cond = conditionalUrl(req.url);
    if (req.method === 'POST' && req.ifNoneExist && !profile.conditionalCreate) {
      const found = await this.findOne(ctx, resource.resourceType, req.ifNoneExist);
      if (found) {
        resolved.set(e.fullUrl!, { type: resource.resourceType, id: found, status: '200 OK' });
        return null;
      }
      return { fullUrl: e.fullUrl, resource, request: { method: 'POST', url: resource.resourceType } };
    }
    if (req.method === 'PUT' && cond && !profile.conditionalUpdate) {
      const found = await this.findOne(ctx, cond.type, cond.query);
      return found
        ? { fullUrl: e.fullUrl, resource: { ...resource, id: found }, request: { method: 'PUT', url: `${cond.type}/${found}` } }
        : { fullUrl: e.fullUrl, resource, request: { method: 'POST', url: resource.resourceType } };
    }
    return { ...e, resource };
  }

  /** One entry as one REST request (no transaction support), idempotent in every case. */
  private async sendOne(ctx: Ctx, e: BundleEntry): Promise<Resolved> {
    const { conn, profile, resolved } = ctx;
    const resource = rewriteReferences(e.resource as FhirResource, resolved);
    if (urnReferences(resource).size) throw new UndeliverableError('unresolved-reference', 'A resource references another that could not be written before it.');
    const req = e.request!;
    const type = resource.resourceType;
    const cond = conditionalUrl(req.url);
    const write = async (w: Parameters<FhirGateway['write']>[1]) => {
      await this.guard(ctx);
      return this.written(type, await this.gateway.write(conn, w));
    };
    if (req.method === 'POST') {
      if (req.ifNoneExist && profile.conditionalCreate) return write({ method: 'POST', resource, ifNoneExist: req.ifNoneExist });
      const found = req.ifNoneExist ? await this.findOne(ctx, type, req.ifNoneExist) : undefined;
      if (found) return { type, id: found, status: '200 OK' };
      return write({ method: 'POST', resource });
    }
    if (req.method === 'PUT' && cond) {
      if (profile.conditionalUpdate) return write({ method: 'PUT', resource, searchParams: searchParamsOf(cond.query) });
      const found = await this.findOne(ctx, cond.type, cond.query);
      return found ? write({ method: 'PUT', resource: { ...resource, id: found } as FhirResource, id: found }) : write({ method: 'POST', resource });
    }
    if (req.method === 'PUT') {
      const id = req.url.split('/')[1];
      return write({ method: 'PUT', resource: { ...resource, id } as FhirResource, id });
    }
    throw new UndeliverableError('unsupported-request', `A ${req.method} entry cannot be delivered.`);
  }

  private written(type: string, w: Awaited<ReturnType<FhirGateway['write']>>): Resolved {
    const where = parseLocation(w.location) ?? (w.id ? { type, id: w.id, ...(w.version ? { version: w.version } : {}) } : undefined);
    // A success we cannot place: retry (idempotent) rather than record a resource we cannot reference.
    if (!where) throw new FhirCallError(w.status, undefined, 'unreadable-write-response');
    return { ...where, status: `${w.status}` };
  }

  /**
   * The id of the resource carrying our business identifier, if the EHR has one. Only hits that really carry
   * it count (a server may ignore the parameter and answer everything); two of them mean the EHR already holds
   * a duplicate, which we must not guess between.
   */
  private async findOne(ctx: Ctx, type: string, query: string): Promise<string | undefined> {
    await this.guard(ctx);
    const params = searchParamsOf(query);
    const hits = (await this.gateway.searchResources(ctx.conn, type, params)).filter((r) => carriesIdentifier(r, params));
    if (hits.length > 1) throw new UndeliverableError('multiple-matches', `The EHR holds ${hits.length} ${type} resources with one of our identifiers; an EHR administrator must merge them.`);
    return hits[0]?.id;
  }

  private async guard(ctx: Ctx): Promise<void> {
    if (!(await ctx.run.stillOurs())) throw new StoodDown();
  }
}

interface Ctx {
  conn: FhirConnection;
  profile: DeliveryProfile;
  resolved: Map<string, Resolved>;
  run: DeliveryRun;
}

/** Dependency order; a reference cycle cannot be sent in pieces, so such a unit goes dead with the reason. */
function ordered(entries: BundleEntry[]): BundleEntry[] {
  try {
    return dependencyOrder(entries);
  } catch {
    throw new UndeliverableError('reference-cycle', 'The resources of this write reference each other in a cycle, which this EHR cannot take in pieces.');
  }
}
