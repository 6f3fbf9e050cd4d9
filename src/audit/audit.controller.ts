import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { InjectRepository } from '@nestjs/typeorm';
import { Between, type FindOptionsWhere, type Repository } from 'typeorm';
import { z } from 'zod';
import { Roles } from '../common/auth/roles.decorator.js';
import { parseBody } from '../common/http/parse-body.js';
import { AuditEvent } from './audit-event.entity.js';

const query = z
  .object({
    action: z.string().max(100).optional(),
    actor: z.string().max(200).optional(),
    patient: z.string().max(100).optional(),
    outcome: z.enum(['success', 'failure', 'denied']).optional(),
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  })
  .strict();

@ApiTags('admin')
@Controller('api/admin/audit')
@Roles('admin')
export class AuditController {
  constructor(@InjectRepository(AuditEvent) private readonly events: Repository<AuditEvent>) {}

  /** Audit log search, newest first. */
  @Get()
  @ApiOperation({ summary: 'Search the audit log' })
  async search(@Query() raw: Record<string, unknown>) {
    const q = parseBody(query, raw);
    const where: FindOptionsWhere<AuditEvent> = {};
    if (q.action) where.action = q.action;
    if (q.actor) where.actor = q.actor;
    if (q.patient) where.patientId = q.patient;
    if (q.outcome) where.outcome = q.outcome;
    if (q.from || q.to) where.occurredAt = Between(new Date(q.from ?? 0), q.to ? new Date(q.to) : new Date());
    return this.events.find({ where, order: { occurredAt: 'DESC' }, take: q.limit });
  }
}
