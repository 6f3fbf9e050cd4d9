import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { MetadataScanner, ModulesContainer, Reflector } from '@nestjs/core';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { ROLES, type Role } from '../src/common/auth/roles.js';
import { ROLES_KEY } from '../src/common/auth/roles.decorator.js';
import { createTestApp, type TestApp } from './support/test-app.js';
import { signIn, type SignedIn } from './support/sign-in.js';

interface Route {
  method: string;
  path: string;
  roles: Role[] | undefined;
}

/** Every route the app serves, with the roles it declares, read from the controllers themselves. */
function routes(t: TestApp): Route[] {
  const scanner = new MetadataScanner();
  const reflector = new Reflector();
  const out: Route[] = [];
  const controllers = [...t.app.get(ModulesContainer).values()].flatMap((m) => [...m.controllers.values()]);
  for (const wrapper of controllers) {
    const instance = wrapper.instance as object | undefined;
    if (!instance || !wrapper.metatype) continue;
    const base = ([] as string[]).concat(Reflect.getMetadata(PATH_METADATA, wrapper.metatype) ?? '')[0];
    for (const name of scanner.getAllMethodNames(Object.getPrototypeOf(instance))) {
      const handler = (instance as Record<string, unknown>)[name] as () => unknown;
      const sub = Reflect.getMetadata(PATH_METADATA, handler);
      if (sub === undefined) continue;
      const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod];
      const path = `/${[base, ([] as string[]).concat(sub)[0]].filter((p) => p && p !== '/').join('/')}`.replace(/\/+/g, '/');
      out.push({ method, path, roles: reflector.getAllAndOverride<Role[]>(ROLES_KEY, [handler, wrapper.metatype]) });
    }
  }
  return out;
}

/** The error codes the auth guard refuses with (src/smart/session/auth.guard.ts); the reasons it audits them under. */
const GUARD_CODES = ['AUTH.UNAUTHENTICATED', 'AUTH.FORBIDDEN', 'AUTH.CSRF'];
const GUARD_REASONS = ['no-session', 'route-declares-no-roles', 'role', 'csrf'];

interface Answer {
  call: string;
  status: number;
  code: string | undefined;
  /** Refused by the role guard itself, not by validation, a lookup or a handler's own rule further in. */
  byGuard: boolean;
}

/** The whole API, role by role: a role a route does not declare is refused before anything else happens. */
describe('roles across every API route', () => {
  let t: TestApp;
  const sessions = new Map<Role, SignedIn>();

  beforeAll(async () => {
    t = await createTestApp({ fhir: { outboxWorker: false } });
    for (const role of ROLES) sessions.set(role, await signIn(t.app, { role, patientId: role === 'patient' ? 'p1' : null }));
  });
  afterAll(async () => t?.close());

  /**
   * Calls each route as a signed-in user of the role (with the CSRF token), an empty body and the nil-like id for
   * each path parameter. A guard refusal is a 401/403 with one of the guard's codes; AUTH.FORBIDDEN is also a
   * handler's own refusal (e.g. a role that does not answer questionnaires), so it counts as the guard's only
   * when the guard audited it as its own (the access.denied row of that request names one of the guard's reasons).
   */
  async function callAll(calls: { route: Route; role: Role }[]): Promise<Answer[]> {
    const answers: (Omit<Answer, 'byGuard'> & { requestId: string })[] = [];
    for (const { route: r, role } of calls) {
      const s = sessions.get(role)!;
      const path = r.path.replace(/:[A-Za-z]+/g, '00000000-0000-4000-8000-000000000000');
      const verb = r.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
      const res = await request(t.app.getHttpServer())[verb](path).set('Cookie', s.cookie).set('X-CSRF-Token', s.csrf).send({});
      const code = (res.body as { issue?: { details?: { coding?: { code?: string }[] } }[] } | undefined)?.issue?.[0]?.details?.coding?.[0]?.code;
      answers.push({ call: `${role} ${r.method} ${r.path}`, status: res.status, code, requestId: String(res.headers['x-request-id']) });
    }
    const rows: { request_id: string; reason: string | null }[] = await t.app
      .get(DataSource)
      .query(`SELECT request_id, detail->>'reason' AS reason FROM audit_event WHERE action = 'access.denied' AND request_id = ANY($1::text[])`, [answers.map((a) => a.requestId)]);
    const guardRefused = new Set(rows.filter((row) => GUARD_REASONS.includes(row.reason ?? '')).map((row) => row.request_id));
    return answers.map(({ requestId, ...a }) => ({
      ...a,
      byGuard: [401, 403].includes(a.status) && !!a.code && GUARD_CODES.includes(a.code) && guardRefused.has(requestId),
    }));
  }

  it('has every /api route declare at least one role (the guard fails closed otherwise)', () => {
    const api = routes(t).filter((r) => r.path.startsWith('/api/'));
    expect(api.length).toBeGreaterThan(5);
    const undeclared = api.filter((r) => !r.roles || r.roles.length === 0).map((r) => `${r.method} ${r.path}`);
    expect(undeclared).toEqual([]);
  });

  it('declares the roles of the right-patient and role-administration routes', () => {
    const declared = (method: string, path: string) => routes(t).find((r) => r.method === method && r.path === path)?.roles;
    const admin: Role[] = ['admin'];
    expect(declared('GET', '/api/admin/practitioners')).toEqual(admin);
    expect(declared('POST', '/api/admin/users')).toEqual(admin);
    expect(declared('PATCH', '/api/admin/users/:id')).toEqual(admin);
    expect(declared('POST', '/api/admin/registrations/:id/enable')).toEqual(admin);
    expect(declared('POST', '/api/admin/registrations/:id/disable')).toEqual(admin);
    // Patients' names go to those who work with patients, never to quality or admin.
    expect(declared('GET', '/api/patients')).toEqual(['clinician', 'coordinator', 'patient', 'caregiver']);
    expect(declared('GET', '/api/patients/:id')).toEqual(['clinician', 'coordinator', 'patient', 'caregiver']);
    // Staff who choose a facilitator search the EHR's Practitioners; referrers', facilitators' and caregivers' names
    // go to those who see them beside a patient.
    expect(declared('GET', '/api/practitioners')).toEqual(['clinician', 'coordinator']);
    expect(declared('GET', '/api/people')).toEqual(['clinician', 'coordinator']);
  });

  it('refuses every role a route does not declare with 403, at the guard', async () => {
    const calls = routes(t)
      .filter((r) => r.roles && r.roles.length)
      .flatMap((route) => ROLES.filter((role) => !route.roles!.includes(role)).map((role) => ({ route, role })));
    const answers = await callAll(calls);
    const failures = answers.filter((a) => a.status !== 403 || a.code !== 'AUTH.FORBIDDEN' || !a.byGuard).map((a) => `${a.call} → ${a.status} ${a.code ?? ''}`);
    expect(failures).toEqual([]);
    expect(answers.length).toBeGreaterThan(20); // the guard's refusal is recognised: the check below is not vacuous
  });

  it('lets every role a route declares past the guard', async () => {
    // Only the guard's refusal matters here: a 400, 404, 409 or 422 from validation, a lookup or a handler's own
    // rule (the body is empty and the ids exist nowhere) means the role got through.
    const calls = routes(t)
      .filter((r) => r.path.startsWith('/api/') && r.roles && r.roles.length)
      .flatMap((route) => route.roles!.map((role) => ({ route, role })));
    const answers = await callAll(calls);
    expect(answers.filter((a) => a.byGuard).map((a) => `${a.call} → ${a.status} ${a.code}`)).toEqual([]);
    expect(answers.length).toBeGreaterThan(50);
  });
});
