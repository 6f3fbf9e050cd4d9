import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuditRead } from '../../audit/audit-read.decorator.js';
import { CurrentUser } from '../../common/auth/current-user.decorator.js';
import { Roles } from '../../common/auth/roles.decorator.js';
import type { SessionUser } from '../../common/auth/session-user.js';
import { LaunchFormService } from './launch-form.service.js';

@ApiTags('context')
@Controller('api/context')
export class LaunchFormController {
  constructor(private readonly forms: LaunchFormService) {}

  /** The form the EHR launched the app on (fhirContext: a Questionnaire canonical, or a Task for the patient in context). */
  @Get('form')
  @Roles('clinician', 'coordinator', 'patient', 'caregiver')
  @ApiOperation({ summary: "The form the EHR's launch asked for (SMART 2.2 fhirContext): { form: { canonical, source, task } | null }" })
  @AuditRead('launch-form.read', { resourceType: 'Task', patients: ['session'], onlyWithPatient: true })
  async form(@CurrentUser() user: SessionUser) {
    return { form: await this.forms.resolve(user) };
  }
}
