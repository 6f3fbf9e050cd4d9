import { Controller, Get, Header, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiConsumes, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { NoPatientData } from '../../audit/audit-read.decorator.js';
import { CurrentUser } from '../../common/auth/current-user.decorator.js';
import { ROLES } from '../../common/auth/roles.js';
import { Roles } from '../../common/auth/roles.decorator.js';
import type { SessionUser } from '../../common/auth/session-user.js';
import { FhirBody, ZodQuery } from '../../common/http/zod-params.js';
import { questionnaireImportBody } from './questionnaire-import.schema.js';
import { QuestionnairesService } from './questionnaires.service.js';

const FHIR_JSON = 'application/fhir+json';
const getQuery = z.object({ version: z.string().min(1).max(64).optional().meta({ example: '1.0.0' }) }).strict();

/**
 * The instrument library of the signed-in clinic. Any signed-in role may read it (a form is not PHI);
 * only an admin imports.
 */
@ApiTags('questionnaires')
@Controller('api/questionnaires')
export class QuestionnairesController {
  constructor(private readonly questionnaires: QuestionnairesService) {}

  @Get()
  @Roles(...ROLES)
  @ApiOperation({ summary: 'Built-in and imported questionnaire versions, with their score and safety-rule metadata' })
  @ApiOkResponse({ description: 'The versions, as JSON (an array of summaries)' })
  @NoPatientData('the instrument library')
  async list(@CurrentUser() user: SessionUser, @Res({ passthrough: true }) res: Response): Promise<string> {
    // Sent as the text serialised once per library content (QuestionnairesService.listJson), not re-serialised.
    res.type('application/json');
    return this.questionnaires.listJson(user.registrationId);
  }

  @Get(':id')
  @Roles(...ROLES)
  @Header('Content-Type', FHIR_JSON)
  @ApiOperation({ summary: 'One FHIR Questionnaire, by slug (phq-9) or url-encoded canonical (url or url|version)' })
  @NoPatientData('the instrument library')
  get(@Param('id') id: string, @ZodQuery(getQuery) { version }: z.infer<typeof getQuery>, @CurrentUser() user: SessionUser) {
    return this.questionnaires.get(user.registrationId, id, version);
  }

  @Post()
  @Roles('admin')
  @HttpCode(201)
  @ApiOperation({ summary: "Import a clinic's own Questionnaire version (200 when the identical version exists, 409 when it differs)" })
  @ApiConsumes('application/json', 'application/fhir+json')
  async import(@FhirBody(questionnaireImportBody) body: unknown, @CurrentUser() user: SessionUser, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const { created, summary } = await this.questionnaires.import(body, {
      registrationId: user.registrationId,
      actor: user.fhirUser,
      actorRole: user.role,
      requestId: (req as { id?: string }).id ?? null,
    });
    if (!created) res.status(200);
    return summary;
  }
}
