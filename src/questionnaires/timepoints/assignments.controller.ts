import { Controller, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { AuditRead } from '../../audit/audit-read.decorator.js';
import { CurrentUser } from '../../common/auth/current-user.decorator.js';
import { Roles } from '../../common/auth/roles.decorator.js';
import type { SessionUser } from '../../common/auth/session-user.js';
import { ZodQuery } from '../../common/http/zod-params.js';
import { ASSIGNMENT_STATUSES } from '../questionnaire.vocabulary.js';
import { AssignmentsService } from './assignments.service.js';
import { FHIR_ID } from '../../fhir/ids.js';

const query = z
  .object({
    status: z.enum([...ASSIGNMENT_STATUSES, 'overdue']).optional(),
    patient: z.string().regex(FHIR_ID, 'must be a Patient id').optional().meta({ example: 'pat-1042' }),
    cohort: z.uuid('must be a cohort id').optional().meta({ example: '8d6e4a20-1b3c-4f5e-8a7b-2c9d0e1f3a45' }),
  })
  .strict();

@ApiTags('questionnaires')
@Controller('api/questionnaire-assignments')
export class AssignmentsController {
  constructor(private readonly assignments: AssignmentsService) {}

  @Get()
  @Roles('coordinator', 'clinician', 'patient', 'caregiver')
  @ApiOperation({
    summary: 'Due forms with their windows: per cohort/patient for coordinators, own forms for patients and caregivers',
    description: 'Open forms first (overdue, then by the end of their window), then forms not open yet, then closed ones. ' +
      'Each says its `availability` (open | not-yet-open | closed) and whether it is `overdue`; only open forms can be started or saved (409 otherwise).',
  })
  @AuditRead('questionnaire-assignment.search', { resourceType: 'QuestionnaireAssignment', patients: [{ query: 'patient' }, { result: 'patientId' }] })
  list(@ZodQuery(query) q: z.infer<typeof query>, @CurrentUser() user: SessionUser) {
    return this.assignments.list(user, q);
  }

  @Get(':id')
  @Roles('coordinator', 'clinician', 'patient', 'caregiver')
  @ApiOperation({ summary: 'One due form the user may see, with its availability (open | not-yet-open | closed)' })
  @AuditRead('questionnaire-assignment.read', { resourceType: 'QuestionnaireAssignment', idParam: 'id', patients: [{ result: 'patientId' }] })
  get(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() user: SessionUser) {
    return this.assignments.get(user, id);
  }
}
