import { Controller, Get, Header, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { NoPatientData } from '../../audit/audit-read.decorator.js';
import { CurrentUser } from '../../common/auth/current-user.decorator.js';
import { Roles } from '../../common/auth/roles.decorator.js';
import type { SessionUser } from '../../common/auth/session-user.js';
import { ZodBody, ZodQuery } from '../../common/http/zod-params.js';
import { actorOf } from '../shared/actor.js';
import { CatalogueService } from './catalogue.service.js';
import { programInputSchema, versionInputSchema, type ProgramInput, type VersionInput } from './program-definition.js';

const FHIR_JSON = 'application/fhir+json';
const catalogueQuery = z
  .object({ format: z.enum(['json', 'fhir']).default('json'), version: z.string().max(20).optional().meta({ description: 'an earlier version (with format=fhir)', example: '1.0.0' }) })
  .strict();

/** The program catalogue. Not patient data: every staff role may read it; only admins change it. */
@ApiTags('programs')
@Controller('api/programs')
export class ProgramsController {
  constructor(private readonly catalogue: CatalogueService) {}

  @Get()
  @Roles('clinician', 'coordinator', 'quality', 'admin')
  @ApiOperation({ summary: 'Programs with their current version' })
  @NoPatientData('the program catalogue')
  async list() {
    return this.catalogue.list();
  }

  @Get(':id')
  @Roles('clinician', 'coordinator', 'quality', 'admin')
  @ApiOperation({ summary: 'One program (by id or slug); ?format=fhir gives the PlanDefinition, ?version= an earlier one' })
  @NoPatientData('the program catalogue')
  async get(@Param('id') id: string, @ZodQuery(catalogueQuery) q: z.infer<typeof catalogueQuery>, @Res({ passthrough: true }) res: Response) {
    if (q.format === 'fhir') {
      res.type(FHIR_JSON);
      return this.catalogue.planDefinition(id, q.version);
    }
    return this.catalogue.get(id);
  }

  @Get(':id/fhir')
  @Roles('clinician', 'coordinator', 'quality', 'admin')
  @Header('Content-Type', FHIR_JSON)
  @ApiOperation({ summary: 'The program as a FHIR R4 PlanDefinition (current version, or ?version=)' })
  @ApiQuery({ name: 'version', required: false })
  @NoPatientData('the program catalogue')
  async fhir(@Param('id') id: string, @Query('version') version?: string) {
    return this.catalogue.planDefinition(id, typeof version === 'string' ? version : undefined);
  }

  @Post()
  @Roles('admin')
  @ApiOperation({ summary: 'Create a program with its first version' })
  async create(@ZodBody(programInputSchema) body: ProgramInput, @CurrentUser() user: SessionUser, @Req() req: Request) {
    return this.catalogue.create(body, actorOf(user, req));
  }

  @Post(':id/versions')
  @Roles('admin')
  @ApiOperation({ summary: 'Publish a new version (enrolments keep the version they started with)' })
  async publish(@Param('id') id: string, @ZodBody(versionInputSchema) body: VersionInput, @CurrentUser() user: SessionUser, @Req() req: Request) {
    return this.catalogue.publish(id, body, actorOf(user, req));
  }
}
