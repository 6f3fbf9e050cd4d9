import { Controller, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { AuditRead } from '../../audit/audit-read.decorator.js';
import { CurrentUser } from '../../common/auth/current-user.decorator.js';
import { Roles } from '../../common/auth/roles.decorator.js';
import type { SessionUser } from '../../common/auth/session-user.js';
import { ZodBody, ZodQuery } from '../../common/http/zod-params.js';
import { actorOf } from '../shared/actor.js';
import { ReferPatientService } from './refer-patient.service.js';
import { ReferralQueries } from './referral.queries.js';
import {
  acceptInput,
  decisionInput,
  referralInput,
  referralWithdrawInput,
  screeningInput,
  worklistQuery,
  type AcceptInput,
  type DecisionInput,
  type ReferralInput,
  type ReferralWithdrawInput,
  type ScreeningInput,
  type WorklistQuery,
} from './referral.schema.js';
import { ScreenReferralService } from './screen-referral.service.js';

/** Referrals and the coordinator's worklist. Every call is checked against the patient (assertCanAccessPatient). */
@ApiTags('programs')
@Controller('api/referrals')
export class ReferralsController {
  constructor(
    private readonly refer: ReferPatientService,
    private readonly screening: ScreenReferralService,
    private readonly queries: ReferralQueries,
  ) {}

  @Post()
  @Roles('clinician', 'coordinator')
  @ApiOperation({ summary: 'Refer a patient (and caregivers) to a program → ServiceRequest + Task in the EHR' })
  async create(@ZodBody(referralInput) body: ReferralInput, @CurrentUser() user: SessionUser, @Req() req: Request) {
    return this.refer.refer(body, actorOf(user, req));
  }

  @Get()
  @Roles('clinician', 'coordinator')
  @ApiOperation({ summary: 'Worklist: referrals by status (?status=&patientId=&program=); a clinician sees the patient in context only' })
  @AuditRead('referral.search', { resourceType: 'ServiceRequest', patients: [{ query: 'patientId' }, { result: 'patientId' }] })
  async worklist(@ZodQuery(worklistQuery) query: WorklistQuery, @CurrentUser() user: SessionUser, @Req() req: Request) {
    return this.queries.worklist(query, actorOf(user, req));
  }

  @Get(':id')
  @Roles('clinician', 'coordinator')
  @AuditRead('referral.read', { resourceType: 'ServiceRequest', idParam: 'id', patients: [{ result: 'patientId' }] })
  async get(@Param('id') id: string, @CurrentUser() user: SessionUser, @Req() req: Request) {
    return this.queries.get(id, actorOf(user, req));
  }

  @Post(':id/screen')
  @HttpCode(200)
  @Roles('coordinator')
  @ApiOperation({ summary: "Screen against the program's eligibility checklist, with consent {answers, consent: {given, date, method}}" })
  async screen(@Param('id') id: string, @ZodBody(screeningInput) body: ScreeningInput, @CurrentUser() user: SessionUser, @Req() req: Request) {
    return this.screening.screen(id, body, actorOf(user, req));
  }

  @Post(':id/accept')
  @HttpCode(200)
  @Roles('coordinator')
  @ApiOperation({ summary: 'Accept a screened, eligible referral {reason?}' })
  async accept(@Param('id') id: string, @ZodBody(acceptInput, { absentAs: {} }) body: AcceptInput, @CurrentUser() user: SessionUser, @Req() req: Request) {
    return this.screening.accept(id, body.reason, actorOf(user, req));
  }

  @Post(':id/decline')
  @HttpCode(200)
  @Roles('coordinator')
  @ApiOperation({ summary: 'Decline a referral {reason}' })
  async decline(@Param('id') id: string, @ZodBody(decisionInput) body: DecisionInput, @CurrentUser() user: SessionUser, @Req() req: Request) {
    return this.screening.decline(id, body.reason, actorOf(user, req));
  }

  @Post(':id/withdraw')
  @HttpCode(200)
  @Roles('coordinator')
  @ApiOperation({ summary: 'The patient withdraws before enrolment {reason (coded), note?} → Task cancelled' })
  async withdraw(@Param('id') id: string, @ZodBody(referralWithdrawInput) body: ReferralWithdrawInput, @CurrentUser() user: SessionUser, @Req() req: Request) {
    return this.screening.withdraw(id, body, actorOf(user, req));
  }
}
