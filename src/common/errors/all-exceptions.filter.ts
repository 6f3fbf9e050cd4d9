import { ArgumentsHost, Catch, ExceptionFilter, Logger, Optional } from '@nestjs/common';
import type { SessionUser } from '../auth/session-user.js';
import { DomainError } from './domain-error.js';
import type { Request, Response } from 'express';
import { classifyError, type ClassifiedError } from './classify-error.js';
import { operationOutcome } from './operation-outcome.js';
import { ErrorPage } from './error-page.port.js';
import { RefusalAudit } from './refusal-audit.port.js';

/** First stack frame as `file:line`, for the log only; the stack itself never leaves the process. */
function origin(err: unknown): string | undefined {
  const stack = err instanceof Error ? err.stack : undefined;
  const frame = stack?.split('\n').find((l) => l.trim().startsWith('at '));
  const m = frame && /\(?([^()\s]+:\d+):\d+\)?$/.exec(frame.trim());
  return m ? m[1].replace(/^.*\/(src|dist|node_modules)\//, '$1/') : undefined;
}

/** The Express setting (`app.set`) that holds the Retry-After seconds sent with every 503. */
export const RETRY_AFTER_SETTING = 'retry-after seconds';

/** Classifies an error and logs what the caller must not see (an unexpected error, a value the database refused). */
export function classifyAndLog(err: unknown, req: Request, logger: Logger): ClassifiedError {
  const c = classifyError(err);
  if (c.unexpected || c.logged) {
    const e = err as { name?: string; code?: unknown; message?: unknown };
    const entry = {
      msg: c.unexpected ? 'Unexpected error' : 'Refused by the database',
      requestId: (req as { id?: unknown }).id,
      errorName: e?.name,
      errorCode: typeof e?.code === 'string' ? e.code : undefined,
      errorMessage: typeof e?.message === 'string' ? e.message.slice(0, 300) : undefined,
      where: origin(err),
    };
    if (c.unexpected) logger.error(entry);
    else logger.warn(entry);
  }
  return c;
}

/** Writes any error as a FHIR OperationOutcome with the matching status. Used by Nest and by raw Express. */
export function writeError(err: unknown, req: Request, res: Response, logger: Logger): void {
  const c = classifyAndLog(err, req, logger);
  if (res.headersSent) return;
  // A shed or unavailable request may be sent again as it was: say when (RFC 9110 §10.2.3).
  if (c.status === 503) res.setHeader('Retry-After', String(req.app?.get(RETRY_AFTER_SETTING) ?? 5));
  res
    .status(c.status)
    .type('application/fhir+json')
    .json(operationOutcome(c.issueType, c.code, c.message, c.issues, c.unexpected ? 'fatal' : 'error'));
}

@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  /**
   * The audit log's port (provided by the audit module); absent where no audit log is mounted. The page a browser
   * gets instead of an OperationOutcome (the smart module's, for /smart/*); absent where no module offers one.
   */
  constructor(
    @Optional() private readonly audit?: RefusalAudit,
    @Optional() private readonly page?: ErrorPage,
  ) {}

  async catch(err: unknown, host: ArgumentsHost): Promise<void> {
    const http = host.switchToHttp();
    const req = http.getRequest<Request & { user?: SessionUser; id?: string }>();
    await this.auditRefusal(err, req);
    const res = http.getResponse<Response>();
    if (!res.headersSent && this.page?.send(err, req, res, this.logger)) return;
    writeError(err, req, res, this.logger);
  }

  /**
   * A refusal raised inside a service (for example a patient outside the user's context) is audited here, unless it
   * is already in the log (the guard's, or a refused read the audit interceptor wrote as that read, denied).
   */
  private async auditRefusal(err: unknown, req: Request & { user?: SessionUser; id?: string }): Promise<void> {
    if (!this.audit || !(err instanceof DomainError) || err.audited || !err.code.startsWith('AUTH.')) return;
    err.audited = true;
    try {
      await this.audit.record({
        actor: req.user?.fhirUser ?? null,
        actorRole: req.user?.role ?? null,
        // The patient whose data was asked for (a refused write for another patient names them), else the session's.
        patientId: err.patientId ?? req.user?.patientId ?? null,
        requestId: req.id ?? null,
        reason: err.code,
        method: req.method,
        route: (req.route as { path?: string } | undefined)?.path ?? null,
      });
    } catch (e) {
      this.logger.error({ msg: 'Could not audit a refusal', requestId: req.id, errorName: (e as Error).name });
    }
  }
}
