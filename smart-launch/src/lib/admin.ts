import { api, query } from './api';
import { STAFF_ROLES } from './users';

// Administration APIs: EHR registry, users and roles, write-back queue, audit log.

export interface Registration {
  id: string; issuer: string; name: string; clientId: string; clientAuth: 'client_secret_basic' | 'private_key_jwt'; hasClientSecret: boolean;
  scopes: string | null; systemScopes: string | null; frameAncestors: string[]; enabled: boolean; createdAt: string; updatedAt: string;
}
export interface AppUser { id: string; registrationId: string; fhirUser: string; role: string; displayName: string; lastSignInAt: string | null }
export interface OutboxError { status?: number; reason?: string; outcome?: unknown }
export interface OutboxSummary {
  id: string; registrationId: string; kind: string; status: 'pending' | 'in_flight' | 'delivered' | 'dead'; attempts: number; seq: string;
  createdAt: string; nextAttemptAt: string; lockedUntil: string | null; deliveredAt: string | null; lastError: OutboxError | null;
}
export interface OutboxDetail extends OutboxSummary { patientKey: string; businessKey: string; bundle: unknown; response: unknown }
export interface AuditEvent {
  id: string; occurredAt: string; actor: string | null; actorRole: string | null; action: string; resourceType: string | null; resourceId: string | null;
  patientId: string | null; outcome: string; requestId: string | null; detail: unknown;
}
/**
 * The roles an admin may give a user, as the service allows them (UsersService.setRole): a practitioner any staff
 * role; a patient or caregiver none — they keep the role their EHR record gives (Patient, RelatedPerson).
 */
export function rolesFor(fhirUser: string): readonly string[] {
  return /^(Patient|RelatedPerson)\//.test(fhirUser) ? [] : STAFF_ROLES;
}

export const registrations = {
  list: () => api.get<Registration[]>('/api/admin/registrations'),
  create: (body: unknown) => api.post<Registration>('/api/admin/registrations', body),
  disable: (id: string) => api.post<Registration>(`/api/admin/registrations/${id}/disable`),
  enable: (id: string) => api.post<Registration>(`/api/admin/registrations/${id}/enable`),
};

/** Users per page of GET /api/admin/users (at most 500); a shorter page is the last. */
const USERS_PAGE = 200;

export const users = {
  /** Every user of the admin's EHR, a page at a time (each page read is audited by the service). */
  list: async () => {
    const all: AppUser[] = [];
    for (;;) {
      const page = await api.get<AppUser[]>(`/api/admin/users${query({ limit: USERS_PAGE, offset: all.length })}`);
      all.push(...page);
      if (page.length < USERS_PAGE) return all;
    }
  },
  setRole: (id: string, role: string) => api.patch<AppUser>(`/api/admin/users/${id}`, { role }),
};

export const outbox = {
  list: (q: { status?: string; cursor?: string }) => api.get<{ items: OutboxSummary[]; nextCursor: string | null }>(`/api/admin/outbox${query({ ...q, limit: 50 })}`),
  get: (id: string) => api.get<OutboxDetail>(`/api/admin/outbox/${id}`),
  retry: (id: string) => api.post<OutboxSummary>(`/api/admin/outbox/${id}/retry`),
  /** The coordinator's view: dead entries of their EHR, with the patient they concern. */
  problems: () => api.get<(OutboxSummary & { patientKey: string })[]>('/api/outbox/problems'),
};

export const audit = {
  search: (q: Record<string, string | undefined>) => api.get<AuditEvent[]>(`/api/admin/audit${query(q)}`),
};
