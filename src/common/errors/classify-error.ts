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
    const parsed = fromBodyParser(err as { type?: unknown });
    if (parsed) return parsed;
  }
  return { ...fromCode('COMMON.INTERNAL', 'An unexpected error occurred.'), unexpected: true };
}
