import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
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
  @ApiOperation({
    summary: 'Due forms with their windows: per cohort/patient for coordinators, own forms for patients and caregivers',
    description: 'Open forms first (overdue, then by the end of their window), then forms not open yet, then closed ones. ' +
      'Each says its `availability` (open | not-yet-open | closed) and whether it is `overdue`; only open forms can be started or saved (409 otherwise).',
  })
  @ApiQuery({ name: 'status', required: false, enum: [...ASSIGNMENT_STATUSES, 'overdue'] })
  @ApiQuery({ name: 'patient', required: false })
  @ApiQuery({ name: 'cohort', required: false })
  list(@Query() raw: Record<string, unknown>, @CurrentUser() user: SessionUser) {
    return this.assignments.list(user, parseBody(query, raw));
  }

  @Get(':id')
  @Roles('coordinator', 'clinician', 'patient', 'caregiver')
  @ApiOperation({ summary: 'One due form the user may see, with its availability (open | not-yet-open | closed)' })
  get(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() user: SessionUser) {
    return this.assignments.get(user, id);
  }
}
