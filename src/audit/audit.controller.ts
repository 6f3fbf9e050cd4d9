import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { InjectRepository } from '@nestjs/typeorm';
import { Between, In, type FindOptionsWhere, type Repository } from 'typeorm';
import { z } from 'zod';
import { Roles } from '../common/auth/roles.decorator.js';
import { FHIR_ID_SOURCE } from '../common/fhir-id.js';
import { ZodQuery } from '../common/http/zod-params.js';
import { AuditEvent } from './audit-event.entity.js';
import { AuditRead } from './audit-read.decorator.js';
import { canonicalPatientId } from './patient-id.js';

const query = z
  .object({
    action: z.string().max(100).optional(),
    actor: z.string().max(200).optional(),
    // `123` or `Patient/123`: the log keeps the bare id.
    patient: z.string().regex(new RegExp(`^(Patient/)?${FHIR_ID_SOURCE}$`), 'must be a Patient id or Patient/<id>').transform((v) => canonicalPatientId(v)!).optional(),
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
  @ApiOperation({ summary: 'Search the audit log (?patient= takes 123 or Patient/123)' })
  // The log names who saw which patient: reading it is itself audited (ATNA's "audit log used").
  @AuditRead('audit.search', { resourceType: 'AuditEvent', patients: [{ query: 'patient' }] })
  async search(@ZodQuery(query) q: z.infer<typeof query>) {
    const where: FindOptionsWhere<AuditEvent> = {};
    if (q.action) where.action = q.action;
    if (q.actor) where.actor = q.actor;
    // Rows written before the bare id was the rule may hold `Patient/<id>`; the log cannot be rewritten.
    if (q.patient) where.patientId = In([q.patient, `Patient/${q.patient}`]);
    if (q.outcome) where.outcome = q.outcome;
    if (q.from || q.to) where.occurredAt = Between(new Date(q.from ?? 0), q.to ? new Date(q.to) : new Date());
    return this.events.find({ where, order: { occurredAt: 'DESC' }, take: q.limit });
  }
}
