import { Body, Controller, Get, Param, Patch, Post, Query, Req } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { CurrentUser } from '../../common/auth/current-user.decorator.js';
import { Roles } from '../../common/auth/roles.decorator.js';
import type { SessionUser } from '../../common/auth/session-user.js';
import { parseBody } from '../../common/http/parse-body.js';
import { actorOf } from '../shared/actor.js';
import { cohortInput, cohortListQuery, sessionPatch } from './cohort.schema.js';
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
  async create(@Body() body: unknown, @CurrentUser() user: SessionUser, @Req() req: Request) {
    return this.cohorts.create(parseBody(cohortInput, body), actorOf(user, req));
  }

  @Get()
  @Roles('coordinator', 'clinician', 'quality', 'admin')
  @ApiOperation({ summary: 'Cohorts (?program=) with seats taken and left (no participant data; quality uses it to filter reports)' })
  async list(@Query() query: unknown, @CurrentUser() user: SessionUser, @Req() req: Request) {
    return this.cohorts.list(parseBody(cohortListQuery, query).program, actorOf(user, req));
  }

  @Get(':id')
  @Roles('coordinator', 'clinician')
  async get(@Param('id') id: string, @CurrentUser() user: SessionUser, @Req() req: Request) {
    return this.cohorts.get(id, actorOf(user, req));
  }

  @Get(':id/sessions')
  @Roles('coordinator', 'clinician')
  @ApiOperation({ summary: "A cohort's sessions, times with the cohort zone's offset" })
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
  async update(@Param('id') id: string, @Body() body: unknown, @CurrentUser() user: SessionUser, @Req() req: Request) {
    return this.sessions.update(id, parseBody(sessionPatch, body), actorOf(user, req));
  }
}
