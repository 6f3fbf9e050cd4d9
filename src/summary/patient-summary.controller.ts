import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { z } from 'zod';
import { AuditRead } from '../audit/audit-read.decorator.js';
import { CurrentUser } from '../common/auth/current-user.decorator.js';
import { assertCanAccessPatient } from '../common/auth/patient-access.js';
import { Roles } from '../common/auth/roles.decorator.js';
import type { SessionUser } from '../common/auth/session-user.js';
import { DomainError } from '../common/errors/domain-error.js';
import { ZodQuery } from '../common/http/zod-params.js';
import { FHIR_ID } from '../fhir/ids.js';
import { summaryText } from './patient-summary.js';
import { PatientSummaryService } from './patient-summary.service.js';

const summaryQuery = z
  .object({
    format: z.enum(['json', 'text']).default('json').meta({ description: '`text`: plain text to paste into a note; `json` (default): the same facts as data', example: 'text' }),
  })
  .strict();

@ApiTags('patients')
@Controller('api/patients')
export class PatientSummaryController {
  constructor(private readonly summaries: PatientSummaryService) {}

  /** A short summary for the clinician's note: program status, attendance, latest scores with bands and change, open alerts. */
  @Get(':id/summary')
  @Roles('clinician', 'coordinator')
  @ApiOperation({ summary: "A patient's summary for a clinical note (?format=text for plain text, json by default)" })
  @ApiProduces('application/json', 'text/plain')
  @AuditRead('patient-summary.read', { resourceType: 'Patient', idParam: 'id', patients: [{ param: 'id' }], detail: { query: ['format'] } })
  async summary(@Param('id') id: string, @ZodQuery(summaryQuery) q: z.infer<typeof summaryQuery>, @CurrentUser() user: SessionUser, @Res({ passthrough: true }) res: Response) {
    if (!FHIR_ID.test(id)) throw new DomainError('COMMON.VALIDATION', 'Not a FHIR id.');
    assertCanAccessPatient(user, id);
    const summary = await this.summaries.summary(user, id);
    res.setHeader('Cache-Control', 'no-store');
    if (q.format === 'text') {
      res.type('text/plain; charset=utf-8');
      return summaryText(summary);
    }
    return summary;
  }
}
