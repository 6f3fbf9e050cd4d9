import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { finished, pipeline } from 'node:stream/promises';
import { NoPatientData } from '../audit/audit-read.decorator.js';
import { CurrentUser } from '../common/auth/current-user.decorator.js';
import { Roles } from '../common/auth/roles.decorator.js';
import type { SessionUser } from '../common/auth/session-user.js';
import { DomainError } from '../common/errors/domain-error.js';
import type { IdentifiedRequest } from '../common/http/request-id.js';
import { ZodQuery } from '../common/http/zod-params.js';
import { OutcomeExportService, type BuiltExport } from './outcome-export.service.js';
import { filtersOf, outcomeQuerySchema, type OutcomeQuery } from './outcome-filters.js';

/** Outcome reports for the clinic of the signed-in quality or admin user: de-identified in every format. */
@ApiTags('reports')
@Controller('api/reports')
@Roles('quality', 'admin')
export class OutcomeReportController {
  constructor(private readonly exports: OutcomeExportService) {}

  @Get('outcomes')
  @ApiOperation({ summary: 'Outcome report (funnel, retention, attendance, pre/post change) as JSON, CSV, FHIR MeasureReport or HTML' })
  @ApiProduces('application/json', 'text/csv', 'application/fhir+json', 'text/html')
  @NoPatientData('de-identified in every format; each export is audited as report.export')
  async outcomes(@ZodQuery(outcomeQuerySchema) q: OutcomeQuery, @CurrentUser() user: SessionUser, @Req() req: Request, @Res() res: Response): Promise<void> {
    // Express answers HEAD with this GET handler and drops the body: the whole export would run, to be audited as
    // delivered with no byte sent. Its headers (status, row count, length) exist only by running it, so HEAD is
    // refused (RFC 9110 allows a resource to refuse a method: 405 with Allow) and nothing runs or is audited.
    if (req.method === 'HEAD') {
      res.setHeader('Allow', 'GET');
      throw new DomainError('COMMON.METHOD_NOT_ALLOWED', 'The outcome report is only answered to GET.');
    }
    const filters = filtersOf(q, user.registrationId);
    let answering = false;
    const send = (built: BuiltExport): Promise<void> => {
      answering = true;
      return sendExport(built, q.program, req, res);
    };
    const who = {
      actor: user.fhirUser,
      actorRole: user.role,
      requestId: (req as IdentifiedRequest).id ?? null,
      correlationId: (req as IdentifiedRequest).correlationId ?? null,
    };
    // Audited by exportTo once the response has finished, or as failed when it did not. A refusal (bad filters, too
    // few people) comes before any byte and becomes an OperationOutcome; a failure once the answer has begun cannot:
    // it is audited, and the response was ended by it (a cut-off download).
    await this.exports.exportTo(q.format, filters, who, send).catch((err: unknown) => {
      if (!answering) throw err;
    });
  }
}

/** Writes the export as the response; resolves once it was delivered (see `deliveryOf`), rejects when it was not. */
async function sendExport(built: BuiltExport, program: string, req: Request, res: Response): Promise<void> {
  const delivery = deliveryOf(req, res);
  try {
    res.setHeader('Cache-Control', 'no-store');
    if (built.kind === 'document') {
      const sent = finished(res); // 'finish', or ERR_STREAM_PREMATURE_CLOSE on a 'close' before it
      sent.catch(() => undefined); // awaited below, in the race; never an unhandled rejection if send throws first
      res.status(200).type(built.contentType).send(built.body);
      await Promise.race([sent, delivery.gone]);
    } else {
      const day = new Date().toISOString().slice(0, 10);
      res.status(200).type(built.contentType);
      res.setHeader('Content-Disposition', `attachment; filename="outcomes-${program}-${day}.csv"`);
      res.setHeader('X-Report-Rows', String(built.rows));
      // Resolves on the response's 'finish', rejects on a 'close' before it; a failure of the rows mid-stream ends the
      // response (pipeline destroys it): it cannot become an OperationOutcome any more.
      await Promise.race([pipeline(built.stream, res), delivery.gone]);
    }
    delivery.check();
  } finally {
    delivery.release();
  }
}

/**
 * Whether the response was delivered: finished, its last byte handed to a socket still open (what the kernel's buffers
 * then hold is beyond our sight). Node also emits 'finish' for a response whose connection was reset with its last
 * bytes still queued (their write callbacks run as the socket is destroyed; Node 20), so a 'finish' on a destroyed
 * socket is no delivery. The request's socket, not the response's: a response waiting behind an earlier one on a
 * pipelined connection has no socket yet (and would be refused as gone), and if that connection dies first Node never
 * closes the waiting response, so `gone` (the connection's close) ends the wait and lets exportTo release the cursor.
 */
function deliveryOf(req: Request, res: Response): { gone: Promise<never>; check: () => void; release: () => void } {
  const socket = req.socket;
  const away = () => new Error('The client went away before the response finished.');
  if (!socket || socket.destroyed) throw away();
  let reset = false;
  res.once('finish', () => (reset = socket.destroyed));
  let onClose = () => {};
  const gone = new Promise<never>((_, reject) => {
    onClose = () => reject(away());
    socket.once('close', onClose);
  });
  gone.catch(() => undefined);
  return {
    gone,
    check: () => {
      if (reset) throw away();
    },
    release: () => socket.off('close', onClose),
  };
}
