import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { LaunchContextItem } from './launch-form';

// GET /api/context: who is signed in, the patient in context (EHR launch) and the EHR.

export type Role = 'clinician' | 'coordinator' | 'quality' | 'admin' | 'patient' | 'caregiver';

export interface PatientBannerData {
  id: string;
  name: string | null;
  birthDate: string | null;
  gender: string | null;
  mrn: string | null;
  /** The language the patient prefers in the EHR (Patient.communication), when the module supports it. */
  language?: string | null;
}

export interface AppContext {
  user: { role: Role; displayName: string; fhirUser: string };
  patient: PatientBannerData | null;
  needPatientBanner: boolean;
  smartStyleUrl: string | null;
  encounterId: string | null;
  /** SMART App Launch 2.2 fhirContext the EHR launched with (a form to open: lib/launch-form.ts). */
  fhirContext: LaunchContextItem[] | null;
  ehr: { name: string; issuer: string };
  csrfToken: string;
}

export const Ctx = createContext<AppContext | null>(null);

export function useApp(): AppContext {
  const ctx = useContext(Ctx);
  if (!ctx) throw new Error('useApp outside the signed-in app');
  return ctx;
}

export function hasRole(ctx: AppContext, ...roles: Role[]): boolean {
  return roles.includes(ctx.user.role);
}
