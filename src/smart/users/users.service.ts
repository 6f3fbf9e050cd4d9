import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, type Repository } from 'typeorm';
import { AuditService } from '../../audit/audit.service.js';
import { STAFF_ROLES, type Role, type StaffRole } from '../../common/auth/roles.js';
import { DomainError } from '../../common/errors/domain-error.js';
import { isUuid } from '../../common/uuid.js';
import { securityConfig, type SecurityConfig } from '../../config/security.config.js';
import type { Actor } from '../registry/registry.service.js';
import type { FhirUserType } from '../launch/fhir-user.js';
import { SessionService } from '../session/session.service.js';
import { AppUser } from './app-user.entity.js';

/** An admin acting on users; `userId` is their own user, so they cannot change their own role. */
export interface UserActor extends Actor {
  userId?: string;
}

/** A role given before the person's first sign-in: their first launch through this EHR picks it up. */
export interface PendingUser {
  registration: { id: string; issuer: string };
  /** `Practitioner/<id>`, as the EHR's id_token will name them. */
  fhirUser: string;
  role: StaffRole;
  displayName: string;
}

/** The most users one page of the admin's list holds. */
export const USERS_PAGE_MAX = 500;

const WILDCARD_ADMIN = 'Through a launcher registration (issuer ending in /*) anyone can choose any practitioner: it can never yield an admin.';

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

/**
 * The roles a user may hold, by what their EHR record is (their fhirUser): a Patient is a patient and a RelatedPerson
 * a caregiver (a caregiver answers forms about the patient and themselves, a patient only their own; DESIGN.md's
 * roles), whatever an admin asks; a practitioner holds a staff role, never a patient's or caregiver's.
 */
export function rolesAllowed(fhirUser: string): readonly Role[] {
  if (fhirUser.startsWith('Patient/')) return ['patient'];
  if (fhirUser.startsWith('RelatedPerson/')) return ['caregiver'];
  return STAFF_ROLES;
}

/** "A patient", "A caregiver", "A practitioner": who the refused change was about, without their id. */
function personKind(fhirUser: string): string {
  if (fhirUser.startsWith('Patient/')) return 'A patient';
  if (fhirUser.startsWith('RelatedPerson/')) return 'A caregiver';
  return 'A practitioner';
}

@Injectable()
export class UsersService {
  constructor(
    @InjectRepository(AppUser) private readonly users: Repository<AppUser>,
    @Inject(securityConfig.KEY) private readonly security: SecurityConfig,
    private readonly audit: AuditService,
    private readonly sessions: SessionService,
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

  /**
   * One clinic's users (an EHR registration's), oldest first, a page at a time: patients and caregivers who signed
   * in are users too, so the list is never unbounded and never mixes clinics.
   */
  list(registrationId: string, page: { limit: number; offset: number } = { limit: USERS_PAGE_MAX, offset: 0 }): Promise<AppUser[]> {
    return this.users.find({
      where: { registrationId },
      order: { createdAt: 'ASC', id: 'ASC' },
      take: Math.min(Math.max(1, page.limit), USERS_PAGE_MAX),
      skip: Math.max(0, page.offset),
    });
  }

  /**
   * Changes a user's role and ends their open sessions in the same transaction: a session keeps the patient
   * context its launch gave, which the new role may not hold (quality and admin never hold a patient), so the
   * person launches again and gets the context their new role allows.
   */
  async setRole(id: string, role: Role, by: UserActor): Promise<AppUser> {
    const user = isUuid(id) ? await this.users.findOne({ where: { id }, relations: { registration: true } }) : null;
    if (!user) throw new DomainError('COMMON.NOT_FOUND', 'No such user.');
    if (!rolesAllowed(user.fhirUser).includes(role)) {
      throw new DomainError('USERS.ROLE_NOT_ALLOWED', `${personKind(user.fhirUser)} cannot hold the role ${role}: patients keep the patient role and caregivers (RelatedPerson) the caregiver role; staff roles are for practitioners.`);
    }
    if (by.userId === user.id && role !== user.role) {
      throw new DomainError('USERS.OWN_ROLE', 'You cannot change your own role; another admin can.');
    }
    if (role === 'admin' && user.registration?.issuer.endsWith('/*')) throw new DomainError('COMMON.VALIDATION', WILDCARD_ADMIN);
    if (user.role === role) return user;
    const changed = await this.users.manager.transaction(async (m) => {
      // The person and the admin acting, locked in id order and read again: two admins demoting each other at once
      // both saw the other still an admin and left the clinic with none; and two changes of one person at once
      // both audited the same "from". Now the second waits, then finds its admin demoted (refused) or the role as
      // the first left it.
      const locked = await m.getRepository(AppUser).find({ where: { id: In([user.id, ...(by.userId ? [by.userId] : [])]) }, order: { id: 'ASC' }, lock: { mode: 'pessimistic_write' } });
      if (by.userId && locked.find((u) => u.id === by.userId)?.role !== 'admin') {
        throw new DomainError('AUTH.FORBIDDEN', 'Your own role changed a moment ago: you are no longer an admin, so this change was not made.');
      }
      const current = locked.find((u) => u.id === user.id) ?? user;
      const before = current.role;
      if (before === role) return current; // another admin made the same change a moment ago
      // The row as locked, not the copy read before: save() writes back every field that differs, and would undo a
      // sign-in (name, last sign-in) committed while this change waited for the lock.
      current.role = role;
      const saved = await m.getRepository(AppUser).save(current);
      const ended = await this.sessions.revokeAllOf(user.id, m);
      const who = { actor: by.actor, actorRole: by.actorRole, resourceType: 'AppUser', resourceId: id, requestId: by.requestId ?? null };
      await this.audit.record({ ...who, action: 'user.role.change', outcome: 'success', detail: { from: before, to: role, sessionsEnded: ended } }, m);
      if (ended) await this.audit.record({ ...who, action: 'session.revoke', outcome: 'success', detail: { reason: 'role-change', sessions: ended } }, m);
      return saved;
    });
    // Committed now: a request that read the session between revokeAllOf and the commit must not keep it cached.
    this.sessions.forgetUser(user.id);
    return changed;
  }

  /** Creates a user who has not signed in yet, with the role an admin chose; refused when they already exist. */
  async createPending(p: PendingUser, by: UserActor): Promise<AppUser> {
    if (p.role === 'admin' && p.registration.issuer.endsWith('/*')) throw new DomainError('COMMON.VALIDATION', WILDCARD_ADMIN);
    const inserted = await this.users
      .createQueryBuilder()
      .insert()
      .values({ registrationId: p.registration.id, fhirUser: p.fhirUser, role: p.role, displayName: p.displayName, lastSignInAt: null })
      .orIgnore()
      .returning(['id'])
      .execute();
    const id = (inserted.raw as { id?: string }[])[0]?.id;
    if (!id) throw new DomainError('USERS.EXISTS', `${p.displayName} is already a user of this EHR; change their role in the list instead.`);
    await this.audit.record({
      action: 'user.create',
      outcome: 'success',
      actor: by.actor,
      actorRole: by.actorRole,
      resourceType: 'AppUser',
      resourceId: id,
      requestId: by.requestId ?? null,
      detail: { fhirUser: p.fhirUser, role: p.role, pending: true },
    });
    return this.users.findOneByOrFail({ id });
  }
}
