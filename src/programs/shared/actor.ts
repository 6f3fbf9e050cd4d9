import type { Request } from 'express';
import type { SessionUser } from '../../common/auth/session-user.js';

/** Who is acting and in which request: for the audit log, the Provenance and the tenant (EHR registration). */
export interface Actor {
  user: SessionUser;
  requestId: string | null;
}

export function actorOf(user: SessionUser, req: Request): Actor {
  return { user, requestId: (req as { id?: string }).id ?? null };
}

/** The audit log's view of an actor. */
export function audited(a: Actor): { actor: string; actorRole: string; requestId: string | null } {
  return { actor: a.user.fhirUser, actorRole: a.user.role, requestId: a.requestId };
}
