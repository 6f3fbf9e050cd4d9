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

/** A caller's rows (their values, taken when the caller asked) waiting for the next shared INSERT. */
interface Waiting {
  rows: unknown[][];
  done(err?: unknown): void;
}

/** Appends to the audit log. Pass a transaction's manager to make the record part of that unit of work. */
@Injectable()
export class AuditService {
  private readonly waiting: Waiting[] = [];
  private writing = false;

  constructor(@InjectRepository(AuditEvent) private readonly events: Repository<AuditEvent>) {}

  async record(entry: AuditEntry, manager?: EntityManager): Promise<void> {
    await this.recordMany([entry], manager);
  }

  /**
   * Several rows in one INSERT (a search that shows several patients' data: one row per patient). PostgreSQL binds
   * at most 65 535 parameters to a statement (10 a row here): a longer list is written in several INSERTs, all or
   * none (in one transaction).
   *
   * Rows not part of a caller's transaction (every audited read) share INSERTs, as a database's group commit does:
   * while one INSERT is on its way, the rows of the requests that come meanwhile wait, and go together in the next
   * one. Each caller is answered only once its own rows are committed, so a read is still answered only after its
   * audit row is stored; under load one statement and one commit serve several requests instead of one each. Written
   * here: a batching loader (DataLoader) gathers one tick's calls, not those that come while a write is in flight.
   */
  async recordMany(entries: AuditEntry[], manager?: EntityManager): Promise<void> {
    if (!entries.length) return;
    if (manager) return writeRows(manager, entries);
    if (entries.length >= ROWS_PER_INSERT) return writeRows(this.events.manager, entries);
    // The values are taken now, not when the INSERT goes: the client's correlation id while the request is in flight,
    // `detail` as it is now, and a value that cannot be written fails this caller here, not the others.
    const rows = entries.map(auditRowValues);
    await new Promise<void>((resolve, reject) => {
      this.waiting.push({ rows, done: (err) => (err === undefined ? resolve() : reject(err)) });
      if (!this.writing) void this.writeWaiting();
    });
  }

  /** Writes what is waiting, one INSERT at a time, until nothing is. */
  private async writeWaiting(): Promise<void> {
    this.writing = true;
    try {
      while (this.waiting.length) {
        const batch: Waiting[] = [];
        let rows = 0;
        while (this.waiting.length && rows + this.waiting[0].rows.length <= ROWS_PER_INSERT) {
          const next = this.waiting.shift()!;
          rows += next.rows.length;
          batch.push(next);
        }
        try {
          await insertValues(this.events.manager, batch.flatMap((w) => w.rows));
          for (const w of batch) w.done();
        } catch (err) {
          // A value one caller's rows hold that the table refuses (SQLSTATE class 22 data exception, 23 constraint;
          // NULs, which PostgreSQL refuses in text, are replaced before): each caller's rows alone again, so only
          // that caller hears of it. Any other failure (the database unreachable, a timeout) is every caller's: told
          // at once, not retried one by one; and a retry failing so stops the retries.
          let failure = isDataError(err) && batch.length > 1 ? undefined : err;
          for (const w of batch) {
            if (failure !== undefined) {
              w.done(failure);
              continue;
            }
            try {
              await insertValues(this.events.manager, w.rows);
              w.done();
            } catch (e) {
              w.done(e);
              if (!isDataError(e)) failure = e;
            }
          }
        }
      }
    } finally {
      this.writing = false;
    }
  }
}

/** PostgreSQL's data exception (22) or integrity constraint violation (23): a row's own value, not the database. */
function isDataError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^2[23]/.test(code);
}

/** Rows in INSERTs of ROWS_PER_INSERT at most; several in one transaction (all or none). */
async function writeRows(m: EntityManager, entries: AuditEntry[]): Promise<void> {
  if (entries.length <= ROWS_PER_INSERT) return insertRows(m, entries);
  const write = async (tx: EntityManager) => {
    for (let i = 0; i < entries.length; i += ROWS_PER_INSERT) await insertRows(tx, entries.slice(i, i + ROWS_PER_INSERT));
  };
  await (m.queryRunner?.isTransactionActive ? write(m) : m.transaction(write));
}

/**
 * audit_event's columns that a row sets; id is the database's (AuditEvent). occurred_at is the database's clock when
 * the row is inserted (clock_timestamp(), not the transaction's start), so rows written together in one INSERT are
 * not all stamped with the same instant; its microseconds may still tie for rows of one statement.
 */
const COLUMNS = ['action', 'outcome', 'actor', 'actor_role', 'resource_type', 'resource_id', 'patient_id', 'request_id', 'correlation_id', 'detail'];

/**
 * One INSERT of plain SQL: every read of patient data writes a row, and TypeORM's insert builder cost more CPU
 * than the statement itself (measured with --cpu-prof).
 */
async function insertRows(m: EntityManager, entries: AuditEntry[]): Promise<void> {
  await insertValues(m, entries.map(auditRowValues));
}

async function insertValues(m: EntityManager, rows: unknown[][]): Promise<void> {
  const params: unknown[] = [];
  await m.query(insertSql(rows, params), params);
}

/**
 * PostgreSQL refuses NUL in text and jsonb (22021, 22P05) and a lone surrogate in jsonb (a string cut inside an emoji):
 * a client's id or filter holding one is kept, marked with U+FFFD (String.prototype.toWellFormed: Node 20, not yet in
 * TypeScript's ES2022 lib).
 */
const withoutNul = (v: string | null): string | null => (v === null ? v : (v as string & { toWellFormed(): string }).toWellFormed().replaceAll('\u0000', '\uFFFD'));
/** `detail` as JSON with its keys and string values cleaned so. */
const detailJson = (detail: Record<string, unknown>): string =>
  JSON.stringify(detail, (_key, value: unknown) => {
    if (typeof value === 'string') return withoutNul(value);
    if (value && typeof value === 'object' && !Array.isArray(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [withoutNul(k), v]));
    return value;
  });

/** One row's values, in COLUMNS' order. */
function auditRowValues(entry: AuditEntry): unknown[] {
  return [
    withoutNul(entry.action),
    entry.outcome,
    withoutNul(entry.actor ?? null),
    withoutNul(entry.actorRole ?? null),
    withoutNul(entry.resourceType ?? null),
    withoutNul(entry.resourceId ?? null),
    withoutNul(canonicalPatientId(entry.patientId)),
    withoutNul(entry.requestId ?? null),
    withoutNul(entry.correlationId !== undefined ? entry.correlationId : correlationOf(entry.requestId)),
    entry.detail == null ? null : detailJson(entry.detail),
  ];
}

function insertSql(rows: unknown[][], params: unknown[]): string {
  const tuples = rows.map((values) => {
    const at = params.length;
    params.push(...values);
    return `(${COLUMNS.map((_, i) => `$${at + i + 1}${i === COLUMNS.length - 1 ? '::jsonb' : ''}`).join(', ')}, clock_timestamp())`;
  });
  return `INSERT INTO audit_event (${COLUMNS.join(', ')}, occurred_at) VALUES ${tuples.join(', ')}`;
}

/**
 * The INSERT of these audit rows, its `$n` placeholders numbered after what `params` already holds (the values are
 * appended): a feature whose transaction writes its own rows in one statement (`WITH … AS (INSERT …)`) adds its
 * audit row to that statement instead of a round trip of its own. This module still owns the table and its columns.
 */
export function auditInsertSql(entries: AuditEntry[], params: unknown[]): string {
  return insertSql(entries.map(auditRowValues), params);
}
