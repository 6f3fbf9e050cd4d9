import { Controller, HttpCode, Param, ParseUUIDPipe, Post, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AuditRead } from '../../audit/audit-read.decorator.js';
import { CurrentUser } from '../../common/auth/current-user.decorator.js';
import { Roles } from '../../common/auth/roles.decorator.js';
import type { SessionUser } from '../../common/auth/session-user.js';
import { ResponseExtract } from './response-extract.service.js';

/**
 * SDC `$extract` on a stored response. A POST as SDC defines the operation, yet it changes nothing: it is audited
 * as a read of the response, and only who may read the response may run it. `$` is a plain character in an
 * Express 5 route (path-to-regexp 8): `:id` ends at the `/`, `$extract` is matched literally.
 */
@ApiTags('questionnaires')
@Controller('api/questionnaire-responses')
@Roles('clinician', 'patient', 'caregiver')
export class ResponseExtractController {
  constructor(private readonly extract: ResponseExtract) {}

  @Post(':id/$extract')
  @HttpCode(200)
  @ApiOperation({ summary: 'SDC $extract: the transaction Bundle this submitted response is written to the EHR as (QR, extracted Observations, Task, Provenance); nothing is written' })
  @AuditRead('questionnaire-response.extract', { resourceType: 'QuestionnaireResponse', idParam: 'id', patients: ['session'] })
  async run(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() user: SessionUser, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const bundle = await this.extract.bundle({ user, requestId: (req as { id?: string }).id ?? null }, id);
    res.type('application/fhir+json');
    return bundle;
  }
}
