import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Practitioner } from 'fhir/r4.js';
import { In, type Repository } from 'typeorm';
import type { SessionUser } from '../../common/auth/session-user.js';
import { DomainError } from '../../common/errors/domain-error.js';
import { FhirGateway } from '../../fhir/fhir-gateway.js';
import { formatHumanName } from '../launch/display-name.js';
import { UserFhirAccess } from '../session/user-fhir-access.service.js';
import { AppUser } from './app-user.entity.js';
import { cursorFromNextLink, paramsFromCursor } from './search-cursor.js';

export const PAGE_SIZE = 20;

/** A Practitioner as the admin picks one: who they are, and the role they already have here, if any. */
export interface PractitionerChoice {
  fhirUser: string;
  name: string | null;
  /** What the EHR says they do (first qualification), to tell two people of the same name apart. */
  qualification: string | null;
  identifier: string | null;
  active: boolean | null;
  user: { id: string; role: string; pending: boolean } | null;
}

function choice(p: Practitioner & { id: string }, user: AppUser | undefined): PractitionerChoice {
  const q = p.qualification?.[0]?.code;
  return {
    fhirUser: `Practitioner/${p.id}`,
    name: formatHumanName(p.name) ?? null,
    qualification: q?.text ?? q?.coding?.[0]?.display ?? null,
    identifier: p.identifier?.[0]?.value ?? null,
    active: p.active ?? null,
    user: user ? { id: user.id, role: user.role, pending: user.lastSignInAt === null } : null,
  };
}

/**
 * The EHR's Practitioners, for giving roles before a first sign-in. Always read with the admin's own token
 * (the EHR decides what they may see), one page at a time.
 */
@Injectable()
export class PractitionerDirectory {
  constructor(
    private readonly fhir: FhirGateway,
    private readonly access: UserFhirAccess,
    @InjectRepository(AppUser) private readonly users: Repository<AppUser>,
  ) {}

  /** `withRoles: false` skips looking up the role each has here (only admins are shown roles). */
  async search(
    user: SessionUser,
    q: { name?: string; cursor?: string; count?: number },
    { withRoles = true }: { withRoles?: boolean } = {},
  ): Promise<{ items: PractitionerChoice[]; next: string | null }> {
    const conn = await this.access.connection(user);
    let params: Record<string, string | string[]>;
    if (q.cursor) {
      const fromCursor = paramsFromCursor(q.cursor);
      if (!fromCursor) throw new DomainError('COMMON.VALIDATION', 'This page link is not valid; search again.', [{ message: 'not a page link of this list', expression: 'cursor' }]);
      params = fromCursor;
    } else {
      params = { ...(q.name ? { name: q.name } : {}), _count: String(q.count ?? PAGE_SIZE) };
    }
    const bundle = await this.fhir.search(conn, 'Practitioner', params as Record<string, string>);
    const found = (bundle.entry ?? [])
      .map((e) => e.resource)
      .filter((r): r is Practitioner & { id: string } => r?.resourceType === 'Practitioner' && typeof r.id === 'string');
    const known = found.length && withRoles
      ? await this.users.findBy({ registrationId: user.registrationId, fhirUser: In(found.map((p) => `Practitioner/${p.id}`)) })
      : [];
    return {
      items: found.map((p) => choice(p, known.find((u) => u.fhirUser === `Practitioner/${p.id}`))),
      next: cursorFromNextLink(conn.baseUrl, 'Practitioner', bundle.link?.find((l) => l.relation === 'next')?.url),
    };
  }

  /** One Practitioner of the admin's EHR (404 when the EHR has none by that id). */
  async get(user: SessionUser, id: string): Promise<PractitionerChoice> {
    const p = await this.fhir.read<Practitioner>(await this.access.connection(user), 'Practitioner', id);
    const known = await this.users.findOneBy({ registrationId: user.registrationId, fhirUser: `Practitioner/${id}` });
    return choice({ ...p, id }, known ?? undefined);
  }
}
