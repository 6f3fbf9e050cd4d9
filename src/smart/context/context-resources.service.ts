import { Injectable } from '@nestjs/common';
import type { FhirResource } from 'fhir/r4.js';
import type { SessionUser } from '../../common/auth/session-user.js';
import { DomainError } from '../../common/errors/domain-error.js';
import { FhirGateway } from '../../fhir/fhir-gateway.js';
import { parseReference } from '../../fhir/references.js';
import { UserFhirAccess } from '../session/user-fhir-access.service.js';

/** A resource read, or why it could not be (the EHR's refusal as its coded error, never its body). */
export type ContextRead = { resource: FhirResource } | { missing: string };

/**
 * Resources of the user's own launch, read from the EHR with the user's own token, as the banner reads the
 * patient: what the EHR would not show the user directly is never read for them (SDC population's access rule).
 * Each read fails alone, so a form can be pre-filled with what could be read.
 */
@Injectable()
export class ContextResources {
  constructor(
    private readonly fhir: FhirGateway,
    private readonly access: UserFhirAccess,
  ) {}

  async read(user: SessionUser, references: string[]): Promise<ContextRead[]> {
    if (!references.length) return [];
    const conn = await this.access.connection(user);
    return Promise.all(
      references.map(async (reference): Promise<ContextRead> => {
        const parsed = parseReference(reference);
        if (!parsed) return { missing: 'Not a FHIR reference.' };
        try {
          return { resource: await this.fhir.read<FhirResource>(conn, parsed.type as FhirResource['resourceType'], parsed.id) };
        } catch (err) {
          if (err instanceof DomainError && err.code === 'AUTH.SESSION_EXPIRED') throw err;
          return { missing: err instanceof DomainError ? err.message : 'The EHR could not be read.' };
        }
      }),
    );
  }
}
