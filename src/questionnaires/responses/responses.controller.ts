import { Body, Controller, Get, Headers, Param, ParseUUIDPipe, Post, Put, Query, Req, Res } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentUser } from '../../common/auth/current-user.decorator.js';
import { Roles } from '../../common/auth/roles.decorator.js';
import type { SessionUser } from '../../common/auth/session-user.js';
import { parseBody } from '../../common/http/parse-body.js';
import { ANSWER_MODES, RESPONSE_STATUSES } from '../questionnaire.vocabulary.js';
import { etagOf, expectedVersion, readResponseBody, responseQuery, searchQuery } from './response-request.js';
import { ResponseSearch } from './response-search.js';
import { saveView, searchsetOf, type SaveView } from './response-views.js';
import { ResponsesService, type Caller } from './responses.service.js';
import type { SaveResult } from './response-writer.js';

const FHIR_JSON = 'application/fhir+json';
const ANSWERERS = ['clinician', 'patient', 'caregiver'] as const;
const updateQuery = responseQuery.omit({ assignment: true });

function caller(user: SessionUser, req: Request): Caller {
  return { user, requestId: (req as { id?: string }).id ?? null };
}

function answer(res: Response, saved: SaveResult): SaveView {
  res.setHeader('ETag', etagOf(saved.row.version));
  return saveView(saved.row, saved.scores, saved.alerts, saved.safetyMessage);
}

/** Answers as FHIR QuestionnaireResponse JSON in and out. Quality, admin and coordinators never see them. */
@ApiTags('questionnaires')
@Controller('api/questionnaire-responses')
@Roles(...ANSWERERS)
export class ResponsesController {
  constructor(
    private readonly responses: ResponsesService,
    private readonly searcher: ResponseSearch,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Start a draft (status in-progress) or submit (status completed); 400 OperationOutcome with an issue per item when invalid' })
  @ApiQuery({ name: 'mode', required: false, enum: ANSWER_MODES })
  @ApiQuery({ name: 'assignment', required: false, description: 'The due form (questionnaire assignment id) this answers' })
  @ApiBody({ description: 'A FHIR QuestionnaireResponse naming questionnaire url|version, subject and status' })
  async create(@Body() body: unknown, @Query() raw: Record<string, unknown>, @CurrentUser() user: SessionUser, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const saved = await this.responses.create(caller(user, req), readResponseBody(body), parseBody(responseQuery, raw));
    res.status(201).setHeader('Location', `/api/questionnaire-responses/${saved.row.id}`);
    return answer(res, saved);
  }

  @Put(':id')
  @ApiOperation({ summary: 'Save a draft again, submit it (completed) or amend a submitted response; 409 on a stale version' })
  @ApiHeader({ name: 'If-Match', required: false, description: 'W/"<version>" as read (or meta.versionId in the body)' })
  @ApiQuery({ name: 'mode', required: false, enum: ANSWER_MODES })
  async update(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: unknown,
    @Headers('if-match') ifMatch: string | undefined,
    @Query() raw: Record<string, unknown>,
    @CurrentUser() user: SessionUser,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    const input = readResponseBody(body);
    const saved = await this.responses.update(caller(user, req), id, input, expectedVersion(ifMatch, input), parseBody(updateQuery, raw));
    return answer(res, saved);
  }

  @Get()
  @ApiOperation({ summary: 'Responses the caller may see, as a FHIR searchset Bundle (newest first)' })
  @ApiQuery({ name: 'patient', required: false })
  @ApiQuery({ name: 'status', required: false, enum: RESPONSE_STATUSES })
  @ApiQuery({ name: 'questionnaire', required: false, description: 'url or url|version' })
  async search(@Query() raw: Record<string, unknown>, @CurrentUser() user: SessionUser, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const rows = await this.searcher.search(caller(user, req), parseBody(searchQuery, raw));
    res.type(FHIR_JSON);
    return searchsetOf(rows);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One FHIR QuestionnaireResponse (scores in its calculated items), with its ETag' })
  async get(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() user: SessionUser, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const row = await this.responses.get(caller(user, req), id);
    res.type(FHIR_JSON).setHeader('ETag', etagOf(row.version));
    return row.resource;
  }
}
