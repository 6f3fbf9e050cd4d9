import { Controller, Get, Param } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Patient } from 'fhir/r4.js';
import { CurrentUser } from '../../common/auth/current-user.decorator.js';
import { assertCanAccessPatient } from '../../common/auth/patient-access.js';
import { DomainError } from '../../common/errors/domain-error.js';
import { ROLES } from '../../common/auth/roles.js';
import { Roles } from '../../common/auth/roles.decorator.js';
import type { SessionUser } from '../../common/auth/session-user.js';
import { FhirGateway } from '../../fhir/fhir-gateway.js';
import { formatHumanName } from '../launch/display-name.js';
import { RegistryService } from '../registry/registry.service.js';
import { UserFhirAccess } from '../session/user-fhir-access.service.js';

/** Banner data: what a clinician needs to be sure they have the right patient. */
function banner(p: Patient) {
  const mrn = p.identifier?.find((i) => i.type?.coding?.some((c) => c.code === 'MR')) ?? p.identifier?.[0];
  return { id: p.id, name: formatHumanName(p.name) ?? null, birthDate: p.birthDate ?? null, gender: p.gender ?? null, mrn: mrn?.value ?? null };
}

@ApiTags('context')
@Controller('api')
export class ContextController {
  constructor(
    private readonly registry: RegistryService,
    private readonly fhir: FhirGateway,
    private readonly access: UserFhirAccess,
  ) {}

  @Get('context')
  @Roles(...ROLES)
  @ApiOperation({ summary: 'Who is signed in, the patient in context and the EHR' })
  async context(@CurrentUser() user: SessionUser) {
    const registration = await this.registry.get(user.registrationId);
    const patient = user.patientId ? banner(await this.fhir.read<Patient>(await this.access.connection(user), 'Patient', user.patientId)) : null;
    return {
      user: { role: user.role, displayName: user.displayName, fhirUser: user.fhirUser },
      patient,
      needPatientBanner: user.needPatientBanner,
      smartStyleUrl: user.smartStyleUrl,
      encounterId: user.encounterId,
      ehr: { name: registration.name, issuer: user.issuer },
      csrfToken: user.csrfToken,
    };
  }

  /** Banner data of a patient the user may see (the one in context for a clinician; any for a coordinator). */
  @Get('patients/:id')
  @Roles('clinician', 'coordinator', 'patient', 'caregiver')
  @ApiOperation({ summary: 'Patient banner data, read from the EHR with the user\'s token' })
  async patient(@Param('id') id: string, @CurrentUser() user: SessionUser) {
    if (!/^[A-Za-z0-9\-.]{1,64}$/.test(id)) throw new DomainError('COMMON.VALIDATION', 'Not a FHIR id.');
    assertCanAccessPatient(user, id);
    return banner(await this.fhir.read<Patient>(await this.access.connection(user), 'Patient', id));
  }
}
