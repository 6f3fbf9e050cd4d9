import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { CurrentUser } from '../../common/auth/current-user.decorator.js';
import { Roles } from '../../common/auth/roles.decorator.js';
import type { SessionUser } from '../../common/auth/session-user.js';
import { parseBody } from '../../common/http/parse-body.js';
import { PeopleDirectory } from './people-directory.service.js';

const PERSON_REF = /^(Practitioner|RelatedPerson)\/[A-Za-z0-9\-.]{1,64}$/;
const peopleQuery = z
  .object({
    refs: z
      .string()
      .max(8000)
      .transform((v) => v.split(',').filter(Boolean))
      .refine((refs) => refs.length >= 1 && refs.length <= 100, 'between 1 and 100 comma-separated references')
      .refine((refs) => refs.every((r) => PERSON_REF.test(r)), 'every reference must be Practitioner/<id> or RelatedPerson/<id>'),
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
  async people(@Query() query: unknown, @CurrentUser() user: SessionUser) {
    return this.directory.labels(user, parseBody(peopleQuery, query).refs);
  }
}
