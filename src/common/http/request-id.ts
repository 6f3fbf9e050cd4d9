import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** A client's correlation id is kept only when it is this plain and this short. */
const SAFE_ID = /^[A-Za-z0-9._-]{8,64}$/;

/** The client's correlation id of each request in flight, by our request id (for the audit log). */
const inFlight = new Map<string, string>();

/** A request after `requestId`: `id` is ours, `correlationId` the client's (or undefined). */
export interface IdentifiedRequest {
  id?: string;
  correlationId?: string;
}

/** The client's well-formed `X-Request-Id` (or `X-Correlation-Id`), else undefined. Never trusted as our id. */
export function clientCorrelationId(req: IncomingMessage): string | undefined {
  for (const header of ['x-request-id', 'x-correlation-id']) {
    const value = req.headers[header];
    if (typeof value === 'string' && SAFE_ID.test(value)) return value;
  }
  return undefined;
}

/**
 * Our request id: always made here, never taken from the request (a client could otherwise reuse one to blur
 * the audit trail or the logs). A client's or gateway's own id is kept beside it as the correlation id: on the
 * request, in the log line, in every audit row of the request, and echoed as `X-Correlation-Id`.
 */
export function requestId(req: IncomingMessage, res: ServerResponse): string {
  const id = randomUUID();
  res.setHeader('X-Request-Id', id);
  const correlation = clientCorrelationId(req);
  if (correlation) {
    (req as IncomingMessage & IdentifiedRequest).correlationId = correlation;
    res.setHeader('X-Correlation-Id', correlation);
    inFlight.set(id, correlation);
    res.once('close', () => inFlight.delete(id));
  }
  return id;
}

/**
 * The client's correlation id of a request still in flight, by our request id; null when it sent none, or once the
 * response has closed. A row written after that (a streamed export cut off mid-download) carries
 * `req.correlationId` itself (AuditEntry.correlationId), as the read audit does.
 */
export function correlationOf(requestId: string | null | undefined): string | null {
  return (requestId && inFlight.get(requestId)) || null;
}
