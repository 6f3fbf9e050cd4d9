import type { CapabilityStatement, CapabilityStatementRestResource } from 'fhir/r4.js';

/**
 * How one EHR takes our writes. Pure: learned from its CapabilityStatement, then overridden by the
 * registration (an admin knows things an EHR does not advertise, such as a Bundle size limit).
 *
 * - `transaction`: each unit of work as one transaction Bundle, or as chunks of at most `maxEntries` in
 *   dependency order when the EHR caps Bundles (references to earlier chunks rewritten to the ids it assigned).
 * - `individual`: one REST request per resource, in dependency order, for EHRs without transactions.
 * Without conditional create (or update), we search by our business identifier first and create only what
 * is not there: every mode stays idempotent.
 */
export type DeliveryMode = 'transaction' | 'individual';

export interface DeliveryProfile {
  mode: DeliveryMode;
  /** Largest transaction Bundle the EHR takes (entries); null = no known limit. */
  maxEntries: number | null;
  conditionalCreate: boolean;
  conditionalUpdate: boolean;
  /**
   * The EHR says it searches every type we write by `identifier` (Provenance by `_tag`): the fallback that
   * keeps writes duplicate-free without conditional ones. A server ignores a parameter it does not know and
   * answers everything, so search-first is only used where the CapabilityStatement lists the parameter.
   */
  searchByIdentifier: boolean;
  /** Where the profile came from, for the admin's "check connection". */
  source: 'capability-statement' | 'registration';
}

/**
 * What a registration may force. `conditionalWrites: false` stops If-None-Exist and conditional PUT; `true`
 * (with `mode`) vouches for them, so delivery needs no CapabilityStatement (an EHR that serves none).
 */
export interface DeliveryOverrides {
  mode?: DeliveryMode;
  maxEntries?: number;
  conditionalWrites?: boolean;
}

/** The resource types this module writes; conditional support must hold for all of them to be used. */
export const WRITTEN_TYPES = [
  'ServiceRequest',
  'Task',
  'CarePlan',
  'Appointment',
  'Encounter',
  'QuestionnaireResponse',
  'Observation',
  'Provenance',
  'Communication',
] as const;

/**
 * Reads the server's REST capabilities (transaction support; conditional create/update and search by our
 * identifier for every type we write), then the registration's overrides. Undefined when neither says enough
 * to write without duplicates: delivery then waits rather than guess (an EHR that silently ignores
 * If-None-Exist would duplicate every resend).
 */
export function profileFromCapabilities(cs: CapabilityStatement | undefined, overrides: DeliveryOverrides = {}): DeliveryProfile | undefined {
  const rest = cs?.resourceType === 'CapabilityStatement' ? (cs.rest ?? []).find((r) => r.mode === 'server') : undefined;
  if (rest) {
    const serverParams = new Set((rest.searchParam ?? []).map((p) => p.name));
    const learned: DeliveryProfile = {
      mode: (rest.interaction ?? []).some((i) => i.code === 'transaction') ? 'transaction' : 'individual',
      maxEntries: null,
      conditionalCreate: supportsForAll(rest.resource, (r) => r.conditionalCreate === true),
      conditionalUpdate: supportsForAll(rest.resource, (r) => r.conditionalUpdate === true),
      searchByIdentifier: supportsForAll(rest.resource, (r) => {
        const wanted = r.type === 'Provenance' ? '_tag' : 'identifier';
        return serverParams.has(wanted) || (r.searchParam ?? []).some((p) => p.name === wanted);
      }),
      source: 'capability-statement',
    };
    return applyOverrides(learned, overrides);
  }
  if (overrides.mode && overrides.conditionalWrites === true) {
    return { mode: overrides.mode, maxEntries: overrides.maxEntries ?? null, conditionalCreate: true, conditionalUpdate: true, searchByIdentifier: false, source: 'registration' };
  }
  return undefined;
}

export function applyOverrides(p: DeliveryProfile, o: DeliveryOverrides): DeliveryProfile {
  return {
    ...p,
    ...(o.mode ? { mode: o.mode } : {}),
    ...(o.maxEntries ? { maxEntries: o.maxEntries } : {}),
    ...(o.conditionalWrites === false ? { conditionalCreate: false, conditionalUpdate: false } : {}),
    ...(o.conditionalWrites === true ? { conditionalCreate: true, conditionalUpdate: true } : {}),
  };
}

function supportsForAll(resources: CapabilityStatementRestResource[] | undefined, test: (r: CapabilityStatementRestResource) => boolean): boolean {
  const byType = new Map((resources ?? []).map((r) => [r.type, r]));
  return WRITTEN_TYPES.every((t) => {
    const r = byType.get(t);
    return !!r && test(r);
  });
}

/** Can this profile write without ever creating a duplicate? Conditional writes, or a search it can trust. */
export function idempotent(p: DeliveryProfile): boolean {
  return (p.conditionalCreate && p.conditionalUpdate) || p.searchByIdentifier;
}

/**
 * Did the EHR refuse the request because the Bundle is too large (so smaller pieces would pass)? 413, or a
 * 400/422 whose OperationOutcome says so (Medplum: "Transaction requires strict isolation but has too many
 * entries"; HAPI and others: "too many entries", "exceeds the maximum").
 */
export function isTooLarge(status: number, outcome: unknown): boolean {
  if (status === 413) return true;
  if (status !== 400 && status !== 422) return false;
  const issues = (outcome as { issue?: { diagnostics?: unknown; details?: { text?: unknown } }[] } | undefined)?.issue ?? [];
  return issues.some((i) => /too many entries|too large|exceeds the maximum|maximum (bundle|number of entries)|bundle size/i.test(`${String(i.diagnostics ?? '')} ${String(i.details?.text ?? '')}`));
}
