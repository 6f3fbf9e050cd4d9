import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { RETRY_AFTER_SETTING } from '../common/errors/all-exceptions.filter.js';
import type { IssueDetail } from '../common/errors/domain-error.js';
import type { ErrorMapping } from '../common/errors/error-status.js';
import { operationOutcome } from '../common/errors/operation-outcome.js';

/**
 * The sandbox EHR's own error codes and how each is answered. They are not the service's codes
 * (`src/common/errors/error-codes.ts`): a deployment without the sandbox has none of them.
 */
const SANDBOX_ERRORS = {
  'SANDBOX.NOT_FOUND': { status: 404, issueType: 'not-found' },
  'SANDBOX.INVALID_RESOURCE': { status: 400, issueType: 'invalid' },
  'SANDBOX.INVALID_SEARCH': { status: 400, issueType: 'invalid' },
  'SANDBOX.AUTHORIZE_REQUEST_INVALID': { status: 400, issueType: 'invalid' },
  'SANDBOX.LAUNCH_INVALID': { status: 400, issueType: 'invalid' },
  'SANDBOX.UNKNOWN_CLIENT': { status: 400, issueType: 'security' },
  'SANDBOX.REDIRECT_URI_MISMATCH': { status: 400, issueType: 'security' },
  'SANDBOX.UNAUTHENTICATED': { status: 401, issueType: 'login' },
  'SANDBOX.SCOPE_DENIED': { status: 403, issueType: 'forbidden' },
  'SANDBOX.MULTIPLE_MATCHES': { status: 412, issueType: 'multiple-matches' },
  'SANDBOX.VERSION_CONFLICT': { status: 412, issueType: 'conflict' },
  'SANDBOX.WRITES_REJECTED': { status: 422, issueType: 'business-rule' },
  'SANDBOX.UNAVAILABLE': { status: 503, issueType: 'transient' },
} as const satisfies Record<string, ErrorMapping>;

export type SandboxErrorCode = keyof typeof SANDBOX_ERRORS;

/** What the sandbox's services throw; answered as an OperationOutcome by SandboxErrorFilter on its controllers. */
export class SandboxError extends Error {
  constructor(
    readonly code: SandboxErrorCode,
    message: string,
    readonly issues: IssueDetail[] = [],
  ) {
    super(message);
    this.name = 'SandboxError';
  }

  get mapping(): ErrorMapping {
    return SANDBOX_ERRORS[this.code];
  }
}

/** Every sandbox controller declares this filter (`@UseFilters`): it wins over the service's global filter. */
@Catch(SandboxError)
export class SandboxErrorFilter implements ExceptionFilter {
  catch(err: SandboxError, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const res = http.getResponse<Response>();
    if (res.headersSent) return;
    const { status, issueType } = err.mapping;
    // As the service answers every 503 (all-exceptions.filter.ts): say when to send the request again.
    if (status === 503) res.setHeader('Retry-After', String(http.getRequest<Request>().app?.get(RETRY_AFTER_SETTING) ?? 5));
    res.status(status).type('application/fhir+json').json(operationOutcome(issueType, err.code, err.message, err.issues));
  }
}
