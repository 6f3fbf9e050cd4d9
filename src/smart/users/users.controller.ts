import { Controller, Get, Param, Patch, Post, Req } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { z } from 'zod';
import { AuditRead } from '../../audit/audit-read.decorator.js';
import { CurrentUser } from '../../common/auth/current-user.decorator.js';
import { ROLES, STAFF_ROLES } from '../../common/auth/roles.js';
import { Roles } from '../../common/auth/roles.decorator.js';
import type { SessionUser } from '../../common/auth/session-user.js';
import { DomainError } from '../../common/errors/domain-error.js';
import { ZodBody, ZodQuery } from '../../common/http/zod-params.js';
import { RegistryService } from '../registry/registry.service.js';
import type { AppUser } from './app-user.entity.js';
import { PractitionerDirectory } from './practitioner-directory.service.js';
import { USERS_PAGE_MAX, UsersService, type UserActor } from './users.service.js';
import { referencePattern } from '../../fhir/ids.js';

const rolePatch = z.object({ role: z.enum(ROLES) }).strict().meta({ example: { role: 'coordinator' } });
const pendingUser = z
  .object({
    fhirUser: z.string().regex(referencePattern('Practitioner'), 'must be Practitioner/<id>, chosen from the EHR'),
    role: z.enum(STAFF_ROLES),
    /** Defaults to the EHR the admin is signed in through (whose Practitioners they searched). */
    registrationId: z.string().uuid().optional(),
    /** Only for another EHR's practitioner, whom this session cannot read. */
    displayName: z.string().trim().min(1).max(200).optional(),
  })
  .strict()
  .meta({ example: { fhirUser: 'Practitioner/prac-301', role: 'clinician' } });

/** A page of the admin's clinic's users, oldest first: a short page (fewer than `limit`) is the last. */
const userListQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(USERS_PAGE_MAX).default(100).meta({ description: `1–${USERS_PAGE_MAX}, default 100`, example: 50 }),
    offset: z.coerce.number().int().min(0).max(1_000_000).default(0).meta({ description: 'users to skip (the rows of the pages before)', example: 100 }),
  })
  .strict();

const view = (u: AppUser) => ({
  id: u.id,
  registrationId: u.registrationId,
  fhirUser: u.fhirUser,
  role: u.role,
  displayName: u.displayName,
  lastSignInAt: u.lastSignInAt,
  /** Not signed in yet: the role waits for their first launch. */
  pending: u.lastSignInAt === null,
});

const actorOf = (u: SessionUser, req: Request): UserActor => ({ actor: u.fhirUser, actorRole: u.role, requestId: (req as { id?: string }).id, userId: u.userId });

@ApiTags('admin')
@Controller('api/admin/users')
@Roles('admin')
export class UsersController {
  constructor(
    private readonly users: UsersService,
    private readonly registry: RegistryService,
    private readonly practitioners: PractitionerDirectory,
  ) {}

  @Get()
  @ApiOperation({
    summary: "Users of the admin's EHR and their roles (pending: a role given before the first sign-in), oldest first, a page at a time (?limit&offset)",
    description: 'A page shorter than `limit` is the last one.',
  })
  // Patients and caregivers who signed in are users too: the list names them, so it is a read of patient data.
  @AuditRead('user.search', { resourceType: 'AppUser', patients: [{ result: 'fhirUser' }], detail: { count: true } })
  async list(@ZodQuery(userListQuery) q: z.infer<typeof userListQuery>, @CurrentUser() u: SessionUser) {
    return (await this.users.list(u.registrationId, q)).map((x) => ({ ...view(x), you: x.id === u.userId }));
  }

  @Post()
  @ApiOperation({ summary: "Give a practitioner a role before their first sign-in {fhirUser, role, registrationId?}; the name is read from the admin's EHR" })
  async createPending(@ZodBody(pendingUser) input: z.infer<typeof pendingUser>, @CurrentUser() u: SessionUser, @Req() req: Request) {
    const registration = await this.registry.get(input.registrationId ?? u.registrationId);
    let displayName = input.displayName;
    if (registration.id === u.registrationId) {
      // The practitioner must exist in the EHR; their name comes from it, never from the request.
      displayName = (await this.practitioners.get(u, input.fhirUser.slice('Practitioner/'.length))).name ?? input.fhirUser;
    } else if (!displayName) {
      throw new DomainError('COMMON.VALIDATION', "A practitioner of another EHR needs a displayName (this session cannot read that EHR's records).", [
        { message: 'required for another EHR', expression: 'displayName' },
      ]);
    }
    return view(await this.users.createPending({ registration, fhirUser: input.fhirUser, role: input.role, displayName }, actorOf(u, req)));
  }

  @Patch(':id')
  @ApiOperation({ summary: "Change a user's role (ends their open sessions; not your own role)" })
  async setRole(@Param('id') id: string, @ZodBody(rolePatch) { role }: z.infer<typeof rolePatch>, @CurrentUser() u: SessionUser, @Req() req: Request) {
    const saved = await this.users.setRole(id, role, actorOf(u, req));
    return { id: saved.id, fhirUser: saved.fhirUser, role: saved.role, displayName: saved.displayName };
  }
}
