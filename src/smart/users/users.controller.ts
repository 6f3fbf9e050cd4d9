import { Body, Controller, Get, Param, Patch, Req } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { z } from 'zod';
import { CurrentUser } from '../../common/auth/current-user.decorator.js';
import { ROLES } from '../../common/auth/roles.js';
import { Roles } from '../../common/auth/roles.decorator.js';
import type { SessionUser } from '../../common/auth/session-user.js';
import { parseBody } from '../../common/http/parse-body.js';
import { UsersService } from './users.service.js';

const rolePatch = z.object({ role: z.enum(ROLES) }).strict();

@ApiTags('admin')
@Controller('api/admin/users')
@Roles('admin')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @ApiOperation({ summary: 'Users and their roles' })
  async list() {
    return (await this.users.list()).map((u) => ({ id: u.id, registrationId: u.registrationId, fhirUser: u.fhirUser, role: u.role, displayName: u.displayName, lastSignInAt: u.lastSignInAt }));
  }

  @Patch(':id')
  @ApiOperation({ summary: "Change a user's role" })
  async setRole(@Param('id') id: string, @Body() body: unknown, @CurrentUser() u: SessionUser, @Req() req: Request) {
    const { role } = parseBody(rolePatch, body);
    const saved = await this.users.setRole(id, role, { actor: u.fhirUser, actorRole: u.role, requestId: (req as { id?: string }).id });
    return { id: saved.id, fhirUser: saved.fhirUser, role: saved.role, displayName: saved.displayName };
  }
}
