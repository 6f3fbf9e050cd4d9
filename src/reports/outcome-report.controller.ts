import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { pipeline } from 'node:stream/promises';
import { CurrentUser } from '../common/auth/current-user.decorator.js';
import { Roles } from '../common/auth/roles.decorator.js';
import type { SessionUser } from '../common/auth/session-user.js';
import { parseBody } from '../common/http/parse-body.js';
import { OutcomeExportService } from './outcome-export.service.js';
import { ANSWER_MODES, filtersOf, outcomeQuerySchema, PARTICIPANT_TYPES, REPORT_FORMATS } from './outcome-filters.js';

/** Outcome reports for the clinic of the signed-in quality or admin user: de-identified in every format. */
@ApiTags('reports')
@Controller('api/reports')
@Roles('quality', 'admin')
export class OutcomeReportController {
  constructor(private readonly exports: OutcomeExportService) {}

  @Get('outcomes')
  @ApiOperation({ summary: 'Outcome report (funnel, retention, attendance, pre/post change) as JSON, CSV, FHIR MeasureReport or HTML' })
  @ApiQuery({ name: 'program', required: true, description: 'program slug' })
  @ApiQuery({ name: 'version', required: false })
  @ApiQuery({ name: 'cohort', required: false, description: 'cohort id' })
  @ApiQuery({ name: 'from', required: false, description: 'first referral date, YYYY-MM-DD' })
  @ApiQuery({ name: 'to', required: false, description: 'last referral date, YYYY-MM-DD' })
  @ApiQuery({ name: 'participantType', required: false, enum: PARTICIPANT_TYPES })
  @ApiQuery({ name: 'answerMode', required: false, enum: ANSWER_MODES })
  @ApiQuery({ name: 'format', required: false, enum: REPORT_FORMATS })
  @ApiProduces('application/json', 'text/csv', 'application/fhir+json', 'text/html')
  async outcomes(@Query() query: unknown, @CurrentUser() user: SessionUser, @Req() req: Request, @Res() res: Response): Promise<void> {
    const q = parseBody(outcomeQuerySchema, query);
    const filters = filtersOf(q, user.registrationId);
    const result = await this.exports.export(q.format, filters, { actor: user.fhirUser, actorRole: user.role, requestId: (req as { id?: string }).id ?? null });
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
