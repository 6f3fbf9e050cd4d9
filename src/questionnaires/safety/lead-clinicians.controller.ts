import { Controller, Get, Param, Put, Req } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { z } from 'zod';
import { NoPatientData } from '../../audit/audit-read.decorator.js';
import { CurrentUser } from '../../common/auth/current-user.decorator.js';
import { Roles } from '../../common/auth/roles.decorator.js';
import type { SessionUser } from '../../common/auth/session-user.js';
import { parseBody } from '../../common/http/parse-body.js';
import { ZodBody } from '../../common/http/zod-params.js';
import { LeadClinicians } from './lead-clinicians.service.js';
import { referencePattern } from '../../fhir/ids.js';

const setBody = z
  .object({ practitioner: z.string().regex(referencePattern('Practitioner'), 'must be Practitioner/<id>').nullable() })
  .strict()
  .meta({ example: { practitioner: 'Practitioner/prac-301' } });
const programParam = z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'must be a program slug or id');

/** Who receives each program's escalated safety alerts in this clinic. */
@ApiTags('questionnaires')
@Controller('api/alerts/lead-clinicians')
export class LeadCliniciansController {
  constructor(private readonly leads: LeadClinicians) {}

  @Get()
  @Roles('admin', 'coordinator')
  @ApiOperation({ summary: "Each program's lead clinician in this clinic (who receives its escalated safety alerts); null when none is named" })
  @NoPatientData("each program's lead clinician")
  list(@CurrentUser() user: SessionUser) {
    return this.leads.list(user.registrationId);
  }

  @Put(':program')
  @Roles('admin')
  @ApiOperation({ summary: "Name a program's lead clinician {practitioner: 'Practitioner/<id>'}, or remove it with null (audited)" })
  set(@Param('program') program: string, @ZodBody(setBody) { practitioner }: z.infer<typeof setBody>, @CurrentUser() user: SessionUser, @Req() req: Request) {
    return this.leads.set(user, parseBody(programParam, program), practitioner, (req as { id?: string }).id ?? null);
  }
}
