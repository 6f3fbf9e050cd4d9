import { Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CurrentUser, type AuthenticatedRequest } from '../common/auth/current-user.decorator.js';
import { Roles } from '../common/auth/roles.decorator.js';
import type { SessionUser } from '../common/auth/session-user.js';
import { OUTBOX_STATUSES } from './outbox-entry.entity.js';
import { parseEntryId, parseListQuery } from './outbox.query.js';
import { OutboxService, type Accessor } from './outbox.service.js';
import { OutboxDetail, OutboxPage, OutboxSummary } from './outbox.views.js';

const who = (user: SessionUser, req: AuthenticatedRequest): Accessor => ({ actor: user.fhirUser, actorRole: user.role, requestId: req.id ?? null });

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
  @ApiQuery({ name: 'status', required: false, enum: OUTBOX_STATUSES })
  @ApiQuery({ name: 'registrationId', required: false, type: String })
  @ApiQuery({ name: 'limit', required: false, type: Number, description: '1–100, default 50' })
  @ApiQuery({ name: 'cursor', required: false, type: String, description: 'nextCursor of the previous page' })
  @ApiOkResponse({ type: OutboxPage })
  list(@Query() query: Record<string, unknown>, @CurrentUser() _user: SessionUser): Promise<OutboxPage> {
    return this.outbox.list(parseListQuery(query));
  }

  @Get(':id')
  @Roles('admin')
  @ApiOperation({ summary: 'One entry with its FHIR Bundle (PHI: the read is audited)' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: OutboxDetail })
  get(@Param('id') id: string, @CurrentUser() user: SessionUser, @Req() req: AuthenticatedRequest): Promise<OutboxDetail> {
    return this.outbox.get(parseEntryId(id), who(user, req));
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
