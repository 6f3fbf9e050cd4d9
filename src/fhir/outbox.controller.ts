import { Controller, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { AuditRead } from '../audit/audit-read.decorator.js';
import { patientReferencesIn, patientsNamedIn } from '../audit/patient-id.js';
import { showsPatients } from '../audit/read-patients.js';
import { CurrentUser, type AuthenticatedRequest } from '../common/auth/current-user.decorator.js';
import { Roles } from '../common/auth/roles.decorator.js';
import type { SessionUser } from '../common/auth/session-user.js';
import { ZodQuery } from '../common/http/zod-params.js';
import { outboxListQuery, parseEntryId, type OutboxListFilter } from './outbox.query.js';
import { OutboxService, type Accessor } from './outbox.service.js';
import { OutboxDetail, OutboxPage, OutboxSummary } from './outbox.views.js';

const who = (user: SessionUser, req: AuthenticatedRequest): Accessor => ({ actor: user.fhirUser, actorRole: user.role, requestId: req.id ?? null });

/**
 * The patients an entry's read shows: its ordering key when that is a patient, every patient its Bundle names (a
 * cohort's Appointment names several) and every patient the EHR's answer names.
 */
const patientsOfEntry = (d: OutboxDetail) => [d.patientKey, ...patientReferencesIn(d.bundle), ...patientsNamedIn(d.lastError)];

/**
 * The write-back queue for admins: see what is waiting or dead (and why), inspect one entry, retry a dead one.
 * `@CurrentUser()` fails closed (401) until the auth guard has put a signed-in user on the request.
 */
@ApiTags('admin')
@Controller('api/admin/outbox')
export class OutboxController {
  constructor(private readonly outbox: OutboxService) {}

  @Get()
  @Roles('admin')
  @ApiOperation({ summary: 'Write-back entries, newest first (no clinical content)' })
  @ApiOkResponse({ type: OutboxPage })
  // Entries without their patient or Bundle, but with the EHR's last answer, whose text may name the patient: the
  // page is audited under the patients its errors concern (none: one row without a patient).
  @AuditRead('outbox.search', { resourceType: 'OutboxEntry', patients: ['shown'], detail: { count: true, query: ['status'] } })
  async list(
    @ZodQuery(outboxListQuery, { subject: 'query' }) query: OutboxListFilter,
    @CurrentUser() _user: SessionUser,
    @Req() req: AuthenticatedRequest,
  ): Promise<OutboxPage> {
    const { page, patients } = await this.outbox.listShowing(query);
    showsPatients(req, patients);
    return page;
  }

  @Get(':id')
  @Roles('admin')
  @ApiOperation({ summary: 'One entry with its FHIR Bundle (PHI: the read is audited)' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: OutboxDetail })
  @AuditRead('outbox.read', { resourceType: 'OutboxEntry', idParam: 'id', patients: [{ result: patientsOfEntry }] })
  get(@Param('id') id: string, @CurrentUser() _user: SessionUser): Promise<OutboxDetail> {
    return this.outbox.get(parseEntryId(id));
  }

  @Post(':id/retry')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({ summary: 'Put a dead entry back in the queue (409 unless it is dead)' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: OutboxSummary })
  retry(@Param('id') id: string, @CurrentUser() user: SessionUser, @Req() req: AuthenticatedRequest): Promise<OutboxSummary> {
    return this.outbox.retry(parseEntryId(id), who(user, req));
  }
}
