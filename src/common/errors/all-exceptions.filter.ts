import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { classifyError } from './classify-error.js';
import { operationOutcome } from './operation-outcome.js';

/** First stack frame as `file:line`, for the log only; the stack itself never leaves the process. */
function origin(err: unknown): string | undefined {
  const stack = err instanceof Error ? err.stack : undefined;
  const frame = stack?.split('\n').find((l) => l.trim().startsWith('at '));
  const m = frame && /\(?([^()\s]+:\d+):\d+\)?$/.exec(frame.trim());
  return m ? m[1].replace(/^.*\/(src|dist|node_modules)\//, '$1/') : undefined;
}

/** Writes any error as a FHIR OperationOutcome with the matching status. Used by Nest and by raw Express. */
export function writeError(err: unknown, req: Request, res: Response, logger: Logger): void {
  const c = classifyError(err);
  if (c.unexpected) {
    const e = err as { name?: string; code?: unknown; message?: unknown };
    logger.error({
      msg: 'Unexpected error',
      requestId: (req as { id?: unknown }).id,
      errorName: e?.name,
      errorCode: typeof e?.code === 'string' ? e.code : undefined,
      errorMessage: typeof e?.message === 'string' ? e.message.slice(0, 300) : undefined,
      where: origin(err),
    });
  }
  if (res.headersSent) return;
  res
    .status(c.status)
    .type('application/fhir+json')
    .json(operationOutcome(c.issueType, c.code, c.message, c.issues, c.unexpected ? 'fatal' : 'error'));
}

@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(err: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    writeError(err, http.getRequest<Request>(), http.getResponse<Response>(), this.logger);
  }
}
