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
  /** Where the profile came from, for the admin's "check connection". */
  source: 'capability-statement' | 'default';
}

/** What a registration may force. `conditionalWrites: false` stops If-None-Exist and conditional PUT. */
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
 * When an EHR's CapabilityStatement cannot be read, assume the FHIR norm for a server that offers SMART
 * backend services (transactions with conditional create); a refusal then teaches us otherwise (a Bundle that
 * is too large is split; see `isTooLarge`).
 */
export const DEFAULT_PROFILE: DeliveryProfile = { mode: 'transaction', maxEntries: null, conditionalCreate: true, conditionalUpdate: true, source: 'default' };

/** Reads the server's REST capabilities: transaction support, and conditional create/update for every type we write. */
export function profileFromCapabilities(cs: CapabilityStatement | undefined, overrides: DeliveryOverrides = {}): DeliveryProfile {
  const rest = cs?.resourceType === 'CapabilityStatement' ? (cs.rest ?? []).find((r) => r.mode === 'server') : undefined;
  const learned: DeliveryProfile = rest
    ? {
        mode: (rest.interaction ?? []).some((i) => i.code === 'transaction') ? 'transaction' : 'individual',
        maxEntries: null,
        conditionalCreate: supportsForAll(rest.resource, (r) => r.conditionalCreate === true),
        conditionalUpdate: supportsForAll(rest.resource, (r) => r.conditionalUpdate === true),
        source: 'capability-statement',
      }
    : { ...DEFAULT_PROFILE };
  return applyOverrides(learned, overrides);
}

export function applyOverrides(p: DeliveryProfile, o: DeliveryOverrides): DeliveryProfile {
  return {
    ...p,
    ...(o.mode ? { mode: o.mode } : {}),
    ...(o.maxEntries ? { maxEntries: o.maxEntries } : {}),
    ...(o.conditionalWrites === false ? { conditionalCreate: false, conditionalUpdate: false } : {}),
  };
}

function supportsForAll(resources: CapabilityStatementRestResource[] | undefined, test: (r: CapabilityStatementRestResource) => boolean): boolean {
  const byType = new Map((resources ?? []).map((r) => [r.type, r]));
  return WRITTEN_TYPES.every((t) => {
    const r = byType.get(t);
    return !!r && test(r);
  });
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
