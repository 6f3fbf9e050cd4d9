import type { Bundle } from 'fhir/r4.js';
import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';

export const OUTBOX_STATUSES = ['pending', 'in_flight', 'delivered', 'dead'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

/** Why the last attempt failed: the HTTP status (0 = no answer) and what the EHR said. Never a token. */
export interface OutboxError {
  status: number;
  /** `http`, a network error (`ECONNREFUSED`, `TimeoutError`), `authorization:<code>`, `internal` or `abandoned` (delivery.rules.ts). */
  reason: string;
  /** False when the EHR refused it (a 4xx): resending the same Bundle will not help. */
  retryable: boolean;
  /** The EHR's OperationOutcome, when it sent one. */
  outcome?: unknown;
  at: string;
}

/** What the EHR created or updated, one line per transaction entry. */
export interface DeliveredEntry {
  status: string;
  type?: string;
  id?: string;
  version?: string;
}

/**
 * One write to an EHR: a FHIR transaction Bundle enqueued in the same database transaction as the feature's
 * own rows, delivered later by the worker. `seq` is creation order; entries of one (registration, patient)
 * are delivered strictly in that order. `registration_id` has no foreign key: fhir/ does not depend on
 * smart/'s tables, and an entry for a removed registration simply ends dead.
 */
@Entity('outbox_entry')
@Unique('UQ_outbox_entry_business_key', ['businessKey'])
@Check('CHK_outbox_entry_status', `"status" IN ('pending', 'in_flight', 'delivered', 'dead')`)
@Index('idx_outbox_entry_queue', ['registrationId', 'patientKey', 'seq'], { where: `"status" IN ('pending', 'in_flight') AND "depends_on" IS NULL` })
@Index('idx_outbox_entry_waiting_dependents', ['dependsOn'], { where: `"status" IN ('pending', 'in_flight') AND "depends_on" IS NOT NULL` })
@Index('idx_outbox_entry_delivered', ['registrationId', 'patientKey', 'seq'], { where: `"status" = 'delivered'` })
@Index('idx_outbox_entry_status_seq', ['status', 'seq'])
@Index('idx_outbox_entry_patient', ['registrationId', 'patientKey'])
export class OutboxEntry {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  registrationId!: string;

  /** Ordering key, by convention the EHR's patient reference (`Patient/123`). */
  @Column({ type: 'text' })
  patientKey!: string;

  /** What this write is, e.g. `referral.created`; for logs and the admin view. */
  @Column({ type: 'text' })
  kind!: string;

  /** Makes the enqueue itself idempotent: a second enqueue with the same key is a no-op. */
  @Column({ type: 'text' })
  businessKey!: string;

  /** fhirUser of the person whose change this is (for delivery with a user's credentials); null for the app's own. */
  @Column({ type: 'text', nullable: true })
  actor!: string | null;

  /**
   * An entry that needs another one delivered first (a Task completion needs its response's id on the EHR). It stands
   * outside its patient's creation order and is claimed only once that entry is delivered or dead (outbox.queue.ts).
   */
  @Column({ type: 'uuid', nullable: true })
  dependsOn!: string | null;

  /** PHI: never logged; shown to admins only through an audited read. */
  @Column({ type: 'jsonb' })
  bundle!: Bundle;

  @Column({ type: 'text', default: 'pending' })
  status!: OutboxStatus;

  /** Sends started; incremented when claimed, so it also fences a stale worker's late write. */
  @Column({ type: 'int', default: 0 })
  attempts!: number;

  /** `attempts` when an admin last retried the entry: the retry budget counts from here (attempts never go back). */
  @Column({ type: 'int', default: 0 })
  attemptBase!: number;

  /**
   * Claims in a row that took the entry over from a worker whose lease had passed with nothing recorded (0 when the
   * claim found it pending): the worker died or stalled each time. Reaching ABANDON_AFTER_TAKEOVERS, it ends dead.
   */
  @Column({ type: 'int', default: 0 })
  takeovers!: number;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  nextAttemptAt!: Date;

  /** Lease of the worker that claimed it; once past, the entry is claimable again (crashed worker). */
  @Column({ type: 'timestamptz', nullable: true })
  lockedUntil!: Date | null;

  /** Last failure; kept after a later success as history. */
  @Column({ type: 'jsonb', nullable: true })
  lastError!: OutboxError | null;

  @Column({ type: 'jsonb', nullable: true })
  response!: DeliveredEntry[] | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  deliveredAt!: Date | null;

  /** bigserial: pg returns it as a string. */
  @Column({ type: 'bigint', generated: 'increment' })
  seq!: string;
}
