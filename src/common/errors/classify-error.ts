import { HttpException } from '@nestjs/common';
import { DomainError, type IssueDetail } from './domain-error.js';
import type { ErrorCode } from './error-codes.js';
import { mappingOf, type IssueType } from './error-status.js';

export interface ClassifiedError {
  status: number;
  code: ErrorCode;
  issueType: IssueType;
  message: string;
  issues: IssueDetail[];
  /** True for anything we did not expect: the caller sees a generic message, the log gets the detail. */
  unexpected: boolean;
  /** Logged although the caller is answered normally: the database refused a value a check upstream let through. */
  logged?: boolean;
}

function fromCode(code: ErrorCode, message: string, issues: IssueDetail[] = []): ClassifiedError {
  const { status, issueType } = mappingOf(code);
  return { status, code, issueType, message, issues, unexpected: false };
}

/** body-parser signals its failures with a `type` and a status; none of them is our fault. */
function fromBodyParser(err: { type?: unknown; status?: unknown }): ClassifiedError | undefined {
  switch (err.type) {
    case 'entity.parse.failed':
      return fromCode('COMMON.MALFORMED_JSON', 'The request body is not valid JSON.');
    case 'entity.too.large':
      return fromCode('COMMON.PAYLOAD_TOO_LARGE', 'The request body is larger than the service accepts.');
    case 'charset.unsupported':
    case 'encoding.unsupported':
      return fromCode('COMMON.UNSUPPORTED_MEDIA_TYPE', 'The request body uses an unsupported charset or encoding.');
    case 'request.aborted':
    case 'request.size.invalid':
    case 'stream.encoding.set':
      return fromCode('COMMON.VALIDATION', 'The request body could not be read.');
    default:
      return undefined;
  }
}

type DriverFailure = { code?: unknown; message?: unknown; errno?: unknown; status?: unknown; statusCode?: unknown; expose?: unknown };

/** pg-pool's and pg's own words when no pooled connection came in time or a query outlived `query_timeout`. */
const SATURATED = /^(timeout exceeded when trying to connect|Query read timeout)$/;
// The last two: a query on a connection ended after its query timed out (closing-client.ts).
const UNREACHABLE = /^(Connection terminated (unexpectedly|due to connection timeout)|Connection terminated|Client was closed and is not queryable)$/;
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND']);

/**
 * The database's and its pool's failures that are load or an outage, not a bug: 503 with Retry-After (nothing was
 * committed: a transaction that failed to start or finish is rolled back). SQLSTATE classes: 53 insufficient
 * resources, 57014 a cancelled statement, 55P03 a lock not granted, 40001/40P01 serialization failure / deadlock,
 * 57P0x and 08 the server going away. A value PostgreSQL refuses (class 22 data exception, 54 too large) is the
 * caller's input: 400, logged so a missing check upstream is seen.
 */
function fromDatabase(err: DriverFailure & { driverError?: DriverFailure }): ClassifiedError | undefined {
  const e = err.driverError ?? err;
  const code = typeof e.code === 'string' ? e.code : '';
  const message = typeof e.message === 'string' ? e.message : '';
  if (SATURATED.test(message) || code.startsWith('53') || ['57014', '55P03', '40001', '40P01'].includes(code)) {
    return fromCode('COMMON.OVERLOADED', 'The service is busy; please try again in a few seconds.');
  }
  if (UNREACHABLE.test(message) || NETWORK_CODES.has(code) || code.startsWith('08') || ['57P01', '57P02', '57P03'].includes(code)) {
    return fromCode('COMMON.DATABASE_UNAVAILABLE', 'The service cannot reach its database; please try again shortly.');
  }
  if (code.startsWith('22') && code.length === 5) {
    return { ...fromCode('COMMON.VALIDATION', 'A value in the request is malformed or out of range.'), logged: true };
  }
  if (code.startsWith('54') && code.length === 5) {
    return { ...fromCode('COMMON.VALIDATION', 'A value in the request is too large.'), logged: true };
  }
  return undefined;
}

/**
 * Errors raised by Express and body-parser through http-errors (`expose`, a 4xx status) that carry no `type`:
 * a body that is not what its Content-Encoding says (zlib's error, which has an errno) and a path parameter
 * that does not decode.
 */
function fromHttpError(e: DriverFailure): ClassifiedError | undefined {
  const status = typeof e.status === 'number' ? e.status : typeof e.statusCode === 'number' ? e.statusCode : 0;
  if (e.expose !== true || status < 400 || status >= 500) return undefined;
  if (status === 413) return fromCode('COMMON.PAYLOAD_TOO_LARGE', 'The request body is larger than the service accepts.');
  if (status === 415) return fromCode('COMMON.UNSUPPORTED_MEDIA_TYPE', 'Unsupported content type or encoding.');
  if (typeof e.errno === 'number') return fromCode('COMMON.BODY_ENCODING', 'The request body is not encoded as its Content-Encoding header says.');
  return { ...fromCode('COMMON.VALIDATION', 'The request could not be read.'), status };
}

function fromHttpException(err: HttpException): ClassifiedError {
  const status = err.getStatus();
  const body = err.getResponse();
  const raw = typeof body === 'object' && body && 'message' in body ? (body as { message: unknown }).message : undefined;
  const messages = Array.isArray(raw) ? raw.map(String) : [];
  switch (status) {
    case 404:
      return fromCode('COMMON.NOT_FOUND', 'No such resource or route.');
    case 413:
      return fromCode('COMMON.PAYLOAD_TOO_LARGE', 'The request body is larger than the service accepts.');
    case 415:
      return fromCode('COMMON.UNSUPPORTED_MEDIA_TYPE', 'Unsupported content type.');
    case 429:
      return fromCode('COMMON.RATE_LIMITED', 'Too many requests; please slow down.');
    case 401:
      return fromCode('AUTH.UNAUTHENTICATED', 'Sign-in required.');
    case 403:
      return fromCode('AUTH.FORBIDDEN', 'You are not allowed to do this.');
    case 409:
      return fromCode('COMMON.CONFLICT', typeof raw === 'string' ? raw : 'Conflict.');
    default:
      if (status >= 400 && status < 500) {
        return {
          ...fromCode('COMMON.VALIDATION', messages.length ? 'The request is invalid.' : String(raw ?? 'Bad request.')),
          status,
          issues: messages.map((message) => ({ message })),
        };
      }
      return { ...fromCode('COMMON.INTERNAL', 'An unexpected error occurred.'), unexpected: true };
  }
}

/** Turns anything thrown into a status, a code and a caller-safe message. */
export function classifyError(err: unknown): ClassifiedError {
  if (err instanceof DomainError) return fromCode(err.code, err.message, err.issues);
  if (err instanceof HttpException) return fromHttpException(err);
  if (err && typeof err === 'object') {
    const known = fromBodyParser(err as { type?: unknown }) ?? fromDatabase(err as DriverFailure) ?? fromHttpError(err as DriverFailure);
    if (known) return known;
  }
  return { ...fromCode('COMMON.INTERNAL', 'An unexpected error occurred.'), unexpected: true };
}
