import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Patient } from 'fhir/r4.js';
import { CurrentUser } from '../../common/auth/current-user.decorator.js';
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
@Controller('api/context')
export class ContextController {
  constructor(
    private readonly registry: RegistryService,
    private readonly fhir: FhirGateway,
    private readonly access: UserFhirAccess,
  ) {}

  @Get()
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
      ehr: { name: registration.name, issuer: registration.issuer },
      csrfToken: user.csrfToken,
    };
  }
}
