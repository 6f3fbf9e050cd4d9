import type { Registration } from './admin';
import { api } from './api';
import type { OperationOutcome } from './outcome';

// Where and as whom a registration's write-backs go, and the admin's "check connection"
// (src/smart/registry/registration-check.service.ts).

export type WriteBackAuth = 'system' | 'user';
export type DeliveryMode = 'transaction' | 'individual';
export interface DeliveryOverrides { mode?: DeliveryMode; maxEntries?: number; conditionalWrites?: boolean }

/** As the service shows it under `writeBack`; null = the default (the issuer, discovery, the launch client). */
export interface WriteBackSettings {
  fhirBaseUrl: string | null;
  tokenEndpoint: string | null;
  systemClientId: string | null;
  auth: WriteBackAuth;
  delivery: DeliveryOverrides;
}
export type RegistrationView = Registration & { writeBack: WriteBackSettings };

/** What PATCH takes (flat, unlike the view). */
export interface WriteBackPatch {
  fhirBaseUrl?: string | null;
  tokenEndpoint?: string | null;
  systemClientId?: string | null;
  systemScopes?: string | null;
  writeBackAuth?: WriteBackAuth;
  delivery?: DeliveryOverrides;
}

export type CheckStepName = 'discovery' | 'token' | 'capabilities' | 'dry-run';
export type StepResult = 'ok' | 'failed' | 'skipped';
export interface CheckStep { step: CheckStepName | string; result: StepResult; detail: string }
export interface DeliveryProfile {
  mode: DeliveryMode;
  maxEntries: number | null;
  conditionalCreate: boolean;
  conditionalUpdate: boolean;
  searchByIdentifier?: boolean;
  source: string;
}
export interface ConnectionReport {
  registrationId: string;
  fhirBaseUrl: string;
  tokenEndpoint: string | null;
  writeBackAuth: WriteBackAuth;
  steps: CheckStep[];
  /** Absent when neither the EHR nor the registration says enough to deliver without duplicates. */
  delivery?: DeliveryProfile | null;
}

export const writeBack = {
  update: (id: string, patch: WriteBackPatch) => api.patch<RegistrationView>(`/api/admin/registrations/${id}`, patch),
  check: (id: string) => api.post<ConnectionReport>(`/api/admin/registrations/${id}/check`),
};

/**
 * The steps of a failed check (422): one issue per step, its text "token: failed — …" and its expression the
 * step. Passed steps come as `informational` issues, so the result is read from the text, not the severity.
 */
export function stepsOf(outcome: OperationOutcome): CheckStep[] {
  return outcome.issue.map((i) => {
    const text = i.details?.text ?? i.diagnostics ?? '';
    const m = /^([\w-]+): (ok|failed|skipped) — ([\s\S]*)$/.exec(text);
    if (m) return { step: m[1], result: m[2] as StepResult, detail: m[3] };
    return { step: i.expression?.[0] ?? 'check', result: i.code === 'informational' ? 'ok' : 'failed', detail: text };
  });
}

/** "one transaction", "transactions of at most 8 entries", "one request per resource". */
export function deliveryModeText(p: Pick<DeliveryProfile, 'mode' | 'maxEntries'>): string {
  if (p.mode === 'individual') return 'one request per resource';
  return p.maxEntries ? `transactions of at most ${p.maxEntries} entries` : 'one transaction';
}

export function conditionalWritesText(p: DeliveryProfile): string {
  if (p.conditionalCreate && p.conditionalUpdate) return 'yes';
  const fallback = p.searchByIdentifier ? ' (searches by our identifier before writing)' : '';
  if (p.conditionalCreate) return `create only${fallback}`;
  return `no${fallback}`;
}

/** The registration's own delivery overrides in words ("" when it takes what the EHR says). */
export function overridesText(o: DeliveryOverrides): string {
  return [
    o.mode ? `mode: ${deliveryModeText({ mode: o.mode, maxEntries: null })}` : '',
    o.maxEntries ? `at most ${o.maxEntries} entries a Bundle` : '',
    o.conditionalWrites === false ? 'no conditional writes' : o.conditionalWrites === true ? 'conditional writes vouched for' : '',
  ]
    .filter(Boolean)
    .join('; ');
}

/** Light checks before sending; the service has the last word (its 400 names the field). */
export function checkUrl(v: string): string | undefined {
  if (!v) return undefined;
  return /^https?:\/\/[^\s*]+$/.test(v) && URL.canParse(v) ? undefined : 'Enter an http(s) URL such as https://ehr.example.org/fhir.';
}
