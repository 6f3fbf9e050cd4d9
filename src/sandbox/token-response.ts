import type { SandboxFhirContextItem } from './launch-fhir-context.js';

/** What the token endpoint returns (RFC 6749 §5.1 plus SMART launch context). */
export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  scope: string;
  refresh_token?: string;
  id_token?: string;
  patient?: string;
  encounter?: string;
  need_patient_banner?: boolean;
  smart_style_url?: string;
  /** SMART App Launch 2.2: each item a `reference`, or a `canonical` with its `type`. */
  fhirContext?: SandboxFhirContextItem[];
}

/** The context a token carries, whichever grant produced it. */
export interface GrantContext {
  clientId: string;
  scope: string;
  userRef: string | null;
  patientId: string | null;
  encounterId: string | null;
  /** The launch's own fhirContext items (the encounter is added to them in the response). */
  fhirContext: SandboxFhirContextItem[] | null;
  authorizationId: string | null;
}

/** SMART launch context parameters for a user-facing grant; none for a backend (system) grant. */
export function launchContext(g: GrantContext, styleUrl: string): Partial<TokenResponse> {
  if (!g.userRef) return {};
  const fhirContext = [...(g.encounterId ? [{ reference: `Encounter/${g.encounterId}` }] : []), ...(g.fhirContext ?? [])];
  return {
    ...(g.patientId ? { patient: g.patientId } : {}),
    ...(g.encounterId ? { encounter: g.encounterId } : {}),
    ...(fhirContext.length ? { fhirContext } : {}),
    // The sandbox draws no banner of its own around the app, so an app with a patient must show one.
    need_patient_banner: !!g.patientId,
    smart_style_url: styleUrl,
  };
}
