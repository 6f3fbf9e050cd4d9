import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import { AuditEvent, type AuditOutcome } from './audit-event.entity.js';

export interface AuditEntry {
  action: string;
  outcome: AuditOutcome;
  actor?: string | null;
  actorRole?: string | null;
  resourceType?: string | null;
  resourceId?: string | null;
  patientId?: string | null;
  requestId?: string | null;
  detail?: Record<string, unknown> | null;
}

/** Appends to the audit log. Pass a transaction's manager to make the record part of that unit of work. */
@Injectable()
export class AuditService {
  constructor(@InjectRepository(AuditEvent) private readonly events: Repository<AuditEvent>) {}

  async record(entry: AuditEntry, manager?: EntityManager): Promise<void> {
    const repo = manager ? manager.getRepository(AuditEvent) : this.events;
    await repo.insert({
      action: entry.action,
      outcome: entry.outcome,
      actor: entry.actor ?? null,
      actorRole: entry.actorRole ?? null,
      resourceType: entry.resourceType ?? null,
      resourceId: entry.resourceId ?? null,
      patientId: entry.patientId ?? null,
      requestId: entry.requestId ?? null,
      detail: (entry.detail ?? null) as AuditEvent["detail"] & object,
    });
  }
}
