import { Controller, Get, Req } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { AuditRead } from '../../audit/audit-read.decorator.js';
import { showsPatients } from '../../audit/read-patients.js';
import { CurrentUser } from '../../common/auth/current-user.decorator.js';
import { Roles } from '../../common/auth/roles.decorator.js';
import type { SessionUser } from '../../common/auth/session-user.js';
import { ZodQuery } from '../../common/http/zod-params.js';
import { PeopleDirectory } from './people-directory.service.js';
import { referencePattern } from '../../fhir/ids.js';

const PERSON_REF = referencePattern('Practitioner', 'RelatedPerson');
const peopleQuery = z
  .object({
    refs: z
      .string()
      .max(8000)
      .transform((v) => v.split(',').filter(Boolean))
      .refine((refs) => refs.length >= 1 && refs.length <= 100, 'between 1 and 100 comma-separated references')
      .refine((refs) => refs.every((r) => PERSON_REF.test(r)), 'every reference must be Practitioner/<id> or RelatedPerson/<id>')
      .meta({ description: 'comma-separated Practitioner/<id> and RelatedPerson/<id>, 1 to 100', example: 'Practitioner/prac-301,RelatedPerson/rp-2210' }),
  })
  .strict();

/** Names of the people staff see beside a patient: who referred, who facilitates, which caregiver came. */
@ApiTags('context')
@Controller('api/people')
@Roles('clinician', 'coordinator')
export class PeopleController {
  constructor(private readonly directory: PeopleDirectory) {}

  /** Patients' names have their own route (`/api/patients?ids=`), with its patient-in-context rules. */
  @Get()
  @ApiOperation({ summary: "Names of practitioners and caregivers (?refs=Practitioner/a,RelatedPerson/b), read from the EHR with the user's token, one search per type" })
  // A caregiver's name and relationship are their patient's data: one row per patient whose caregiver is shown
  // (none when only practitioners are named). Which patient that is stays on the server.
  @AuditRead('related-person.search', { resourceType: 'RelatedPerson', patients: ['shown'], onlyWithPatient: true, detail: { count: true } })
  async people(@ZodQuery(peopleQuery) query: z.infer<typeof peopleQuery>, @CurrentUser() user: SessionUser, @Req() req: object) {
    const read = await this.directory.labels(user, query.refs);
    showsPatients(req, read.map((r) => r.patientId));
    return read.map((r) => r.label);
  }
}
