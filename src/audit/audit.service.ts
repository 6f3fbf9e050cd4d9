import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import { correlationOf } from '../common/http/request-id.js';
import { AuditEvent, type AuditOutcome } from './audit-event.entity.js';
import { canonicalPatientId } from './patient-id.js';

export interface AuditEntry {
  action: string;
  outcome: AuditOutcome;
  actor?: string | null;
  actorRole?: string | null;
  resourceType?: string | null;
  resourceId?: string | null;
  /** The patient concerned: a bare id or `Patient/<id>`, stored as the bare id; anything else is not a patient. */
  patientId?: string | null;
  /** Our request id (`req.id`); the client's correlation id of that request is filled in from it while it is in flight. */
  requestId?: string | null;
  /**
   * The client's correlation id (`req.correlationId`), for a row written when the request may already have closed
   * (a streamed export cut off mid-download, a client that gave up waiting); null when it sent none. When absent,
   * it is looked up by `requestId` among the requests in flight.
   */
  correlationId?: string | null;
  detail?: Record<string, unknown> | null;
}

/** Rows per INSERT, well under PostgreSQL's 65 535 bound parameters a statement. */
const ROWS_PER_INSERT = 1000;

/** Appends to the audit log. Pass a transaction's manager to make the record part of that unit of work. */
@Injectable()
export class AuditService {
  constructor(@InjectRepository(AuditEvent) private readonly events: Repository<AuditEvent>) {}

  async record(entry: AuditEntry, manager?: EntityManager): Promise<void> {
    await this.recordMany([entry], manager);
  }

  /**
   * Several rows in one INSERT (a search that shows several patients' data: one row per patient). PostgreSQL binds
   * at most 65 535 parameters to a statement (10 a row here): a longer list is written in several INSERTs, all or
   * none (in one transaction).
   */
  async recordMany(entries: AuditEntry[], manager?: EntityManager): Promise<void> {
    if (!entries.length) return;
    const rows = entries.map((entry) => this.row(entry));
    if (rows.length <= ROWS_PER_INSERT) {
      await (manager ? manager.getRepository(AuditEvent) : this.events).insert(rows);
      return;
    }
    const write = async (m: EntityManager) => {
      for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) await m.getRepository(AuditEvent).insert(rows.slice(i, i + ROWS_PER_INSERT));
    };
    await (manager ? write(manager) : this.events.manager.transaction(write));
  }

  private row(entry: AuditEntry) {
    return {
      action: entry.action,
      outcome: entry.outcome,
      actor: entry.actor ?? null,
      actorRole: entry.actorRole ?? null,
      resourceType: entry.resourceType ?? null,
      resourceId: entry.resourceId ?? null,
      patientId: canonicalPatientId(entry.patientId),
      requestId: entry.requestId ?? null,
      correlationId: entry.correlationId !== undefined ? entry.correlationId : correlationOf(entry.requestId),
      detail: (entry.detail ?? null) as AuditEvent['detail'] & object,
    };
  }
}
