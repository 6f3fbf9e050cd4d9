import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { AuditService } from '../../audit/audit.service.js';
import type { Role } from '../../common/auth/roles.js';
import { DomainError } from '../../common/errors/domain-error.js';
import { securityConfig, type SecurityConfig } from '../../config/security.config.js';
import type { Actor } from '../registry/registry.service.js';
import type { FhirUserType } from '../launch/fhir-user.js';
import { AppUser } from './app-user.entity.js';

/**
 * The role a user gets on first sign-in; an admin may change it later. A bootstrap admin is named with the
 * EHR it signs in through (`issuer|Practitioner/id`): a practitioner id alone can be asserted by any EHR, and
 * a wildcard registration (a public launcher) lets anyone choose one, so it never yields an admin.
 */
export function initialRole(type: FhirUserType, reference: string, bootstrapAdmins: string[], issuer: string): Role {
  if (!issuer.endsWith('/*') && bootstrapAdmins.includes(`${issuer}|${reference}`)) return 'admin';
  if (type === 'Patient') return 'patient';
  if (type === 'RelatedPerson') return 'caregiver';
  return 'clinician';
}

@Injectable()
export class UsersService {
  constructor(
    @InjectRepository(AppUser) private readonly users: Repository<AppUser>,
    @Inject(securityConfig.KEY) private readonly security: SecurityConfig,
    private readonly audit: AuditService,
  ) {}

  /** Finds or creates the user for a sign-in. Patients and caregivers can never hold a staff role. */
  async signIn(registration: { id: string; issuer: string }, fhirUser: { type: FhirUserType; reference: string }, displayName: string): Promise<AppUser> {
    const registrationId = registration.id;
    let user = await this.users.findOneBy({ registrationId, fhirUser: fhirUser.reference });
    if (!user) {
      await this.users
        .createQueryBuilder()
        .insert()
        .values({ registrationId, fhirUser: fhirUser.reference, displayName, role: initialRole(fhirUser.type, fhirUser.reference, this.security.bootstrapAdmins, registration.issuer) })
        .orIgnore()
        .execute();
      user = await this.users.findOneByOrFail({ registrationId, fhirUser: fhirUser.reference });
    }
    user.displayName = displayName;
    user.lastSignInAt = new Date();
    return this.users.save(user);
  }

  list(registrationId?: string): Promise<AppUser[]> {
    return this.users.find({ where: registrationId ? { registrationId } : {}, order: { createdAt: 'ASC' } });
  }

  async setRole(id: string, role: Role, by: Actor): Promise<AppUser> {
    const user = /^[0-9a-f-]{36}$/i.test(id) ? await this.users.findOneBy({ id }) : null;
    if (!user) throw new DomainError('COMMON.NOT_FOUND', 'No such user.');
    const isPerson = /^(Patient|RelatedPerson)\//.test(user.fhirUser);
    if (isPerson !== (role === 'patient' || role === 'caregiver')) {
      throw new DomainError('COMMON.VALIDATION', 'Patients and caregivers keep their own roles; staff roles are for practitioners.');
    }
    const before = user.role;
    user.role = role;
    const saved = await this.users.save(user);
    await this.audit.record({
      action: 'user.role.change',
      outcome: 'success',
      actor: by.actor,
      actorRole: by.actorRole,
      resourceType: 'AppUser',
      resourceId: id,
      requestId: by.requestId ?? null,
      detail: { from: before, to: role },
    });
    return saved;
  }
}
