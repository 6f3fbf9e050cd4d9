import { Controller, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { z } from 'zod';
import { AuditRead } from '../../audit/audit-read.decorator.js';
import { CurrentUser } from '../../common/auth/current-user.decorator.js';
import { Roles } from '../../common/auth/roles.decorator.js';
import type { SessionUser } from '../../common/auth/session-user.js';
import { ZodQuery } from '../../common/http/zod-params.js';
import { ANSWER_MODES, SUBJECT_REFERENCE } from '../questionnaire.vocabulary.js';
import { PopulateService } from './populate.service.js';

const populateQuery = z
  .object({
    version: z.string().min(1).max(64).optional().meta({ example: '1.0.0' }),
    subject: z.string().regex(SUBJECT_REFERENCE).optional().meta({ description: 'Whom the response is about; defaults to the patient in context', example: 'Patient/pat-1042' }),
    mode: z.enum(ANSWER_MODES).optional(),
  })
  .strict();

/** SDC pre-population. `$` is a plain character in an Express 5 route (path-to-regexp 8): matched literally. */
@ApiTags('questionnaires')
@Controller('api/questionnaires')
export class PopulateController {
  constructor(private readonly populate: PopulateService) {}

  @Post(':id/$populate')
  @Roles('clinician', 'patient', 'caregiver')
  @HttpCode(200)
  @ApiOperation({ summary: "SDC $populate: a new response pre-filled from the EHR (the form's launchContext and initialExpression), nothing stored; FHIR Parameters { response, issues }" })
  // The answers come from the patient's (and the user's) EHR records: a read of that patient's data.
  @AuditRead('questionnaire.populate', { resourceType: 'Questionnaire', idParam: 'id', patients: ['session'] })
  async run(@Param('id') id: string, @ZodQuery(populateQuery) query: z.infer<typeof populateQuery>, @CurrentUser() user: SessionUser, @Res({ passthrough: true }) res: Response) {
    const out = await this.populate.populate(user, { id, ...query });
    res.type('application/fhir+json');
    return out;
  }
}
