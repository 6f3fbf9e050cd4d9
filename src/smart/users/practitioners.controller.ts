import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { NoPatientData } from '../../audit/audit-read.decorator.js';
import { CurrentUser } from '../../common/auth/current-user.decorator.js';
import { Roles } from '../../common/auth/roles.decorator.js';
import type { SessionUser } from '../../common/auth/session-user.js';
import { ZodQuery } from '../../common/http/zod-params.js';
import { PractitionerDirectory } from './practitioner-directory.service.js';

const practitionerQuery = z
  .object({
    name: z.string().trim().max(100).optional().meta({ description: 'part of the name', example: 'Okafor' }),
    cursor: z.string().max(4000).optional().meta({ description: 'the next of the previous page' }),
    count: z.coerce.number().int().min(1).max(50).optional().meta({ description: '1–50', example: 20 }),
  })
  .strict();
type PractitionerQuery = z.infer<typeof practitionerQuery>;

@ApiTags('admin')
@Controller('api/admin/practitioners')
@Roles('admin')
export class PractitionersController {
  constructor(private readonly directory: PractitionerDirectory) {}

  @Get()
  @ApiOperation({ summary: "The EHR's Practitioners (?name=&count=, then ?cursor= for the next page), read with the admin's own token, with the role each already has here" })
  @NoPatientData("the EHR's practitioners")
  async search(@ZodQuery(practitionerQuery) query: PractitionerQuery, @CurrentUser() u: SessionUser) {
    return this.directory.search(u, query);
  }
}

/**
 * The same search for the staff who choose a facilitator or a therapist (coordinators open cohorts, clinicians
 * and coordinators enrol): the EHR's Practitioners read with the user's own token, without this app's roles.
 */
@ApiTags('programs')
@Controller('api/practitioners')
@Roles('clinician', 'coordinator')
export class StaffPractitionersController {
  constructor(private readonly directory: PractitionerDirectory) {}

  @Get()
  @ApiOperation({ summary: "The EHR's Practitioners to choose a facilitator from (?name=&count=, then ?cursor= for the next page), read with the user's own token" })
  @NoPatientData("the EHR's practitioners")
  async search(@ZodQuery(practitionerQuery) query: PractitionerQuery, @CurrentUser() u: SessionUser) {
    const page = await this.directory.search(u, query, { withRoles: false });
    return { items: page.items.map(({ user: _roles, ...p }) => p), next: page.next };
  }
}
