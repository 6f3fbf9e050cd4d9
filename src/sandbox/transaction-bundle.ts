import type { Bundle, BundleEntry, Resource } from 'fhir/r4.js';
import { SandboxError } from './sandbox-errors.js';
import type { StoredResource } from './fhir-store.service.js';
import { etag, versionUrl } from './fhir-http.js';
import { asResource, assertSupportedType, assertValidId } from './resource-types.js';

/** One entry of a transaction Bundle, validated. */
export interface TransactionEntry {
  index: number;
  method: 'POST' | 'PUT';
  type: string;
  /** PUT: from the URL; POST: assigned while planning. */
  id?: string;
  resource: Resource;
  fullUrl?: string;
  ifNoneExist?: string;
  /** PUT `Type?criteria`: a conditional update, resolved to an id (or a new one) while planning. */
  criteria?: string;
}

export interface EntryResult {
  stored: StoredResource;
  status: '200 OK' | '201 Created';
}

function invalid(index: number, message: string): SandboxError {
  return new SandboxError('SANDBOX.INVALID_RESOURCE', `Bundle.entry[${index}]: ${message}`, [
    { message, expression: `Bundle.entry[${index}]` },
  ]);
}

/** Validates a transaction Bundle: POST `Type` and PUT `Type/id` entries with a resource of that type. */
export function parseTransaction(body: unknown): TransactionEntry[] {
  const bundle = asResource(body, 'Bundle') as Bundle;
  if (bundle.type !== 'transaction') {
    throw new SandboxError('SANDBOX.INVALID_RESOURCE', `Only transaction Bundles can be posted to the base (got '${bundle.type}').`);
  }
  return (bundle.entry ?? []).map((entry, index) => {
    const method = entry.request?.method;
    const url = entry.request?.url ?? '';
    if (method !== 'POST' && method !== 'PUT') throw invalid(index, 'only POST and PUT entries are supported.');
    const conditional = method === 'PUT' ? /^([A-Za-z]+)\?(.+)$/.exec(url) : null;
    const m = conditional ? [conditional[0], conditional[1]] : method === 'POST' ? /^([A-Za-z]+)\/?$/.exec(url) : /^([A-Za-z]+)\/([^/?]+)$/.exec(url);
    if (!m) throw invalid(index, `request.url '${url}' must be ${method === 'POST' ? 'Type' : 'Type/id or Type?criteria'}.`);
    assertSupportedType(m[1]);
    if (m[2]) assertValidId(m[2]);
    let resource: Resource;
    try {
      resource = asResource(entry.resource, m[1], m[2]);
    } catch (e) {
      throw invalid(index, e instanceof Error ? e.message : 'invalid resource');
    }
    return {
      index,
      method,
      type: m[1],
      id: m[2],
      resource,
      fullUrl: entry.fullUrl?.startsWith('urn:') ? entry.fullUrl : undefined,
      ifNoneExist: method === 'POST' ? entry.request?.ifNoneExist : undefined,
      criteria: conditional ? conditional[2] : undefined,
    };
  });
}

/** The transaction-response: one entry per request entry, in the same order. */
export function transactionResponse(issuer: string, results: EntryResult[]): Bundle {
  const entry: BundleEntry[] = results.map(({ stored, status }) => ({
    fullUrl: `${issuer}/${stored.resource.resourceType}/${stored.resource.id}`,
    response: {
      status,
      location: versionUrl(issuer, stored),
      etag: etag(stored.versionId),
      lastModified: stored.lastUpdated.toISOString(),
    },
  }));
  return { resourceType: 'Bundle', type: 'transaction-response', entry };
}
