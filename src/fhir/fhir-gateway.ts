import { Inject, Injectable } from '@nestjs/common';
import { Client } from 'fhir-kit-client';
import type { Bundle, CapabilityStatement, FhirResource } from 'fhir/r4.js';
import { DomainError } from '../common/errors/domain-error.js';
import { fhirConfig, type FhirConfig } from '../config/fhir.config.js';
import type { FhirConnection } from './fhir-connection.js';

/**
 * What a failed FHIR call tells us: the status (0 = no answer), the server's OperationOutcome if any, why
 * there was no answer (`ECONNREFUSED`, `TimeoutError`, …) and how long the server asked us to wait.
 */
export class FhirCallError extends Error {
  constructor(
    readonly status: number,
    readonly outcome: unknown,
    readonly reason: string = status ? 'http' : 'network',
    readonly retryAfterMs?: number,
  ) {
    super(status ? `FHIR server answered ${status}` : `FHIR server unreachable (${reason})`);
    this.name = 'FhirCallError';
  }
}

/** A single REST write; see `FhirGateway.write`. */
export interface RestWrite {
  method: 'POST' | 'PUT';
  resource: FhirResource;
  ifNoneExist?: string;
  /** PUT Type/id */
  id?: string;
  /** PUT Type?search (conditional update) */
  searchParams?: Record<string, string>;
  /** `If-Match` of an update (`W/"<versionId>"`): the server refuses it with 412 when the resource changed meanwhile. */
  ifMatch?: string;
}

export interface WriteResult {
  status: number;
  location: string | null;
  id?: string;
  version?: string;
}

/** Retry-After as seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * A user's connection. The EHR may revoke a token before the expiry it announced: on a 401 the gateway asks
 * `renew` (given the rejected Authorization) for a connection with a fresh token and tries once more.
 */
export type RenewableConnection = FhirConnection & { renew?: (rejected: string) => Promise<FhirConnection> };

type CallFailure = { response?: { status?: number; data?: unknown }; config?: { headers?: Headers }; name?: string; cause?: { code?: unknown } };

/** A failed user-request call as a coded domain error: 401 session expired, 403 forbidden, 404/410, outage, refusal. */
function userFacing(err: unknown): DomainError {
  const status = err instanceof FhirCallError ? err.status : 0;
  if (status === 401) return new DomainError('AUTH.SESSION_EXPIRED', 'The EHR no longer accepts your session. Please relaunch the app from your EHR.');
  if (status === 404 || status === 410) return new DomainError('COMMON.NOT_FOUND', 'The EHR has no such resource.');
  if (status === 403) return new DomainError('FHIR.FORBIDDEN', 'The EHR does not allow you to see this (it answered 403 Forbidden).');
  if (status === 0 || status >= 500) return new DomainError('FHIR.UNAVAILABLE', 'The EHR is not answering; please try again shortly.');
  return new DomainError('FHIR.UPSTREAM_ERROR', `The EHR refused the request (HTTP ${status}).`);
}

/** The only place that speaks FHIR REST over the wire (fhir-kit-client). Features pass ready resources in. */
@Injectable()
export class FhirGateway {
  constructor(@Inject(fhirConfig.KEY) private readonly config: FhirConfig) {}

  private client(conn: FhirConnection): Client {
    return new Client({
      baseUrl: conn.baseUrl,
      customHeaders: { ...(conn.authorization ? { Authorization: conn.authorization } : {}), Accept: 'application/fhir+json' },
      requestOptions: { signal: AbortSignal.timeout(this.config.requestTimeoutMs) } as Record<string, unknown>,
    });
  }

  async read<T extends FhirResource>(conn: RenewableConnection, resourceType: T['resourceType'], id: string): Promise<T> {
    return (await this.call(conn, (c) => this.client(c).read({ resourceType, id }))) as unknown as T;
  }

  async search(conn: RenewableConnection, resourceType: string, searchParams: Record<string, string>): Promise<Bundle> {
    return (await this.call(conn, (c) => this.client(c).search({ resourceType, searchParams }))) as unknown as Bundle;
  }

  /** A read for the write-back worker: failures stay FhirCallErrors (status and OperationOutcome) for it to judge. */
  async readForWriteBack<T extends FhirResource>(conn: FhirConnection, resourceType: T['resourceType'], id: string): Promise<T> {
    return (await this.raw(() => this.client(conn).read({ resourceType, id }))) as unknown as T;
  }

  /** Posts a transaction Bundle; throws FhirCallError with the server's status and OperationOutcome. */
  async transaction(conn: FhirConnection, bundle: Bundle): Promise<Bundle> {
    return (await this.raw(() => this.client(conn).transaction({ body: bundle as never }))) as unknown as Bundle;
  }

  /** The server's CapabilityStatement (`GET [base]/metadata`); throws FhirCallError. */
  async capabilities(conn: FhirConnection): Promise<CapabilityStatement> {
    return (await this.raw(() => this.client(conn).capabilityStatement())) as unknown as CapabilityStatement;
  }

  /** POST [base]/[type]/[operation] with a resource body; throws FhirCallError. */
  async operation(conn: FhirConnection, resourceType: string, name: string, body: FhirResource): Promise<FhirResource> {
    return (await this.raw(() => this.client(conn).operation({ resourceType, name, input: body as never }))) as unknown as FhirResource;
  }

  /**
   * The resources a search finds (first page: a business identifier matches at most a few). `Prefer:
   * handling=strict` asks the server to refuse a parameter it does not know rather than ignore it and answer
   * everything; callers still check each hit.
   */
  async searchResources(conn: FhirConnection, resourceType: string, searchParams: Record<string, string>): Promise<FhirResource[]> {
    const options = { headers: { Prefer: 'handling=strict' } };
    const bundle = (await this.raw(() => this.client(conn).search({ resourceType, searchParams, options } as never))) as unknown as Bundle;
    return (bundle.entry ?? []).filter((e) => e.search?.mode !== 'include' && e.resource?.resourceType === resourceType && e.resource.id).map((e) => e.resource as FhirResource);
  }

  /**
   * One REST write: create (optionally conditional, `If-None-Exist`), update by id, or conditional update
   * (`searchParams`). Answers the status and where the resource is (Location, else the body's id).
   */
  async write(conn: FhirConnection, w: RestWrite): Promise<WriteResult> {
    const client = this.client(conn);
    const body = w.resource as never;
    const type = w.resource.resourceType;
    const result = (await this.raw(() =>
      w.method === 'POST'
        ? client.create({ resourceType: type, body, ...(w.ifNoneExist ? { options: { headers: { 'If-None-Exist': w.ifNoneExist } } } : {}) })
        : client.update({ resourceType: type, ...(w.id ? { id: w.id } : { searchParams: w.searchParams }), body, ...(w.ifMatch ? { options: { headers: { 'If-Match': w.ifMatch } } } : {}) } as never),
    )) as unknown as FhirResource | undefined;
    const response = result && typeof result === 'object' ? Client.httpFor(result as never).response : undefined;
    return {
      status: response?.status ?? (w.method === 'POST' ? 201 : 200),
      location: response?.headers.get('location') ?? response?.headers.get('content-location') ?? null,
      id: typeof result?.id === 'string' ? result.id : undefined,
      version: typeof result?.meta?.versionId === 'string' ? result.meta.versionId : undefined,
    };
  }

  /** Runs a call and keeps the failure's status and body for the caller to judge (retry or dead-letter). */
  async raw<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      const e = err as CallFailure;
      if (e.response) {
        const wait = retryAfterMs(typeof e.config?.headers?.get === 'function' ? e.config.headers.get('retry-after') : undefined);
        throw new FhirCallError(e.response.status ?? 0, e.response.data, 'http', wait);
      }
      // fetch rejects with "fetch failed" and the socket error as its cause, or a TimeoutError from the signal.
      const code = typeof e.cause?.code === 'string' ? e.cause.code : e.name === 'TimeoutError' || e.name === 'AbortError' ? e.name : 'network';
      throw new FhirCallError(0, undefined, code);
    }
  }

  /**
   * Runs a call for a user request: failures become coded domain errors. A 401 on a renewable connection (the EHR
   * revoked the token before its expiry) is asked once more with a renewed token; a second 401 is AUTH.SESSION_EXPIRED.
   */
  private async call<T>(conn: RenewableConnection, fn: (c: FhirConnection) => Promise<T>): Promise<T> {
    let failure: unknown;
    try {
      return await this.raw(() => fn(conn));
    } catch (err) {
      failure = err;
    }
    if (!(failure instanceof FhirCallError && failure.status === 401 && conn.renew)) throw userFacing(failure);
    const renewed = await conn.renew(conn.authorization); // a DomainError when the session cannot be refreshed
    try {
      return await this.raw(() => fn(renewed));
    } catch (err) {
      throw userFacing(err);
    }
  }
}
