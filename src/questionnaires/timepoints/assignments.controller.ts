import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { CurrentUser } from '../../common/auth/current-user.decorator.js';
import { Roles } from '../../common/auth/roles.decorator.js';
import type { SessionUser } from '../../common/auth/session-user.js';
import { parseBody } from '../../common/http/parse-body.js';
import { ASSIGNMENT_STATUSES } from '../questionnaire.vocabulary.js';
import { AssignmentsService } from './assignments.service.js';

const query = z
  .object({
    status: z.enum([...ASSIGNMENT_STATUSES, 'overdue']).optional(),
    patient: z.string().regex(/^[A-Za-z0-9\-.]{1,64}$/, 'must be a Patient id').optional(),
    cohort: z.uuid('must be a cohort id').optional(),
  })
  .strict();

@ApiTags('questionnaires')
@Controller('api/questionnaire-assignments')
export class AssignmentsController {
  constructor(private readonly assignments: AssignmentsService) {}

  @Get()
  @Roles('coordinator', 'clinician', 'patient', 'caregiver')
  @ApiOperation({ summary: 'Due forms with their windows: per cohort/patient for coordinators, own forms for patients and caregivers' })
  @ApiQuery({ name: 'status', required: false, enum: [...ASSIGNMENT_STATUSES, 'overdue'] })
  @ApiQuery({ name: 'patient', required: false })
  @ApiQuery({ name: 'cohort', required: false })
  list(@Query() raw: Record<string, unknown>, @CurrentUser() user: SessionUser) {
    return this.assignments.list(user, parseBody(query, raw));
  }
}
