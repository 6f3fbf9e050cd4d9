import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Req } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { z } from 'zod';
import { CurrentUser } from '../../common/auth/current-user.decorator.js';
import { Roles } from '../../common/auth/roles.decorator.js';
import type { SessionUser } from '../../common/auth/session-user.js';
import { parseBody } from '../../common/http/parse-body.js';
import { ALERT_STATUSES, FOLLOW_UP_ACTIONS } from '../questionnaire.vocabulary.js';
import { SafetyService } from './safety.service.js';

const listQuery = z
  .object({
    status: z.enum(ALERT_STATUSES).optional(),
    patient: z.string().regex(/^[A-Za-z0-9\-.]{1,64}$/, 'must be a Patient id').optional(),
    escalated: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  })
  .strict();
// Both are required: a safety follow-up is a clinical record, never a click (the app also asks to confirm first).
const followUpBody = z
  .object({
    action: z.enum(FOLLOW_UP_ACTIONS, { error: `choose what was done: one of ${FOLLOW_UP_ACTIONS.join(', ')}` }),
    note: z.string({ error: 'a note saying what was done and found is required' }).trim().min(1, 'a note saying what was done and found is required').max(2000),
  })
  .strict();

@ApiTags('questionnaires')
@Controller('api/alerts')
export class AlertsController {
  constructor(private readonly safety: SafetyService) {}

  @Get()
  @Roles('clinician', 'coordinator')
  @ApiOperation({ summary: 'Safety alerts, newest first: the patient in context for clinicians, the clinic for coordinators; escalated=true for the escalated ones' })
  @ApiQuery({ name: 'status', required: false, enum: ALERT_STATUSES })
  @ApiQuery({ name: 'patient', required: false })
  @ApiQuery({ name: 'escalated', required: false, enum: ['true', 'false'] })
  list(@Query() raw: Record<string, unknown>, @CurrentUser() user: SessionUser) {
    return this.safety.list(user, parseBody(listQuery, raw));
  }

  @Post(':id/follow-up')
  @Roles('clinician')
  @HttpCode(200)
  @ApiOperation({ summary: 'Record the follow-up of a safety alert {action, note} (both required): closes it and completes its EHR Task(s)' })
  @ApiBody({ schema: { type: 'object', required: ['action', 'note'], properties: { action: { enum: [...FOLLOW_UP_ACTIONS] }, note: { type: 'string', minLength: 1, maxLength: 2000 } } } })
  followUp(@Param('id', ParseUUIDPipe) id: string, @Body() body: unknown, @CurrentUser() user: SessionUser, @Req() req: Request) {
    return this.safety.followUp(user, id, parseBody(followUpBody, body), (req as { id?: string }).id ?? null);
  }
}
