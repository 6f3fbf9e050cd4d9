import { Controller, Get, HttpCode, Param, Patch, Post, Req } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { NoPatientData } from '../../audit/audit-read.decorator.js';
import { CurrentUser } from '../../common/auth/current-user.decorator.js';
import { Roles } from '../../common/auth/roles.decorator.js';
import type { SessionUser } from '../../common/auth/session-user.js';
import { ZodBody } from '../../common/http/zod-params.js';
import { registrationInput, registrationPatch, type RegistrationInput, type RegistrationPatch } from './registration.schema.js';
import { RegistrationCheck } from './registration-check.service.js';
import { publicView, RegistryService, type Actor } from './registry.service.js';

const actorOf = (u: SessionUser, req: Request): Actor => ({ actor: u.fhirUser, actorRole: u.role, requestId: (req as { id?: string }).id });

@ApiTags('admin')
@Controller('api/admin/registrations')
@Roles('admin')
export class RegistryController {
  constructor(
    private readonly registry: RegistryService,
    private readonly checker: RegistrationCheck,
  ) {}

  @Get()
  @ApiOperation({ summary: 'EHR registrations' })
  @NoPatientData('EHR registrations')
  async list() {
    return (await this.registry.list()).map(publicView);
  }

  @Get(':id')
  @NoPatientData('EHR registrations')
  async get(@Param('id') id: string) {
    return publicView(await this.registry.get(id));
  }

  @Post()
  @ApiOperation({ summary: 'Register an EHR' })
  async create(@ZodBody(registrationInput) body: RegistrationInput, @CurrentUser() u: SessionUser, @Req() req: Request) {
    return publicView(await this.registry.create(body, actorOf(u, req)));
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change a registration (enabled: false is held to the rules of disable)' })
  async update(@Param('id') id: string, @ZodBody(registrationPatch) body: RegistrationPatch, @CurrentUser() u: SessionUser, @Req() req: Request) {
    const { enabled, ...rest } = body;
    const by = actorOf(u, req);
    if (enabled === false) await this.registry.disable(id, by, u.registrationId);
    const patch = enabled === true ? { ...rest, enabled } : rest;
    return publicView(Object.keys(patch).length || enabled === undefined ? await this.registry.update(id, patch, by) : await this.registry.get(id));
  }

  @Post(':id/check')
  @ApiOperation({ summary: 'Check connection: discovery, a token round trip, the CapabilityStatement and delivery mode, a validation dry-run (writes nothing)' })
  @HttpCode(200)
  async check(@Param('id') id: string, @CurrentUser() u: SessionUser, @Req() req: Request) {
    return this.checker.check(id, actorOf(u, req));
  }

  @Post(':id/disable')
  @ApiOperation({ summary: 'Disable a registration (launches from it are refused); not the one you are signed in through, nor the last enabled one (409)' })
  async disable(@Param('id') id: string, @CurrentUser() u: SessionUser, @Req() req: Request) {
    return publicView(await this.registry.disable(id, actorOf(u, req), u.registrationId));
  }

  @Post(':id/enable')
  @HttpCode(200)
  @ApiOperation({ summary: 'Enable a disabled registration again (audited)' })
  async enable(@Param('id') id: string, @CurrentUser() u: SessionUser, @Req() req: Request) {
    return publicView(await this.registry.enable(id, actorOf(u, req)));
  }
}
