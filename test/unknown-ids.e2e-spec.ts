import type { Test } from 'supertest';
import { codeOf } from './programs-support/course.js';
import { apiAs } from './programs-support/program-api.js';
import { signIn } from './support/sign-in.js';
import { createTestApp, type TestApp } from './support/test-app.js';

type Api = ReturnType<typeof apiAs>;

// 36 characters that pass a loose `[0-9a-f-]{36}` check but that PostgreSQL refuses as a uuid (22P02).
const LOOKALIKE = '0123456789abcdef0123456789abcdef----';
const SHORT = 'not-a-uuid';

/**
 * Every `:id` route whose id is one of our UUIDs: an id that is not a UUID is a clean 404 (or 400) OperationOutcome
 * in the route's own words, and never reaches the database as a bad cast.
 */
describe('ids that are not UUIDs, on every route that takes one', () => {
  let t: TestApp;
  let admin: Api;
  let coordinator: Api;
  let clinician: Api;

  beforeAll(async () => {
    t = await createTestApp({ fhir: { outboxWorker: false } });
    admin = apiAs(t, await signIn(t.app, { role: 'admin' }));
    coordinator = apiAs(t, await signIn(t.app, { role: 'coordinator' }));
    clinician = apiAs(t, await signIn(t.app, { role: 'clinician', patientId: 'pat-1' }));
  });
  afterAll(async () => t?.close());

  const routes: [string, (id: string) => Test, number, string][] = [
    ['GET /api/admin/registrations/{id}', (id) => admin.get(`/api/admin/registrations/${id}`), 404, 'REGISTRY.NOT_FOUND'],
    ['PATCH /api/admin/registrations/{id}', (id) => admin.patch(`/api/admin/registrations/${id}`, { name: 'x' }), 404, 'REGISTRY.NOT_FOUND'],
    ['POST /api/admin/registrations/{id}/check', (id) => admin.post(`/api/admin/registrations/${id}/check`), 404, 'REGISTRY.NOT_FOUND'],
    ['POST /api/admin/registrations/{id}/disable', (id) => admin.post(`/api/admin/registrations/${id}/disable`), 404, 'REGISTRY.NOT_FOUND'],
    ['POST /api/admin/registrations/{id}/enable', (id) => admin.post(`/api/admin/registrations/${id}/enable`), 404, 'REGISTRY.NOT_FOUND'],
    ['PATCH /api/admin/users/{id}', (id) => admin.patch(`/api/admin/users/${id}`, { role: 'quality' }), 404, 'COMMON.NOT_FOUND'],
    ['GET /api/admin/outbox/{id}', (id) => admin.get(`/api/admin/outbox/${id}`), 400, 'COMMON.VALIDATION'],
    ['POST /api/admin/outbox/{id}/retry', (id) => admin.post(`/api/admin/outbox/${id}/retry`), 400, 'COMMON.VALIDATION'],
    ['GET /api/referrals/{id}', (id) => coordinator.get(`/api/referrals/${id}`), 404, 'PROGRAMS.NOT_FOUND'],
    ['POST /api/referrals/{id}/decline', (id) => coordinator.post(`/api/referrals/${id}/decline`, { reason: 'x' }), 404, 'PROGRAMS.NOT_FOUND'],
    ['GET /api/enrolments/{id}', (id) => coordinator.get(`/api/enrolments/${id}`), 404, 'PROGRAMS.NOT_FOUND'],
    ['POST /api/enrolments/{id}/complete', (id) => coordinator.post(`/api/enrolments/${id}/complete`), 404, 'PROGRAMS.NOT_FOUND'],
    ['GET /api/cohorts/{id}', (id) => coordinator.get(`/api/cohorts/${id}`), 404, 'PROGRAMS.NOT_FOUND'],
    ['GET /api/cohorts/{id}/sessions', (id) => coordinator.get(`/api/cohorts/${id}/sessions`), 404, 'PROGRAMS.NOT_FOUND'],
    ['PATCH /api/sessions/{id}', (id) => coordinator.patch(`/api/sessions/${id}`, { status: 'cancelled' }), 404, 'PROGRAMS.NOT_FOUND'],
    ['GET /api/sessions/{id}/attendance', (id) => coordinator.get(`/api/sessions/${id}/attendance`), 404, 'PROGRAMS.NOT_FOUND'],
    ['PUT /api/sessions/{id}/attendance', (id) => coordinator.put(`/api/sessions/${id}/attendance`, { attendance: [{ person: 'Patient/pat-1', status: 'attended' }] }), 404, 'PROGRAMS.NOT_FOUND'],
    ['GET /api/programs/{id}', (id) => coordinator.get(`/api/programs/${id}`), 404, 'PROGRAMS.UNKNOWN_PROGRAM'],
    ['GET /api/questionnaire-assignments/{id}', (id) => clinician.get(`/api/questionnaire-assignments/${id}`), 400, 'COMMON.VALIDATION'],
    ['GET /api/questionnaire-responses/{id}', (id) => clinician.get(`/api/questionnaire-responses/${id}`), 400, 'COMMON.VALIDATION'],
    ['POST /api/questionnaire-responses/{id}/$extract', (id) => clinician.post(`/api/questionnaire-responses/${id}/$extract`), 400, 'COMMON.VALIDATION'],
    ['POST /api/alerts/{id}/follow-up', (id) => clinician.post(`/api/alerts/${id}/follow-up`, { action: 'called', note: 'x' }), 400, 'COMMON.VALIDATION'],
  ];

  describe.each([
    ['36 characters that are not a UUID', LOOKALIKE],
    ['a short id', SHORT],
  ])('%s', (_what, id) => {
    it.each(routes)('%s', async (_route, send, status, code) => {
      const res = await send(id);
      expect({ status: res.status, code: codeOf(res.body) }).toEqual({ status, code });
      expect(res.headers['content-type']).toMatch(/application\/fhir\+json/);
    });
  });
});
