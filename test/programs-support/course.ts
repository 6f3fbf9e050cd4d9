import { expect } from '@jest/globals';
import type { apiAs } from './program-api.js';
import { isoDateDaysFromToday } from './program-api.js';

type Api = ReturnType<typeof apiAs>;

export const MSC = 'mindful-self-compassion-als';
/** Every item of the course's checklist met. */
export const ELIGIBLE = { 'als-diagnosis': true, 'online-access': true, 'group-communication': true, 'no-acute-crisis': true, commitment: true };
export const CONSENT = { given: true, date: isoDateDaysFromToday(-80), method: 'verbal' };

/** Refers a patient to the course; returns the referral id. */
export async function refer(api: Api, patientId: string, caregivers: string[] = [], program = MSC): Promise<string> {
  const res = await api.post('/api/referrals', { patientId, program, caregivers, reason: 'Low mood and isolation since diagnosis', priority: 'urgent' });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

/** A referral screened eligible with consent and accepted by the coordinator, ready to enrol. */
export async function referScreenAccept(coordinator: Api, patientId: string, caregivers: string[] = []): Promise<string> {
  const id = await refer(coordinator, patientId, caregivers);
  expect((await coordinator.post(`/api/referrals/${id}/screen`, { answers: ELIGIBLE, consent: CONSENT })).status).toBe(200);
  expect((await coordinator.post(`/api/referrals/${id}/accept`, { reason: 'Eligible; wants the spring group' })).status).toBe(200);
  return id;
}

/** A cohort of the course whose 8 weekly sessions started `weeksAgo` weeks ago (so attendance can be recorded). */
export async function createCohort(coordinator: Api, name: string, weeksAgo: number, capacity?: number) {
  const res = await coordinator.post('/api/cohorts', {
    program: MSC,
    name,
    startDate: isoDateDaysFromToday(-7 * weeksAgo),
    sessionTime: '18:00',
    timeZone: 'America/New_York',
    facilitator: 'Practitioner/facilitator-1',
    ...(capacity ? { capacity } : {}),
  });
  expect(res.status).toBe(201);
  return res.body as { id: string; capacity: number; sessions: { id: string; sequence: number; startsAt: string; status: string }[] };
}

/** The OperationOutcome's first coded error. */
export function codeOf(body: { resourceType?: string; issue?: { details?: { coding?: { code?: string }[] } }[] }): string | undefined {
  expect(body.resourceType).toBe('OperationOutcome');
  return body.issue?.[0]?.details?.coding?.[0]?.code;
}
