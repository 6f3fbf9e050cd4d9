import { Inject, Injectable } from '@nestjs/common';
import type { Resource } from 'fhir/r4.js';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager, QueryFailedError } from 'typeorm';
import { SandboxError } from './sandbox-errors.js';
import { httpConfig, type HttpConfig } from '../config/http.config.js';
import { assertInCompartment, type Compartment } from './access.js';
import { indexResource } from './resource-index.js';
import { SandboxResource, SandboxResourceVersion } from './sandbox-resource.entity.js';
import type { SearchQuery } from './search.js';
import { searchSql } from './search-sql.js';
import { sandboxUrls } from './sandbox-urls.js';

export interface StoredResource {
  resource: Resource;
  versionId: number;
  lastUpdated: Date;
  patientRef: string | null;
}

export interface WriteOptions {
  /** Limits the write to a patient's compartment (patient/ scopes): both the old and the new version. */
  compartment?: Compartment;
  /** An `If-Match` version: the update is refused (412) unless it is the current one. */
  ifMatchVersion?: number;
}

interface Row {
  resource: Resource;
  version_id: number;
  last_updated: Date;
  patient_ref: string | null;
}

const notFound = (what: string) => new SandboxError('SANDBOX.NOT_FOUND', `${what} is not in the sandbox EHR.`);

/**
 * Versioned FHIR resource storage: the current version with its search columns, and every version for
 * vread/history. Pass an EntityManager to take part in a caller's transaction (a transaction Bundle).
 */
@Injectable()
export class FhirStore {
  readonly issuer: string;

  constructor(
    private readonly ds: DataSource,
    @Inject(httpConfig.KEY) http: HttpConfig,
  ) {
    this.issuer = sandboxUrls(http.publicUrl).issuer;
  }

  /** Runs `fn` in the caller's transaction, or in a new one. */
  inTransaction<T>(m: EntityManager | undefined, fn: (m: EntityManager) => Promise<T>): Promise<T> {
    return m ? fn(m) : this.ds.transaction(fn);
  }

  async read(type: string, id: string, m: EntityManager = this.ds.manager): Promise<StoredResource> {
    const row = await m.findOneBy(SandboxResource, { resourceType: type, id });
    if (!row) throw notFound(`${type}/${id}`);
    return { resource: row.resource, versionId: row.versionId, lastUpdated: row.lastUpdated, patientRef: row.patientRef };
  }

  async vread(type: string, id: string, versionId: number): Promise<StoredResource> {
    const row = Number.isInteger(versionId) ? await this.ds.manager.findOneBy(SandboxResourceVersion, { resourceType: type, id, versionId }) : null;
    if (!row) throw notFound(`${type}/${id}/_history/${versionId}`);
    return { ...row, patientRef: indexResource(row.resource, this.issuer).patientRef };
  }

  /** Every version, newest first. */
  async history(type: string, id: string): Promise<StoredResource[]> {
    const rows = await this.ds.manager.find(SandboxResourceVersion, { where: { resourceType: type, id }, order: { versionId: 'DESC' } });
    if (!rows.length) throw notFound(`${type}/${id}`);
    return rows.map((r) => ({ ...r, patientRef: indexResource(r.resource, this.issuer).patientRef }));
  }

  async search(q: SearchQuery, m: EntityManager = this.ds.manager): Promise<{ total: number; matches: StoredResource[] }> {
    const { where, params, orderBy } = searchSql(q);
    const [{ n }] = (await m.query(`SELECT count(*)::int AS n FROM sandbox_resource WHERE ${where}`, params)) as { n: number }[];
    const page = params.length;
    const rows: Row[] = q.count === 0 ? [] : await m.query(
      `SELECT resource, version_id, last_updated, patient_ref FROM sandbox_resource WHERE ${where} ORDER BY ${orderBy} LIMIT $${page + 1} OFFSET $${page + 2}`,
      [...params, q.count, q.offset],
    );
    return { total: n, matches: rows.map((r) => ({ resource: r.resource, versionId: r.version_id, lastUpdated: r.last_updated, patientRef: r.patient_ref })) };
  }

  /** POST: a new resource with a server-assigned id (or `id`, for a transaction's pre-assigned ids). */
  create(type: string, body: Resource, opts: WriteOptions & { id?: string } = {}, m?: EntityManager): Promise<StoredResource> {
    return this.inTransaction(m, (tm) => this.write(tm, type, opts.id ?? randomUUID(), body, 1, opts.compartment));
  }

  /** PUT: a new version, or version 1 when the id is new (update-as-create). */
  update(type: string, id: string, body: Resource, opts: WriteOptions = {}, m?: EntityManager): Promise<{ stored: StoredResource; created: boolean }> {
    return this.inTransaction(m, async (tm) => {
      const current = await tm.findOne(SandboxResource, { where: { resourceType: type, id }, lock: { mode: 'pessimistic_write' } });
      if (opts.ifMatchVersion !== undefined && current?.versionId !== opts.ifMatchVersion) {
        throw new SandboxError('SANDBOX.VERSION_CONFLICT', `${type}/${id} is not at version ${opts.ifMatchVersion}.`);
      }
      if (current) assertInCompartment(opts.compartment ?? null, current.patientRef);
      const stored = await this.write(tm, type, id, body, (current?.versionId ?? 0) + 1, opts.compartment);
      return { stored, created: !current };
    });
  }

  /** Seeding: writes version 1 unless the resource already exists. */
  async createIfAbsent(resource: Resource & { id: string }, m: EntityManager): Promise<boolean> {
    if (await m.existsBy(SandboxResource, { resourceType: resource.resourceType, id: resource.id })) return false;
    await this.write(m, resource.resourceType, resource.id, resource, 1);
    return true;
  }

  private async write(m: EntityManager, type: string, id: string, body: Resource, versionId: number, compartment: Compartment = null): Promise<StoredResource> {
    const lastUpdated = new Date();
    const resource = { ...body, resourceType: type, id, meta: { ...body.meta, versionId: String(versionId), lastUpdated: lastUpdated.toISOString() } } as Resource;
    const index = indexResource(resource, this.issuer);
    assertInCompartment(compartment, index.patientRef);
    const row = { resourceType: type, id, versionId, lastUpdated, resource, ...index };
    try {
      if (versionId === 1) await m.insert(SandboxResource, row as never);
      else await m.update(SandboxResource, { resourceType: type, id }, row as never);
      await m.insert(SandboxResourceVersion, { resourceType: type, id, versionId, lastUpdated, resource } as never);
    } catch (e) {
      // Two writers creating the same id at once: the loser gets a conflict, not a 500.
      if (e instanceof QueryFailedError && (e.driverError as { code?: string })?.code === '23505') {
        throw new SandboxError('SANDBOX.VERSION_CONFLICT', `${type}/${id} was written concurrently; retry.`);
      }
      throw e;
    }
    return { resource, versionId, lastUpdated, patientRef: index.patientRef };
  }
}
