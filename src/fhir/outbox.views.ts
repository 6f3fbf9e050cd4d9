import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { Bundle } from 'fhir/r4.js';
import type { DeliveredEntry, OutboxEntry, OutboxError, OutboxStatus } from './outbox-entry.entity.js';
import { OUTBOX_STATUSES } from './outbox-entry.entity.js';

/** An entry in the admin list: where it stands, no clinical content. */
export class OutboxSummary {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) registrationId!: string;
  @ApiProperty({ example: 'referral.created' }) kind!: string;
  @ApiProperty({ enum: OUTBOX_STATUSES }) status!: OutboxStatus;
  @ApiProperty() attempts!: number;
  @ApiProperty({ description: 'Creation order; the list cursor' }) seq!: string;
  @ApiProperty() createdAt!: string;
  @ApiProperty() nextAttemptAt!: string;
  @ApiPropertyOptional({ type: String, nullable: true }) lockedUntil!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) deliveredAt!: string | null;
  @ApiPropertyOptional({ type: Object, nullable: true, description: 'HTTP status, reason and the EHR OperationOutcome' })
  lastError!: OutboxError | null;
}

/** One entry in full, Bundle included (PHI: every read is audited). */
export class OutboxDetail extends OutboxSummary {
  @ApiProperty({ example: 'Patient/123' }) patientKey!: string;
  @ApiProperty() businessKey!: string;
  @ApiProperty({ type: Object, description: 'The FHIR transaction Bundle' }) bundle!: Bundle;
  @ApiPropertyOptional({ type: Object, isArray: true, nullable: true }) response!: DeliveredEntry[] | null;
}

export class OutboxPage {
  @ApiProperty({ type: OutboxSummary, isArray: true }) items!: OutboxSummary[];
  @ApiPropertyOptional({ type: String, nullable: true, description: 'Pass as `cursor` for the next page' })
  nextCursor!: string | null;
}

export class OutboxStats {
  @ApiProperty() pending!: number;
  @ApiProperty() inFlight!: number;
  @ApiProperty() dead!: number;
  @ApiProperty({ description: 'Age of the oldest entry not yet delivered (pending or in flight); 0 when none' })
  oldestPendingAgeSeconds!: number;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toSummary(e: OutboxEntry): OutboxSummary {
  return {
    id: e.id,
    registrationId: e.registrationId,
    kind: e.kind,
    status: e.status,
    attempts: e.attempts - e.attemptBase, // within the current retry budget (an admin retry starts a new one)
    seq: String(e.seq),
    createdAt: e.createdAt.toISOString(),
    nextAttemptAt: e.nextAttemptAt.toISOString(),
    lockedUntil: iso(e.lockedUntil),
    deliveredAt: iso(e.deliveredAt),
    lastError: e.lastError,
  };
}

export function toDetail(e: OutboxEntry): OutboxDetail {
  return { ...toSummary(e), patientKey: e.patientKey, businessKey: e.businessKey, bundle: e.bundle, response: e.response };
}
