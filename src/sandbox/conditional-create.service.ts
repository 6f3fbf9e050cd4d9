import { Injectable } from '@nestjs/common';
import type { Resource } from 'fhir/r4.js';
import type { EntityManager } from 'typeorm';
import { SandboxError } from './sandbox-errors.js';
import { FhirStore, type StoredResource, type WriteOptions } from './fhir-store.service.js';
import { parseSearch } from './search.js';

/** `If-None-Exist` / `ifNoneExist` criteria as query parameters; a leading `Type?` or `?` is tolerated. */
export function criteriaParams(ifNoneExist: string): Record<string, string[]> {
  const params: Record<string, string[]> = {};
  for (const [k, v] of new URLSearchParams(ifNoneExist.slice(ifNoneExist.indexOf('?') + 1))) (params[k] ??= []).push(v);
  return params;
}

/**
 * Conditional create (FHIR R4 §3.1.0.8.1): none matches → create; one matches → return it, no new version;
 * several → 412. An advisory lock on the criteria serialises concurrent creators of the same resource, so the
 * outbox retrying a delivery can never make two.
 */
@Injectable()
export class ConditionalCreate {
  constructor(private readonly store: FhirStore) {}

  /** The existing match (or undefined) for the criteria, taking the lock for the rest of the transaction. */
  async match(type: string, ifNoneExist: string, m: EntityManager): Promise<StoredResource | undefined> {
    const params = criteriaParams(ifNoneExist);
    if (!Object.keys(params).length) throw new SandboxError('SANDBOX.INVALID_SEARCH', 'If-None-Exist needs search criteria.');
    const query = { ...parseSearch(type, params, this.store.issuer), count: 2, offset: 0 };
    const key = `${type}?${Object.entries(params).flatMap(([k, vs]) => vs.map((v) => `${k}=${v}`)).sort().join('&')}`;
    await m.query('SELECT pg_advisory_xact_lock(hashtext($1))', [key]);
    const { matches } = await this.store.search(query, m);
    if (matches.length > 1) {
      throw new SandboxError('SANDBOX.MULTIPLE_MATCHES', `More than one ${type} matches the If-None-Exist criteria.`);
    }
    return matches[0];
  }

  create(type: string, body: Resource, ifNoneExist: string, opts: WriteOptions = {}, m?: EntityManager): Promise<{ stored: StoredResource; created: boolean }> {
    return this.store.inTransaction(m, async (tm) => {
      const existing = await this.match(type, ifNoneExist, tm);
      if (existing) return { stored: existing, created: false };
      return { stored: await this.store.create(type, body, opts, tm), created: true };
    });
  }
}
