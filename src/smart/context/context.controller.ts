import { Controller, Get, Param } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Patient } from 'fhir/r4.js';
import { z } from 'zod';
import { AuditRead } from '../../audit/audit-read.decorator.js';
import { CurrentUser } from '../../common/auth/current-user.decorator.js';
import { assertCanAccessPatient } from '../../common/auth/patient-access.js';
import { DomainError } from '../../common/errors/domain-error.js';
import { ROLES } from '../../common/auth/roles.js';
import { Roles } from '../../common/auth/roles.decorator.js';
import type { SessionUser } from '../../common/auth/session-user.js';
import { ZodQuery } from '../../common/http/zod-params.js';
import { FhirGateway } from '../../fhir/fhir-gateway.js';
import { RegistryService } from '../registry/registry.service.js';
import { UserFhirAccess } from '../session/user-fhir-access.service.js';
import { LaunchFormService } from '../launch/launch-form.service.js';
import { SessionLabelCache } from './labels-by-id.js';
import { PatientDirectory, patientLabel } from './patient-directory.service.js';
import { PatientLanguage } from './patient-language.js';
import { FHIR_ID } from '../../fhir/ids.js';

const labelsQuery = z
  .object({
    ids: z
      .string()
      .max(6600)
      .transform((v) => v.split(',').filter(Boolean))
      .refine((ids) => ids.length >= 1 && ids.length <= 100, 'between 1 and 100 comma-separated patient ids')
      .refine((ids) => ids.every((id) => FHIR_ID.test(id)), 'every id must be a FHIR id')
      .meta({ description: 'comma-separated patient ids, 1 to 100', example: 'pat-1042,pat-1043' }),
  })
  .strict();

/** Banner data: what a clinician needs to be sure they have the right patient. */
function banner(p: Patient, id: string, language: PatientLanguage) {
  const { unavailable: _u, ...label } = patientLabel({ ...p, id: p.id ?? id });
  // The language the patient prefers (Patient.communication, preferred): the player opens in it (issue 15).
  return { ...label, language: language.preferred(p) ?? null };
}

/** What /api/context serves besides the session itself, kept per session (see `sessionContext`). */
interface SessionContext {
  patient: ReturnType<typeof banner> | null;
  ehrName: string;
  fhirContext: Awaited<ReturnType<LaunchFormService['context']>>;
}

@ApiTags('context')
@Controller('api')
export class ContextController {
  private readonly cache = new SessionLabelCache<SessionContext>();

  constructor(
    private readonly registry: RegistryService,
    private readonly fhir: FhirGateway,
    private readonly access: UserFhirAccess,
    private readonly directory: PatientDirectory,
    private readonly launchForms: LaunchFormService,
    private readonly language: PatientLanguage,
  ) {}

  @Get('context')
  @Roles(...ROLES)
  @ApiOperation({ summary: 'Who is signed in, the patient in context and the EHR' })
  @AuditRead('patient.read', { resourceType: 'Patient', patients: ['session'], onlyWithPatient: true })
  async context(@CurrentUser() user: SessionUser) {
    const { patient, ehrName, fhirContext } = await this.sessionContext(user);
    return {
      user: { role: user.role, displayName: user.displayName, fhirUser: user.fhirUser },
      patient,
      needPatientBanner: user.needPatientBanner,
      smartStyleUrl: user.smartStyleUrl,
      encounterId: user.encounterId,
      // SMART App Launch 2.2 fhirContext as the EHR sent it at launch (well-formed items only); /api/context/form resolves the form.
      fhirContext,
      ehr: { name: ehrName, issuer: user.issuer },
      csrfToken: user.csrfToken,
    };
  }

  /**
   * The banner of the session's patient and the EHR's name, kept per session for CONTEXT_TTL_MS (SessionLabelCache:
   * never shared across sessions), so the app's calls do not each cost an EHR read. A relaunch is a new session, and
   * a registration change (its generation) a new key: both read again at once.
   */
  private async sessionContext(user: SessionUser): Promise<SessionContext> {
    const key = `${this.registry.generation}|${user.patientId ?? ''}`;
    const [found] = await this.cache.labels(user.sessionId, [key], Date.now(), async () => {
      const registration = await this.registry.get(user.registrationId);
      const patient = user.patientId ? banner(await this.fhir.read<Patient>(await this.access.connection(user), 'Patient', user.patientId), user.patientId, this.language) : null;
      // The launch's fhirContext is fixed for the session's life: read with the banner, not on every call.
      const fhirContext = await this.launchForms.context(user);
      return new Map([[key, { patient, ehrName: registration.name, fhirContext }]]);
    });
    return found;
  }

  /**
   * Names for a list of patients (a worklist, a roster), each one a patient the user may see: one EHR search
   * for the lot, with the user's token. A patient the EHR does not know, or knows without a name, comes back
   * with `name: null` and `unavailable` saying which.
   */
  @Get('patients')
  @Roles('clinician', 'coordinator', 'patient', 'caregiver')
  @ApiOperation({ summary: "Several patients' banner data (?ids=a,b,c), read from the EHR in one search with the user's token" })
  @AuditRead('patient.search', { resourceType: 'Patient', patients: [{ query: 'ids', list: true }] })
  async patients(@ZodQuery(labelsQuery) { ids }: z.infer<typeof labelsQuery>, @CurrentUser() user: SessionUser) {
    for (const id of ids) assertCanAccessPatient(user, id);
    return this.directory.labels(user, ids);
  }

  /** Banner data of a patient the user may see (the one in context; any for a coordinator without one). */
  @Get('patients/:id')
  @Roles('clinician', 'coordinator', 'patient', 'caregiver')
  @ApiOperation({ summary: 'Patient banner data, read from the EHR with the user\'s token' })
  @AuditRead('patient.read', { resourceType: 'Patient', idParam: 'id', patients: [{ param: 'id' }] })
  async patient(@Param('id') id: string, @CurrentUser() user: SessionUser) {
    if (!FHIR_ID.test(id)) throw new DomainError('COMMON.VALIDATION', 'Not a FHIR id.');
    assertCanAccessPatient(user, id);
    return banner(await this.fhir.read<Patient>(await this.access.connection(user), 'Patient', id), id, this.language);
  }
}
