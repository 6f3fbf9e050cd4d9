import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { MetadataScanner, ModulesContainer, Reflector } from '@nestjs/core';
import request from 'supertest';
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

/** The whole API, role by role: a role a route does not declare is refused before anything else happens. */
describe('roles across every API route', () => {
  let t: TestApp;
  const sessions = new Map<Role, SignedIn>();

  beforeAll(async () => {
    t = await createTestApp({ fhir: { outboxWorker: false } });
    for (const role of ROLES) sessions.set(role, await signIn(t.app, { role, patientId: role === 'patient' ? 'p1' : null }));
  }, 120_000); // a fresh embedded database starts slowly on a busy machine
  afterAll(async () => t?.close());

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

  it('refuses every role a route does not declare with 403', async () => {
    const failures: string[] = [];
    for (const r of routes(t).filter((x) => x.roles && x.roles.length)) {
      const path = r.path.replace(/:[A-Za-z]+/g, '00000000-0000-4000-8000-000000000000');
      for (const role of ROLES.filter((x) => !r.roles!.includes(x))) {
        const s = sessions.get(role)!;
        const verb = r.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
        const res = await request(t.app.getHttpServer())[verb](path).set('Cookie', s.cookie).set('X-CSRF-Token', s.csrf).send({});
        if (res.status !== 403) failures.push(`${role} ${r.method} ${r.path} → ${res.status}`);
      }
    }
    expect(failures).toEqual([]);
  });
});
