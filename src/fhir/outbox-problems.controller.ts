import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuditRead } from '../audit/audit-read.decorator.js';
import { CurrentUser } from '../common/auth/current-user.decorator.js';
import { patientScope } from '../common/auth/patient-access.js';
import { Roles } from '../common/auth/roles.decorator.js';
import type { SessionUser } from '../common/auth/session-user.js';
import { OutboxService, patientsOfError } from './outbox.service.js';

/** Each entry's patient, and every patient the EHR's answer names (a cohort's entry has no patient key). */
const problemPatients = (rows: Parameters<typeof patientsOfError>[0][]) => {
  const out = new Set<string>();
  for (const r of rows) patientsOfError(r, out);
  return out;
};

/** Coordinators see what their EHR refused for good, to fix it with the EHR team; only admins retry. */
@ApiTags('write-back')
@Controller('api/outbox/problems')
export class OutboxProblemsController {
  constructor(private readonly outbox: OutboxService) {}

  @Get()
  @Roles('coordinator', 'admin')
  @ApiOperation({ summary: "Dead write-back entries of the user's EHR (patient, kind, the EHR's answer; no Bundle)" })
  @AuditRead('outbox.search', { resourceType: 'OutboxEntry', patients: [{ result: problemPatients }], detail: { count: true } })
  list(@CurrentUser() user: SessionUser) {
    return this.outbox.problems(user.registrationId, user.role === 'admin' ? undefined : patientScope(user));
  }
}
