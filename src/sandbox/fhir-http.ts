import type { Response } from 'express';
import type { Bundle, BundleEntry, Resource } from 'fhir/r4.js';
import { SandboxError } from './sandbox-errors.js';
import type { StoredResource } from './fhir-store.service.js';
import { encodePageToken, type QueryParams, type SearchQuery } from './search.js';

export const FHIR_JSON = 'application/fhir+json';

export function etag(versionId: number): string {
  return `W/"${versionId}"`;
}

/** `W/"3"` or `"3"` → 3; a malformed If-Match is a 400 rather than a silent unconditional update. */
export function parseIfMatch(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  const m = /^(?:W\/)?"(\d+)"$/.exec(header.trim());
  if (!m) throw new SandboxError('SANDBOX.INVALID_RESOURCE', 'If-Match must be an ETag such as W/"1".');
  return Number(m[1]);
}

export function versionUrl(issuer: string, stored: StoredResource): string {
  return `${issuer}/${stored.resource.resourceType}/${stored.resource.id}/_history/${stored.versionId}`;
}

/** Sends a resource as FHIR JSON with its version headers; `location` for creates. */
export function sendResource(res: Response, status: number, stored: StoredResource, issuer: string, location = false): void {
  res.status(status).type(FHIR_JSON).setHeader('ETag', etag(stored.versionId));
  res.setHeader('Last-Modified', stored.lastUpdated.toUTCString());
  if (location) res.setHeader('Location', versionUrl(issuer, stored));
  res.json(stored.resource);
}

export function sendFhir(res: Response, status: number, body: Resource): void {
  res.status(status).type(FHIR_JSON).json(body);
}

function queryString(params: QueryParams, page?: number): string {
  const sp = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (k === '_page') continue;
    for (const value of Array.isArray(v) ? v : [v]) if (typeof value === 'string') sp.append(k, value);
  }
  if (page !== undefined) sp.set('_page', encodePageToken(page));
  const s = sp.toString();
  return s ? `?${s}` : '';
}

/** A searchset with total, self link and, when more remain, a next link carrying an opaque page token. */
export function searchsetBundle(issuer: string, q: SearchQuery, params: QueryParams, total: number, matches: StoredResource[]): Bundle {
  const base = `${issuer}/${q.type}`;
  const link = [{ relation: 'self', url: `${base}${queryString(params, q.offset || undefined)}` }];
  if (q.count > 0 && q.offset + q.count < total) link.push({ relation: 'next', url: `${base}${queryString(params, q.offset + q.count)}` });
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    total,
    link,
    entry: matches.map((s) => ({
      fullUrl: `${issuer}/${s.resource.resourceType}/${s.resource.id}`,
      resource: s.resource,
      search: { mode: 'match' as const },
    })),
  };
}

/** An instance's history, newest first. */
export function historyBundle(issuer: string, versions: StoredResource[]): Bundle {
  const entry: BundleEntry[] = versions.map((s) => ({
    fullUrl: `${issuer}/${s.resource.resourceType}/${s.resource.id}`,
    resource: s.resource,
    request: { method: s.versionId === 1 ? 'POST' : 'PUT', url: `${s.resource.resourceType}/${s.resource.id}` },
    response: { status: s.versionId === 1 ? '201 Created' : '200 OK', etag: etag(s.versionId), lastModified: s.lastUpdated.toISOString() },
  }));
  return { resourceType: 'Bundle', type: 'history', total: entry.length, entry };
}
