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
    const m = manager ?? this.events.manager;
    if (entries.length <= ROWS_PER_INSERT) {
      await insertRows(m, entries);
      return;
    }
    const write = async (tx: EntityManager) => {
      for (let i = 0; i < entries.length; i += ROWS_PER_INSERT) await insertRows(tx, entries.slice(i, i + ROWS_PER_INSERT));
    };
    await (manager ? write(manager) : m.transaction(write));
  }
}

/** audit_event's columns that a row sets; id and occurred_at are the database's (AuditEvent). */
const COLUMNS = ['action', 'outcome', 'actor', 'actor_role', 'resource_type', 'resource_id', 'patient_id', 'request_id', 'correlation_id', 'detail'];

/**
 * One INSERT of plain SQL: every read of patient data writes a row, and TypeORM's insert builder cost more CPU
 * than the statement itself (measured with --cpu-prof).
 */
async function insertRows(m: EntityManager, entries: AuditEntry[]): Promise<void> {
  const params: unknown[] = [];
  await m.query(auditInsertSql(entries, params), params);
}

/**
 * The INSERT of these audit rows, its `$n` placeholders numbered after what `params` already holds (the values are
 * appended): a feature whose transaction writes its own rows in one statement (`WITH … AS (INSERT …)`) adds its
 * audit row to that statement instead of a round trip of its own. This module still owns the table and its columns.
 */
export function auditInsertSql(entries: AuditEntry[], params: unknown[]): string {
  const tuples = entries.map((entry) => {
    const at = params.length;
    params.push(
      entry.action,
      entry.outcome,
      entry.actor ?? null,
      entry.actorRole ?? null,
      entry.resourceType ?? null,
      entry.resourceId ?? null,
      canonicalPatientId(entry.patientId),
      entry.requestId ?? null,
      entry.correlationId !== undefined ? entry.correlationId : correlationOf(entry.requestId),
      entry.detail == null ? null : JSON.stringify(entry.detail),
    );
    return `(${COLUMNS.map((_, i) => `$${at + i + 1}${i === COLUMNS.length - 1 ? '::jsonb' : ''}`).join(', ')})`;
  });
  return `INSERT INTO audit_event (${COLUMNS.join(', ')}) VALUES ${tuples.join(', ')}`;
}
