import { Body, Controller, Get, Header, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { CurrentUser } from '../../common/auth/current-user.decorator.js';
import { ROLES } from '../../common/auth/roles.js';
import { Roles } from '../../common/auth/roles.decorator.js';
import type { SessionUser } from '../../common/auth/session-user.js';
import { parseBody } from '../../common/http/parse-body.js';
import { QuestionnairesService } from './questionnaires.service.js';

const FHIR_JSON = 'application/fhir+json';
const getQuery = z.object({ version: z.string().min(1).max(64).optional() }).strict();

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
  list(@CurrentUser() user: SessionUser) {
    return this.questionnaires.list(user.registrationId);
  }

  @Get(':id')
  @Roles(...ROLES)
  @Header('Content-Type', FHIR_JSON)
  @ApiOperation({ summary: 'One FHIR Questionnaire, by slug (phq-9) or url-encoded canonical (url or url|version)' })
  @ApiQuery({ name: 'version', required: false })
  get(@Param('id') id: string, @Query() query: Record<string, unknown>, @CurrentUser() user: SessionUser) {
    const { version } = parseBody(getQuery, query);
    return this.questionnaires.get(user.registrationId, id, version);
  }

  @Post()
  @Roles('admin')
  @HttpCode(201)
  @ApiOperation({ summary: "Import a clinic's own Questionnaire version (200 when the identical version exists, 409 when it differs)" })
  @ApiBody({ description: 'A FHIR Questionnaire, or { questionnaire, scores, safetyRules }' })
  async import(@Body() body: unknown, @CurrentUser() user: SessionUser, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
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
