import { Controller, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { AuditRead } from '../../audit/audit-read.decorator.js';
import { CurrentUser } from '../../common/auth/current-user.decorator.js';
import { Roles } from '../../common/auth/roles.decorator.js';
import type { SessionUser } from '../../common/auth/session-user.js';
import { ZodBody, ZodQuery } from '../../common/http/zod-params.js';
import { bookingInput, type BookingInput } from '../cohorts/cohort.schema.js';
import { SessionsService } from '../cohorts/sessions.service.js';
import { actorOf } from '../shared/actor.js';
import { CompleteEnrolmentService } from './complete-enrolment.service.js';
import { EnrolParticipantService } from './enrol-participant.service.js';
import { EnrolmentQueries } from './enrolment.queries.js';
import { enrolInput, enrolmentListQuery, withdrawInput, type EnrolInput, type EnrolmentListQuery, type WithdrawInput } from './enrolment.schema.js';
import { WithdrawEnrolmentService } from './withdraw-enrolment.service.js';

/** Enrolments: patient-level, so every call is checked against the patient (assertCanAccessPatient). */
@ApiTags('programs')
@Controller('api/enrolments')
export class EnrolmentsController {
  constructor(
    private readonly enrolling: EnrolParticipantService,
    private readonly withdrawing: WithdrawEnrolmentService,
    private readonly completing: CompleteEnrolmentService,
    private readonly sessions: SessionsService,
    private readonly queries: EnrolmentQueries,
  ) {}

  @Post()
  @Roles('coordinator', 'clinician')
  @ApiOperation({ summary: 'Enrol an accepted referral {referralId, cohortId? | facilitator?, caregivers?, startDate?} → CarePlan' })
  async enrol(@ZodBody(enrolInput) body: EnrolInput, @CurrentUser() user: SessionUser, @Req() req: Request) {
    return this.enrolling.enrol(body, actorOf(user, req));
  }

  @Get()
  @Roles('coordinator', 'clinician')
  @ApiOperation({ summary: 'Enrolments (?cohortId=&patientId=&status=); a clinician sees the patient in context only' })
  @AuditRead('enrolment.search', { resourceType: 'CarePlan', patients: [{ query: 'patientId' }, { result: 'patientId' }] })
  async list(@ZodQuery(enrolmentListQuery) query: EnrolmentListQuery, @CurrentUser() user: SessionUser, @Req() req: Request) {
    return this.queries.list(query, actorOf(user, req));
  }

  @Get(':id')
  @Roles('coordinator', 'clinician')
  @AuditRead('enrolment.read', { resourceType: 'CarePlan', idParam: 'id', patients: [{ result: 'patientId' }] })
  async get(@Param('id') id: string, @CurrentUser() user: SessionUser, @Req() req: Request) {
    return this.queries.get(id, actorOf(user, req));
  }

  @Post(':id/withdraw')
  @HttpCode(200)
  @Roles('coordinator')
  @ApiOperation({ summary: 'Withdraw {reason (coded), date, note?} → Task cancelled, CarePlan revoked' })
  async withdraw(@Param('id') id: string, @ZodBody(withdrawInput) body: WithdrawInput, @CurrentUser() user: SessionUser, @Req() req: Request) {
    return this.withdrawing.withdraw(id, body, actorOf(user, req));
  }

  @Post(':id/complete')
  @HttpCode(200)
  @Roles('coordinator')
  @ApiOperation({ summary: "Complete when the program's rule is met → Task completed, CarePlan completed" })
  async complete(@Param('id') id: string, @CurrentUser() user: SessionUser, @Req() req: Request) {
    return this.completing.complete(id, actorOf(user, req));
  }

  @Post(':id/sessions')
  @Roles('coordinator')
  @ApiOperation({ summary: 'Book an individual session {startsAt, timeZone, durationMinutes?, facilitator?} → Appointment' })
  async book(@Param('id') id: string, @ZodBody(bookingInput) body: BookingInput, @CurrentUser() user: SessionUser, @Req() req: Request) {
    return this.sessions.book(id, body, actorOf(user, req));
  }
}
