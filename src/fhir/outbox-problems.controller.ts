import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuditRead } from '../audit/audit-read.decorator.js';
import { CurrentUser } from '../common/auth/current-user.decorator.js';
import { patientScope } from '../common/auth/patient-access.js';
import { Roles } from '../common/auth/roles.decorator.js';
import type { SessionUser } from '../common/auth/session-user.js';
import { OutboxService } from './outbox.service.js';

/** Coordinators see what their EHR refused for good, to fix it with the EHR team; only admins retry. */
@ApiTags('write-back')
@Controller('api/outbox/problems')
export class OutboxProblemsController {
  constructor(private readonly outbox: OutboxService) {}

  @Get()
  @Roles('coordinator', 'admin')
  @ApiOperation({ summary: "Dead write-back entries of the user's EHR (patient, kind, the EHR's answer; no Bundle)" })
  @AuditRead('outbox.search', { resourceType: 'OutboxEntry', patients: [{ result: 'patientKey' }] })
  list(@CurrentUser() user: SessionUser) {
    return this.outbox.problems(user.registrationId, user.role === 'admin' ? undefined : patientScope(user));
  }
}
