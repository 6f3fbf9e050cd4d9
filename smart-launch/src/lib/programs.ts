import { api, query, tagged } from './api';
import { serverNow } from './server-clock';

// The program API (issue 4): catalogue, referrals, cohorts, sessions, enrolments, attendance.

export interface ProgramRef { id: string; slug: string; kind?: string; title: string; version: string; canonical: string }
export interface ChecklistItem { id: string; text: string }
export interface ProgramVersionView {
  id: string; version: string; canonical: string; title: string; description: string; sessionCount: number; cadenceDays: number;
  sessionMinutes: number; capacity: number; audience: string[]; eligibility: ChecklistItem[];
  completionRule: { minAttended: number; requirePostQuestionnaires: boolean };
  timepoints: { code: string; instruments: string[]; dueFromDays: number; dueToDays: number }[];
  publishedAt: string;
}
export interface Program { id: string; slug: string; kind: 'group-course' | 'individual'; current: ProgramVersionView; versions: string[] }
export interface Referral {
  id: string; patientId: string; caregivers: string[]; program: ProgramRef; reason: string; priority: string; status: string; requester: string;
  screening: { answers: Record<string, boolean>; eligible: boolean; consent: { given: boolean; date: string; method: string }; outcome: string } | null;
  decisionReason: string | null; enrolmentId: string | null; createdAt: string; updatedAt: string;
}
export interface Session { id: string; cohortId: string | null; enrolmentId: string | null; sequence: number; startsAt: string; endsAt: string; timeZone: string; status: string; cancelReason: string | null; facilitator: string | null }
export interface Cohort {
  id: string; name: string; program: ProgramRef; startDate: string; sessionTime: string; timeZone: string; facilitator: string;
  capacity: number; seatsTaken: number; seatsLeft: number; sessions?: Session[];
}
export interface Participant { person: string; role: 'patient' | 'caregiver'; active: boolean; attendance: Record<'attended' | 'absent' | 'excused', number> }
export interface Enrolment {
  id: string; referralId: string; patientId: string; status: string; program: ProgramRef; cohortId: string | null; facilitator: string | null;
  startDate: string; endDate: string | null; withdrawal: { reason: string; display: string; note: string | null; date: string } | null;
  participants: Participant[]; completion: { met?: boolean; reasons?: string[] } & Record<string, unknown>; enrolledAt: string;
}
export interface AttendanceRow { participantId: string; enrolmentId: string; patientId: string; person: string; role: string; status: AttendanceStatus; recordedAt: string }
export type AttendanceStatus = 'attended' | 'absent' | 'excused';

/**
 * Whether a session has started, by the server's clock (server-clock.ts): before then it has no attendance (the
 * server refuses it, 409 PROGRAMS.SESSION_NOT_STARTED), so the calendar offers none and the grid says from when.
 */
export function sessionStarted(s: Pick<Session, 'startsAt'>, now = serverNow()): boolean {
  return now >= new Date(s.startsAt).getTime();
}

export const WITHDRAWAL_REASONS: Record<string, string> = {
  'disease-progression': 'Disease progression', fatigue: 'Fatigue', hospitalisation: 'Hospitalisation', 'lost-interest': 'Lost interest',
  'technical-barriers': 'Technical barriers', 'caregiver-burden': 'Caregiver burden', death: 'Death', other: 'Other',
};
export const PRIORITIES = ['routine', 'urgent', 'asap', 'stat'] as const;

export const programs = {
  list: () => api.get<Program[]>('/api/programs'),
  create: (body: unknown) => api.post<Program>('/api/programs', body),
  publish: (id: string, body: unknown) => api.post<Program>(`/api/programs/${encodeURIComponent(id)}/versions`, body),
};

export const referrals = {
  list: (q: { status?: string; patientId?: string; program?: string } = {}) => api.get<Referral[]>(`/api/referrals${query(q)}`),
  create: (body: { patientId: string; program: string; reason: string; priority: string; caregivers?: string[] }) => api.post<Referral>('/api/referrals', body),
  screen: (id: string, body: { answers: Record<string, boolean>; consent: { given: boolean; date: string; method: string } }) => api.post<Referral>(`/api/referrals/${id}/screen`, body),
  accept: (id: string, reason?: string) => api.post<Referral>(`/api/referrals/${id}/accept`, reason ? { reason } : {}),
  decline: (id: string, reason: string) => api.post<Referral>(`/api/referrals/${id}/decline`, { reason }),
};

export const cohorts = {
  list: (program?: string) => api.get<Cohort[]>(`/api/cohorts${query({ program })}`),
  get: (id: string) => api.get<Cohort>(`/api/cohorts/${id}`),
  sessions: (id: string) => api.get<Session[]>(`/api/cohorts/${id}/sessions`),
  create: (body: unknown) => api.post<Cohort>('/api/cohorts', body),
};

export const enrolments = {
  list: (q: { cohortId?: string; patientId?: string; status?: string } = {}) => api.get<Enrolment[]>(`/api/enrolments${query(q)}`),
  create: (body: { referralId: string; cohortId?: string; facilitator?: string }) => api.post<Enrolment>('/api/enrolments', body),
  withdraw: (id: string, body: { reason: string; date: string; note?: string }) => api.post<Enrolment>(`/api/enrolments/${id}/withdraw`, body),
};

// With the session's ETag: a save decided on attendance someone else has changed since is refused (412
// PROGRAMS.CHANGED) rather than putting back what they corrected. No ETag (the recorded attendance could not be
// read): saved without the precondition, only the people marked.
export const attendance = {
  get: (sessionId: string) => tagged<AttendanceRow[]>('GET', `/api/sessions/${sessionId}/attendance`),
  record: (sessionId: string, rows: { person: string; status: AttendanceStatus }[], etag: string | null) =>
    tagged<AttendanceRow[]>('PUT', `/api/sessions/${sessionId}/attendance`, { attendance: rows }, etag ? { 'If-Match': etag } : {}),
};

/** FHIR request priorities in the clinic's words. */
export const PRIORITY_LABELS: Record<string, string> = { routine: 'Routine', urgent: 'Urgent', asap: 'As soon as possible', stat: 'Immediately (stat)' };
export const priorityLabel = (p: string): string => PRIORITY_LABELS[p] ?? p;
