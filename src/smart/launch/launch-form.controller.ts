import { Controller, Get, Req } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuditRead } from '../../audit/audit-read.decorator.js';
import { showsPatients } from '../../audit/read-patients.js';
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
  // Audited when the EHR is read about the patient in context (the Task, or the Questionnaire it names), success or
  // not; a canonical the launch itself carried reads nothing from the EHR, and is not a Task read.
  @AuditRead('launch-form.read', { resourceType: 'Task', patients: ['shown'], onlyWithPatient: true })
  async form(@CurrentUser() user: SessionUser, @Req() req: object) {
    return { form: await this.forms.resolve(user, () => showsPatients(req, [user.patientId])) };
  }
}
