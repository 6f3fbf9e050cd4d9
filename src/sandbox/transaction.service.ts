import { Injectable } from '@nestjs/common';
import type { Bundle } from 'fhir/r4.js';
import { randomUUID } from 'node:crypto';
import { permit, type SandboxAccess } from './access.js';
import { ConditionalCreate } from './conditional-create.service.js';
import { FhirStore } from './fhir-store.service.js';
import { rewriteReferences } from './references.js';
import { parseTransaction, transactionResponse, type EntryResult } from './transaction-bundle.js';

/**
 * Processes a transaction Bundle all-or-nothing in one database transaction: ids are assigned (or found,
 * for `ifNoneExist`) first, `urn:uuid:` references are rewritten, then POSTs and PUTs are written in that
 * order, as FHIR's processing rules ask. Any failure rolls the whole Bundle back.
 */
@Injectable()
export class TransactionService {
  constructor(
    private readonly store: FhirStore,
    private readonly conditional: ConditionalCreate,
  ) {}

  async process(body: unknown, access: SandboxAccess): Promise<Bundle> {
    const entries = parseTransaction(body);
    const compartments = entries.map((e) => permit(access, e.type, e.method === 'POST' ? 'c' : 'u'));

    const results = await this.store.inTransaction(undefined, async (m) => {
      const out: EntryResult[] = new Array(entries.length);
      const resolved = new Map<string, string>();
      for (const e of entries) {
        if (e.method === 'POST') {
          const match = e.ifNoneExist ? await this.conditional.match(e.type, e.ifNoneExist, m) : undefined;
          if (match) out[e.index] = { stored: match, status: '200 OK' };
          e.id = match?.resource.id ?? randomUUID();
        } else if (e.criteria) {
          // Conditional update (FHIR R4 §3.1.0.4.3): no match → create, one → update it, several → 412.
          const match = await this.conditional.match(e.type, e.criteria, m);
          e.id = match?.resource.id ?? randomUUID();
        }
        if (e.fullUrl) resolved.set(e.fullUrl, `${e.type}/${e.id}`);
      }
      const ordered = [...entries.filter((e) => e.method === 'POST'), ...entries.filter((e) => e.method === 'PUT')];
      for (const e of ordered) {
        if (out[e.index]) continue;
        const resource = rewriteReferences(e.resource, resolved);
        const compartment = compartments[e.index];
        if (e.method === 'POST') {
          out[e.index] = { stored: await this.store.create(e.type, resource, { id: e.id, compartment }, m), status: '201 Created' };
        } else {
          const { stored, created } = await this.store.update(e.type, e.id!, resource, { compartment }, m);
          out[e.index] = { stored, status: created ? '201 Created' : '200 OK' };
        }
      }
      return out;
    });
    return transactionResponse(this.store.issuer, results);
  }
}
