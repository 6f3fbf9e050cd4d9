import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export type AuditOutcome = 'success' | 'failure' | 'denied';

/**
 * One row per security- or care-relevant action. Append-only: the database refuses UPDATE, DELETE and
 * TRUNCATE (see the migration). Holds references (ids), never clinical content or tokens.
 */
@Entity('audit_event')
@Index('idx_audit_event_occurred_at', ['occurredAt'])
@Index('idx_audit_event_patient', ['patientId'])
export class AuditEvent {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  occurredAt!: Date;

  /** fhirUser reference or `system`; null when unknown (an unauthenticated request). */
  @Column({ type: 'text', nullable: true })
  actor!: string | null;

  @Column({ type: 'text', nullable: true })
  actorRole!: string | null;

  @Column({ type: 'text' })
  action!: string;

  @Column({ type: 'text', nullable: true })
  resourceType!: string | null;

  @Column({ type: 'text', nullable: true })
  resourceId!: string | null;

  /** The patient concerned, always as the bare FHIR id (`123`, never `Patient/123`). */
  @Column({ type: 'text', nullable: true })
  patientId!: string | null;

  @Column({ type: 'text' })
  outcome!: AuditOutcome;

  /** Ours, made for every request (also the response's `X-Request-Id`); never taken from the client. */
  @Column({ type: 'text', nullable: true })
  requestId!: string | null;

  /** The client's or gateway's own `X-Request-Id`, when it sent a well-formed one: for correlation only. */
  @Column({ type: 'text', nullable: true })
  correlationId!: string | null;

  /** Short machine-readable detail, for example an error code. Never PHI, never a token. */
  @Column({ type: 'jsonb', nullable: true })
  detail!: Record<string, unknown> | null;
}
