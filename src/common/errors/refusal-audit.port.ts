// What the error filter needs from the audit log, as a port: common sits below audit and never imports it.
// An abstract class, so it doubles as the Nest injection token; the audit module provides it
// (src/audit/refusal-audit.ts).

/** A refusal raised inside a service (an AUTH.* DomainError), as the audit log records it. */
export interface Refusal {
  /** The signed-in user's fhirUser and role, when there is one. */
  actor: string | null;
  actorRole: string | null;
  /** The patient whose data was asked for, else the session's. */
  patientId: string | null;
  requestId: string | null;
  /** The error code. */
  reason: string;
  method: string;
  /** The route's path pattern, when the request reached one. */
  route: string | null;
}

export abstract class RefusalAudit {
  /** Records the refusal (`access.denied`); rejects when the audit log cannot be written. */
  abstract record(refusal: Refusal): Promise<void>;
}
