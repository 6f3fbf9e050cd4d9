import { Controller, Get, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiProperty, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { AuditRead } from '../audit/audit-read.decorator.js';
import { CurrentUser } from '../common/auth/current-user.decorator.js';
import { assertCanAccessPatient } from '../common/auth/patient-access.js';
import { Roles } from '../common/auth/roles.decorator.js';
import type { SessionUser } from '../common/auth/session-user.js';
import { parsePatientId, readPatientWriteBack, type PatientWriteBack, type WriteBackProblem, type WriteBackState } from './patient-write-back.query.js';

class WriteBackProblemView implements WriteBackProblem {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'referral.created' }) kind!: string;
  @ApiProperty({ description: 'When the write was made' }) createdAt!: string;
  @ApiProperty({ description: 'When the EHR last refused it or did not answer' }) at!: string;
  @ApiProperty({ example: 422, description: "The EHR's HTTP status; 0 when it did not answer" }) status!: number;
  @ApiProperty({ example: 'http' }) reason!: string;
  @ApiProperty({ description: "The EHR's own words (OperationOutcome), at most 300 characters" }) message!: string;
  @ApiProperty({ description: 'False when the EHR refused it: resending the same write will not help' }) retryable!: boolean;
}

class PatientWriteBackView implements PatientWriteBack {
  @ApiProperty({ enum: ['delivered', 'waiting', 'failed'], description: 'failed wins over waiting over delivered' }) state!: WriteBackState;
  @ApiProperty() delivered!: number;
  @ApiProperty({ description: 'Pending or in flight' }) waiting!: number;
  @ApiProperty({ type: Number, nullable: true, description: 'Age of the oldest waiting write; null when nothing waits' }) oldestWaitingSeconds!: number | null;
  @ApiProperty({ description: 'Dead writes (the list shows at most 50)' }) failedCount!: number;
  @ApiProperty({ type: WriteBackProblemView, isArray: true, description: 'Writes the EHR refused for good' }) failed!: WriteBackProblemView[];
  @ApiProperty({ type: WriteBackProblemView, isArray: true, description: 'Waiting writes whose last attempt failed' }) retrying!: WriteBackProblemView[];
}

/**
 * Did this patient's writes reach the EHR? For the clinician with the patient in context (and coordinators):
 * counts and the EHR's own reasons, never the Bundle. Still patient-level (what was written about whom, and the
 * EHR's words), so each read is audited (`write-back.read`), a refusal as denied.
 */
@ApiTags('write-back')
@Controller('api/patients')
export class PatientWriteBackController {
  constructor(private readonly ds: DataSource) {}

  @Get(':id/write-back')
  @Roles('clinician', 'coordinator')
  @ApiOperation({ summary: "Whether this patient's write-backs reached the user's EHR: delivered, waiting (oldest age) or failed with the EHR's reason" })
  @ApiParam({ name: 'id', description: 'FHIR Patient id' })
  @ApiOkResponse({ type: PatientWriteBackView })
  @AuditRead('write-back.read', { resourceType: 'OutboxEntry', patients: [{ param: 'id' }] })
  status(@Param('id') id: string, @CurrentUser() user: SessionUser): Promise<PatientWriteBack> {
    const patientId = parsePatientId(id);
    assertCanAccessPatient(user, patientId);
    return readPatientWriteBack(this.ds, user.registrationId, patientId);
  }
}
