import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { NoPatientData } from '../../audit/audit-read.decorator.js';
import { CurrentUser } from '../../common/auth/current-user.decorator.js';
import { Roles } from '../../common/auth/roles.decorator.js';
import type { SessionUser } from '../../common/auth/session-user.js';
import { ZodQuery } from '../../common/http/zod-params.js';
import { PeopleDirectory } from './people-directory.service.js';

const PERSON_REF = /^(Practitioner|RelatedPerson)\/[A-Za-z0-9\-.]{1,64}$/;
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
  @NoPatientData('names of practitioners and caregivers, asked for by reference; no patient is named')
  async people(@ZodQuery(peopleQuery) query: z.infer<typeof peopleQuery>, @CurrentUser() user: SessionUser) {
    return this.directory.labels(user, query.refs);
  }
}
