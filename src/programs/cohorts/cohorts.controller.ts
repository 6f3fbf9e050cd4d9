import { Controller, Get, Headers, Param, Patch, Post, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { NoPatientData } from '../../audit/audit-read.decorator.js';
import { CurrentUser } from '../../common/auth/current-user.decorator.js';
import { Roles } from '../../common/auth/roles.decorator.js';
import type { SessionUser } from '../../common/auth/session-user.js';
import { ZodBody, ZodQuery } from '../../common/http/zod-params.js';
import { actorOf } from '../shared/actor.js';
import { ifMatchTags, weakEtag } from '../shared/precondition.js';
import { cohortInput, cohortListQuery, sessionPatch, type CohortInput, type CohortListQuery, type SessionPatch } from './cohort.schema.js';
import { CohortsService } from './cohorts.service.js';
import { SessionsService } from './sessions.service.js';

/** Cohorts and their sessions. No participant is listed here (that is patient-level data, under /api/enrolments). */
@ApiTags('programs')
@Controller('api/cohorts')
export class CohortsController {
  constructor(private readonly cohorts: CohortsService) {}

  @Post()
  @Roles('coordinator')
  @ApiOperation({ summary: 'Create a cohort of a group course; its sessions are generated (DST-correct local times)' })
  async create(@ZodBody(cohortInput) body: CohortInput, @CurrentUser() user: SessionUser, @Req() req: Request) {
    return this.cohorts.create(body, actorOf(user, req));
  }

  @Get()
  @Roles('coordinator', 'clinician', 'quality', 'admin')
  @ApiOperation({ summary: 'Cohorts (?program=) with seats taken and left (no participant data; quality uses it to filter reports)' })
  @NoPatientData('a cohort without its participants: seats and sessions (its roster is GET /api/enrolments?cohortId=)')
  async list(@ZodQuery(cohortListQuery) query: CohortListQuery, @CurrentUser() user: SessionUser, @Req() req: Request) {
    return this.cohorts.list(query.program, actorOf(user, req));
  }

  @Get(':id')
  @Roles('coordinator', 'clinician')
  @NoPatientData('a cohort without its participants: seats and sessions (its roster is GET /api/enrolments?cohortId=)')
  async get(@Param('id') id: string, @CurrentUser() user: SessionUser, @Req() req: Request) {
    return this.cohorts.get(id, actorOf(user, req));
  }

  @Get(':id/sessions')
  @Roles('coordinator', 'clinician')
  @ApiOperation({ summary: "A cohort's sessions, times with the cohort zone's offset" })
  @NoPatientData('a cohort without its participants: seats and sessions (its roster is GET /api/enrolments?cohortId=)')
  async sessions(@Param('id') id: string, @CurrentUser() user: SessionUser, @Req() req: Request) {
    return this.cohorts.sessions(id, actorOf(user, req));
  }
}

@ApiTags('programs')
@Controller('api/sessions')
export class SessionsController {
  constructor(private readonly sessions: SessionsService) {}

  @Patch(':id')
  @Roles('coordinator')
  @ApiOperation({ summary: 'Move {startsAt, durationMinutes}, re-assign {facilitator} or cancel {status: cancelled, cancelReason} one session' })
  @ApiHeader({ name: 'If-Match', required: false, description: 'W/"<revision>" of the session as read (its `revision`); 412 if it changed since' })
  async update(
    @Param('id') id: string,
    @ZodBody(sessionPatch) body: SessionPatch,
    @Headers('if-match') ifMatch: string | undefined,
    @CurrentUser() user: SessionUser,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    const session = await this.sessions.update(id, body, actorOf(user, req), ifMatchTags(ifMatch));
    if (session.revision !== undefined) res.setHeader('ETag', weakEtag(session.revision));
    return session;
  }
}
