import { api, query } from './api';

// Roles before a first sign-in: the EHR's Practitioners (searched with the admin's own token) and pending users.

export interface PractitionerChoice {
  fhirUser: string;
  name: string | null;
  qualification: string | null;
  identifier: string | null;
  active: boolean | null;
  user: { id: string; role: string; pending: boolean } | null;
}

export interface PractitionerPage {
  items: PractitionerChoice[];
  /** Opaque: pass back as `cursor` for the next page. */
  next: string | null;
}

export const STAFF_ROLES = ['clinician', 'coordinator', 'quality', 'admin'] as const;

export const practitioners = {
  search: (q: { name?: string; cursor?: string }) => api.get<PractitionerPage>(`/api/admin/practitioners${query(q)}`),
};

export const pendingUsers = {
  create: (fhirUser: string, role: string) => api.post<{ id: string; displayName: string; role: string }>('/api/admin/users', { fhirUser, role }),
};
