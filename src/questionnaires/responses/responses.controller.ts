import { Controller, Get, Headers, Param, ParseUUIDPipe, Post, Put, Req, Res } from '@nestjs/common';
import { ApiConsumes, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AuditRead } from '../../audit/audit-read.decorator.js';
import { CurrentUser } from '../../common/auth/current-user.decorator.js';
import { Roles } from '../../common/auth/roles.decorator.js';
import type { SessionUser } from '../../common/auth/session-user.js';
import { FhirBody, ZodQuery } from '../../common/http/zod-params.js';
import {
  etagOf,
  expectedVersion,
  questionnaireResponseBody,
  readResponseBody,
  responseQuery,
  searchQuery,
  type Caller,
  type ResponseQuery,
  type SearchQuery,
} from './response-request.js';
import { ReadResponsesService } from './read-responses.service.js';
import { saveView, searchsetOf, type SaveView } from './response-views.js';
import { SaveResponseService, type SaveResult } from './save-response.service.js';

const FHIR_JSON = 'application/fhir+json';
const ANSWERERS = ['clinician', 'patient', 'caregiver'] as const;
const updateQuery = responseQuery.omit({ assignment: true });

function caller(user: SessionUser, req: Request): Caller {
  return { user, requestId: (req as { id?: string }).id ?? null };
}

function answer(res: Response, saved: SaveResult): SaveView {
  res.setHeader('ETag', etagOf(saved.row.version));
  return saveView(saved.row, saved.scores, saved.alerts, saved.safetyMessage, saved.safetyMessages);
}

/** Answers as FHIR QuestionnaireResponse JSON in and out. Quality, admin and coordinators never see them. */
@ApiTags('questionnaires')
@Controller('api/questionnaire-responses')
@Roles(...ANSWERERS)
export class ResponsesController {
  constructor(
    private readonly saving: SaveResponseService,
    private readonly reading: ReadResponsesService,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Start a draft (status in-progress) or submit (status completed); 400 OperationOutcome with an issue per item when invalid' })
  @ApiConsumes('application/fhir+json', 'application/json')
  async create(
    @FhirBody(questionnaireResponseBody) body: unknown,
    @ZodQuery(responseQuery) query: ResponseQuery,
    @CurrentUser() user: SessionUser,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    const saved = await this.saving.create(caller(user, req), readResponseBody(body), query);
    res.status(201).setHeader('Location', `/api/questionnaire-responses/${saved.row.id}`);
    return answer(res, saved);
  }

  @Put(':id')
  @ApiOperation({ summary: 'Save a draft again, submit it (completed) or amend a submitted response; 409 on a stale version' })
  @ApiHeader({ name: 'If-Match', required: false, description: 'W/"<version>" as read (or meta.versionId in the body)' })
  @ApiConsumes('application/fhir+json', 'application/json')
  async update(
    @Param('id', ParseUUIDPipe) id: string,
    @FhirBody(questionnaireResponseBody) body: unknown,
    @Headers('if-match') ifMatch: string | undefined,
    @ZodQuery(updateQuery) query: ResponseQuery,
    @CurrentUser() user: SessionUser,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    const input = readResponseBody(body);
    const saved = await this.saving.update(caller(user, req), id, input, expectedVersion(ifMatch, input), query);
    return answer(res, saved);
  }

  @Get()
  @ApiOperation({ summary: 'Responses the caller may see, as a FHIR searchset Bundle (newest first)' })
  // Only the session's patient's responses are ever visible (response-access.rules.ts): theirs is the data read.
  @AuditRead('questionnaire-response.search', {
    resourceType: 'QuestionnaireResponse',
    patients: ['session', { query: 'patient' }],
    detail: { count: true, query: ['status'] },
  })
  async search(@ZodQuery(searchQuery) query: SearchQuery, @CurrentUser() user: SessionUser, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const rows = await this.reading.search(caller(user, req), query);
    res.type(FHIR_JSON);
    return searchsetOf(rows);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One FHIR QuestionnaireResponse (scores in its calculated items), with its ETag' })
  @AuditRead('questionnaire-response.read', { resourceType: 'QuestionnaireResponse', idParam: 'id', patients: ['session'] })
  async get(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() user: SessionUser, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const row = await this.reading.get(caller(user, req), id);
    res.type(FHIR_JSON).setHeader('ETag', etagOf(row.version));
    return row.resource;
  }
}
