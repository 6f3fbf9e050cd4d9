import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { pipeline } from 'node:stream/promises';
import { NoPatientData } from '../audit/audit-read.decorator.js';
import { CurrentUser } from '../common/auth/current-user.decorator.js';
import { Roles } from '../common/auth/roles.decorator.js';
import type { SessionUser } from '../common/auth/session-user.js';
import type { IdentifiedRequest } from '../common/http/request-id.js';
import { ZodQuery } from '../common/http/zod-params.js';
import { OutcomeExportService } from './outcome-export.service.js';
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
    const filters = filtersOf(q, user.registrationId);
    const result = await this.exports.export(q.format, filters, {
      actor: user.fhirUser,
      actorRole: user.role,
      requestId: (req as IdentifiedRequest).id ?? null,
      correlationId: (req as IdentifiedRequest).correlationId ?? null,
    });
    res.setHeader('Cache-Control', 'no-store');
    if (result.kind === 'document') {
      res.status(200).type(result.contentType).send(result.body);
      return;
    }
    const day = new Date().toISOString().slice(0, 10);
    res.status(200).type(result.contentType);
    res.setHeader('Content-Disposition', `attachment; filename="outcomes-${q.program}-${day}.csv"`);
    res.setHeader('X-Report-Rows', String(result.rows));
    // A failure mid-stream cannot become an OperationOutcome any more: pipeline ends the response.
    await pipeline(result.stream, res).catch(() => undefined);
  }
}
