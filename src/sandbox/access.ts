import { SandboxError } from './sandbox-errors.js';
import { PATIENT_COMPARTMENT_TYPES } from './resource-types.js';
import type { Permission, ResourceScope } from './scopes.js';

/** Who is calling the FHIR API, as established by the bearer token. */
export interface SandboxAccess {
  clientId: string;
  scopes: ResourceScope[];
  /** The launch patient, when the token carries one. */
  patientId: string | null;
  userRef: string | null;
}

/** `null`: not compartment-limited; otherwise the `Patient/<id>` reference every touched resource must carry. */
export type Compartment = string | null;

const VERBS: Record<Permission, string> = { c: 'create', r: 'read', u: 'update', d: 'delete', s: 'search' };

/**
 * Decides whether the granted scopes allow `permission` on `type`. `user/` and `system/` scopes are not
 * compartment-limited; when only `patient/` scopes apply, compartment types are limited to the launch patient.
 */
export function permit(access: SandboxAccess, type: string, permission: Permission): Compartment {
  const applicable = access.scopes.filter(
    (s) => (s.resourceType === '*' || s.resourceType === type) && s.permissions.has(permission),
  );
  if (!applicable.length) {
    throw new SandboxError('SANDBOX.SCOPE_DENIED', `The granted scopes do not allow ${VERBS[permission]} on ${type}.`);
  }
  if (applicable.some((s) => s.context !== 'patient') || !PATIENT_COMPARTMENT_TYPES.has(type)) return null;
  if (!access.patientId) {
    throw new SandboxError('SANDBOX.SCOPE_DENIED', `patient/ scopes need a patient in context to ${VERBS[permission]} ${type}.`);
  }
  return `Patient/${access.patientId}`;
}

/** Refuses a resource outside the compartment the token is limited to. */
export function assertInCompartment(compartment: Compartment, patientRef: string | null): void {
  if (compartment !== null && patientRef !== compartment) {
    throw new SandboxError('SANDBOX.SCOPE_DENIED', 'The resource is outside the launch patient\'s compartment.');
  }
}
