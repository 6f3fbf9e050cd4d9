import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Req } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { z } from 'zod';
import { AuditRead } from '../../audit/audit-read.decorator.js';
import { CurrentUser } from '../../common/auth/current-user.decorator.js';
import { Roles } from '../../common/auth/roles.decorator.js';
import type { SessionUser } from '../../common/auth/session-user.js';
import { ZodBody, ZodQuery } from '../../common/http/zod-params.js';
import { ALERT_STATUSES, FOLLOW_UP_ACTIONS } from '../questionnaire.vocabulary.js';
import { SafetyService } from './safety.service.js';
import { FHIR_ID } from '../../fhir/ids.js';

const listQuery = z
  .object({
    status: z.enum(ALERT_STATUSES).optional(),
    patient: z.string().regex(FHIR_ID, 'must be a Patient id').optional().meta({ example: 'pat-1042' }),
    escalated: z.enum(['true', 'false']).transform((v) => v === 'true').optional().meta({ description: 'true: only the escalated ones' }),
  })
  .strict();
// Both are required: a safety follow-up is a clinical record, never a click (the app also asks to confirm first).
const followUpBody = z
  .object({
    action: z.enum(FOLLOW_UP_ACTIONS, { error: `choose what was done: one of ${FOLLOW_UP_ACTIONS.join(', ')}` }),
    note: z.string({ error: 'a note saying what was done and found is required' }).trim().min(1, 'a note saying what was done and found is required').max(2000),
  })
  .strict()
  .meta({ example: { action: 'risk-assessed', note: 'Called the patient the same day: no plan or intent; safety plan reviewed with her husband.' } });

@ApiTags('questionnaires')
@Controller('api/alerts')
export class AlertsController {
  constructor(private readonly safety: SafetyService) {}

  @Get()
  @Roles('clinician', 'coordinator')
  @ApiOperation({ summary: 'Safety alerts, newest first: the patient in context for clinicians, the clinic for coordinators; escalated=true for the escalated ones' })
  @AuditRead('safety-alert.search', { resourceType: 'SafetyAlert', patients: [{ query: 'patient' }, { result: 'patientId' }] })
  list(@ZodQuery(listQuery) query: z.infer<typeof listQuery>, @CurrentUser() user: SessionUser) {
    return this.safety.list(user, query);
  }

  @Post(':id/follow-up')
  @Roles('clinician')
  @HttpCode(200)
  @ApiOperation({ summary: 'Record the follow-up of a safety alert {action, note} (both required): closes it and completes its EHR Task(s)' })
  followUp(@Param('id', ParseUUIDPipe) id: string, @ZodBody(followUpBody) body: z.infer<typeof followUpBody>, @CurrentUser() user: SessionUser, @Req() req: Request) {
    return this.safety.followUp(user, id, body, (req as { id?: string }).id ?? null);
  }
}
