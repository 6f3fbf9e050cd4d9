import { PHQ9_ITEM_IDS, phq9 } from '../../src/questionnaires/engine/instruments/phq9.js';
import { buildResponse } from '../../src/questionnaires/engine/response-builder.js';
import { sandboxLaunch, type Launched } from '../support/sandbox-launch.js';
import type { Target } from './load.js';

/** The sandbox's seeded people (src/sandbox/seed-*.ts): four patients; staff sbx-prac-1…5. */
export const SANDBOX_PATIENTS = ['sbx-pat-1', 'sbx-pat-2', 'sbx-pat-3', 'sbx-pat-4'];
const CLINICIANS = ['Practitioner/sbx-prac-1', 'Practitioner/sbx-prac-3', 'Practitioner/sbx-prac-4'];
const COORDINATOR = 'Practitioner/sbx-prac-2';
/** Made admin on first sign-in through BOOTSTRAP_ADMINS (see `bootstrapAdmin`). */
const ADMIN = 'Practitioner/sbx-prac-5';

export const bootstrapAdmin = (issuer: string) => `${issuer}|${ADMIN}`;

export interface Clinic {
  admin: Launched;
  /** One session per connection: a clinician with patient i % 4 in context. */
  clinicians: (Launched & { patientId: string })[];
  coordinators: Launched[];
  registration: { id: string; clientId: string };
}

async function call(base: string, who: Launched, method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  const send = () =>
    who.browser.request(`${base}${path}`, {
      method,
      headers: body === undefined ? {} : { 'Content-Type': 'application/json', 'X-CSRF-Token': who.csrf },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  // The service closes an idle keep-alive connection after Node's 5 s; fetch may send on it just as it closes
  // (ECONNRESET, "fetch failed", before anything was processed). These calls are the admin's, minutes apart: once more.
  const res = await send().catch(send);
  return { status: res.status, body: res.body ? JSON.parse(res.body) : undefined };
}

async function expectStatus(p: Promise<{ status: number; body: unknown }>, status: number, what: string) {
  const res = await p;
  if (res.status !== status) throw new Error(`${what}: expected ${status}, got ${res.status} ${JSON.stringify(res.body).slice(0, 3000)}`);
  return res.body;
}

/**
 * Real sessions through the sandbox's EHR launch: the bootstrap admin gives Robin (sbx-prac-2) the coordinator
 * role before her first sign-in, as a clinic would; `sessions` clinicians, each on a patient (who refer their
 * patients, so the worklist has cards); `sessions` coordinator sessions.
 */
export async function openClinic(base: string, issuer: string, sessions: number): Promise<Clinic> {
  const admin = await sandboxLaunch(base, ADMIN);
  if (admin.role !== 'admin') throw new Error(`${ADMIN} signed in as ${admin.role}, not admin (BOOTSTRAP_ADMINS)`);
  await expectStatus(call(base, admin, 'POST', '/api/admin/users', { fhirUser: COORDINATOR, role: 'coordinator' }), 201, 'making the coordinator');
  const registrations = (await expectStatus(call(base, admin, 'GET', '/api/admin/registrations'), 200, 'listing registrations')) as { id: string; issuer: string; clientId: string }[];
  const registration = registrations.find((r) => r.issuer === issuer);
  if (!registration) throw new Error(`no registration for ${issuer}`);

  const clinicians: Clinic['clinicians'] = [];
  const coordinators: Launched[] = [];
  for (let i = 0; i < sessions; i++) {
    const patientId = SANDBOX_PATIENTS[i % SANDBOX_PATIENTS.length];
    clinicians.push({ ...(await sandboxLaunch(base, CLINICIANS[i % CLINICIANS.length], `Patient/${patientId}`)), patientId });
    coordinators.push(await sandboxLaunch(base, COORDINATOR));
  }
  if (coordinators[0].role !== 'coordinator') throw new Error(`${COORDINATOR} signed in as ${coordinators[0].role}`);
  // Each patient's clinician refers them (a launch puts one patient in context): the coordinator's worklist has a card each.
  for (const patientId of new Set(clinicians.map((c) => c.patientId))) {
    const referral = { patientId, program: 'mindful-self-compassion-als', reason: 'Low mood since the diagnosis (synthetic)', priority: 'routine' };
    const clinician = clinicians.find((c) => c.patientId === patientId)!;
    await expectStatus(call(base, clinician, 'POST', '/api/referrals', referral), 201, `referring ${patientId}`);
  }
  return { admin, clinicians, coordinators, registration: { id: registration.id, clientId: registration.clientId } };
}

/**
 * Points the registration's write-backs at another FHIR base (the reference EHR) and checks the connection, as an
 * admin does. The check's token round trip also lets the EHR fetch and cache our JWKS while we listen: the worker
 * of a restarted service asks for a token before its HTTP server is up (see the README's benchmark notes).
 */
export async function pointWriteBacksAt(base: string, clinic: Clinic, fhirBaseUrl: string): Promise<string[]> {
  const path = `/api/admin/registrations/${clinic.registration.id}`;
  await expectStatus(call(base, clinic.admin, 'PATCH', path, { fhirBaseUrl }), 200, 'pointing write-backs at the reference EHR');
  // 200 when every step passed, 422 naming the failed one: either way the steps' texts say how far it got.
  const res = await call(base, clinic.admin, 'POST', `${path}/check`, {});
  const body = res.body as { issue?: { details?: { text?: string } }[]; steps?: { step: string; result: string; detail: string }[] };
  return res.status === 200 ? (body.steps ?? []).map((x) => `${x.step}: ${x.result} — ${x.detail}`) : (body.issue ?? []).map((i) => i.details?.text ?? '');
}

const get = (path: string, who?: Launched): Target => ({ method: 'GET', path, headers: who ? { Cookie: who.cookie } : {} });

/** A completed PHQ-9 for the patient in context (item 9 = 0: no safety alert), as the app's player sends it. */
function phq9Submission(who: Launched & { patientId: string }, n: number): Target {
  const answers = Object.fromEntries(PHQ9_ITEM_IDS.map((id, k) => [id, id === 'phq9-9' ? 0 : (n + k) % 4]));
  const body = buildResponse(phq9, answers, { status: 'completed', subject: { reference: `Patient/${who.patientId}` } });
  return {
    method: 'POST',
    path: '/api/questionnaire-responses',
    headers: { Cookie: who.cookie, 'X-CSRF-Token': who.csrf, 'Content-Type': 'application/fhir+json' },
    body: JSON.stringify(body),
  };
}

/** The scenarios' requests, one target per session. */
export function targets(c: Clinic) {
  return {
    live: [get('/health/live')],
    questionnaires: c.clinicians.map((s) => get('/api/questionnaires', s)),
    context: c.clinicians.map((s) => get('/api/context', s)),
    phq9: c.clinicians.map((s, i) => phq9Submission(s, i)),
    worklist: c.coordinators.map((s) => get('/api/referrals', s)),
  };
}
