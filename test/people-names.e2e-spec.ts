import { jest } from '@jest/globals';
import { FhirGateway } from '../src/fhir/fhir-gateway.js';
import { sandboxIssuer } from '../src/sandbox/sandbox-registration.js';
import { RegistryService } from '../src/smart/registry/registry.service.js';
import { UsersService } from '../src/smart/users/users.service.js';
import type { Role } from '../src/common/auth/roles.js';
import { TestBrowser } from './support/browser.js';
import { createTestApp, type TestApp } from './support/test-app.js';

/**
 * Names instead of ids on the staff screens: a coordinator chooses a cohort's facilitator from the EHR's
 * Practitioners, and the screens name referrers, facilitators and caregivers from the EHR (one `_id` search per
 * type, with the user's own token, never shown to whoever may not see them). Over real HTTP against the sandbox.
 */
describe("names of the EHR's practitioners and caregivers for staff", () => {
  let t: TestApp;
  let coordinator: TestBrowser;
  let clinician: TestBrowser;

  const get = async (b: TestBrowser, path: string) => {
    const res = await b.request(`${t.url}${path}`);
    return { status: res.status, body: JSON.parse(res.body) };
  };

  /** A standalone launch through the sandbox's sign-in page, as `user` with the app role `role`. */
  async function standalone(workflow: string, user: string, role: Role): Promise<TestBrowser> {
    const registration = (await t.app.get(RegistryService).findEnabledByIssuer(sandboxIssuer(t.url)))!;
    const users = t.app.get(UsersService);
    const u = await users.signIn(registration, { type: 'Practitioner', reference: user }, 'Synthetic staff');
    if (u.role !== role) await users.setRole(u.id, role, { actor: 'test', actorRole: 'admin' });
    const b = new TestBrowser();
    const start = await b.request(`${t.url}/smart/launch?iss=${encodeURIComponent(sandboxIssuer(t.url))}&workflow=${workflow}`);
    const page = await b.request(start.location!);
    const requestId = /name="request_id" value="([^"]+)"/.exec(page.body)![1];
    const form = new URLSearchParams({ request_id: requestId, user, decision: 'approve' });
    const approved = await b.request(`${t.url}/sandbox/auth/approve`, { method: 'POST', body: form, headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
    expect((await b.request(approved.location!)).status).toBe(303);
    expect((await get(b, '/api/context')).body.user.role).toBe(role);
    return b;
  }

  beforeAll(async () => {
    t = await createTestApp({ listen: true, fhir: { outboxWorker: false } });
    coordinator = await standalone('coordinator', 'Practitioner/sbx-prac-2', 'coordinator');
    // The neurologist, launched from Avery Sample's chart.
    clinician = new TestBrowser();
    await clinician.navigate(`${t.url}/sandbox/launch?user=${encodeURIComponent('Practitioner/sbx-prac-1')}&patient=${encodeURIComponent('Patient/sbx-pat-1')}`, (u) => u.startsWith(`${t.url}/app/`));
    expect((await get(clinician, '/api/context')).body).toMatchObject({ user: { role: 'clinician' }, patient: { id: 'sbx-pat-1' } });
  });
  afterAll(async () => t?.close());

  it("lets a coordinator search the EHR's practitioners by name, without this app's roles", async () => {
    const res = await get(coordinator, '/api/practitioners?name=harper');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      items: [{ fhirUser: 'Practitioner/sbx-prac-4', name: 'Harper Synthetic', qualification: 'Music therapist', identifier: 'SBX-STAFF-004', active: true }],
      next: null,
    });
  });

  it('pages through the practitioners with the cursor the EHR gave', async () => {
    const seen: string[] = [];
    let page = await get(coordinator, '/api/practitioners?count=2');
    for (let i = 0; i < 10 && page.status === 200; i++) {
      seen.push(...page.body.items.map((p: { fhirUser: string }) => p.fhirUser));
      if (!page.body.next) break;
      page = await get(coordinator, `/api/practitioners?cursor=${encodeURIComponent(page.body.next)}`);
    }
    expect(seen.sort()).toEqual(['sbx-prac-1', 'sbx-prac-2', 'sbx-prac-3', 'sbx-prac-4', 'sbx-prac-5'].map((id) => `Practitioner/${id}`));
    expect((await get(coordinator, '/api/practitioners?cursor=aHR0cHM6Ly9ldmlsLmV4YW1wbGU')).status).toBe(400);
    expect((await get(coordinator, '/api/practitioners?name=a&unknown=1')).status).toBe(400);
  });

  it('names practitioners and caregivers with one search per type, and keeps them briefly', async () => {
    const search = jest.spyOn(t.app.get(FhirGateway), 'search');
    try {
      const refs = ['Practitioner/sbx-prac-4', 'RelatedPerson/sbx-rp-1', 'Practitioner/sbx-prac-3', 'Practitioner/nobody', 'RelatedPerson/sbx-rp-2'];
      const res = await get(coordinator, `/api/people?refs=${refs.join(',')}`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual([
        { reference: 'Practitioner/sbx-prac-4', name: 'Harper Synthetic', detail: 'Music therapist' },
        { reference: 'RelatedPerson/sbx-rp-1', name: 'Morgan Sample', detail: 'Spouse' },
        { reference: 'Practitioner/sbx-prac-3', name: 'Dr Alex Demo', detail: 'Psychologist' },
        { reference: 'Practitioner/nobody', name: null, detail: null, unavailable: 'not-found' },
        { reference: 'RelatedPerson/sbx-rp-2', name: 'Drew Fictitious', detail: 'Adult child' },
      ]);
      expect(search.mock.calls.map(([, type, params]) => [type, params._id])).toEqual([
        ['Practitioner', 'sbx-prac-4,sbx-prac-3,nobody'],
        ['RelatedPerson', 'sbx-rp-1,sbx-rp-2'],
      ]);
      // The same names again (the next screen) do not go back to the EHR.
      expect((await get(coordinator, '/api/people?refs=RelatedPerson/sbx-rp-1,Practitioner/sbx-prac-4')).status).toBe(200);
      expect(search).toHaveBeenCalledTimes(2);
    } finally {
      search.mockRestore();
    }
  });

  it("never names a caregiver of a patient outside the clinician's context", async () => {
    const res = await get(clinician, '/api/people?refs=RelatedPerson/sbx-rp-1,RelatedPerson/sbx-rp-2,Practitioner/sbx-prac-2');
    expect(res.status).toBe(200);
    expect(res.body[0]).toEqual({ reference: 'RelatedPerson/sbx-rp-1', name: 'Morgan Sample', detail: 'Spouse' });
    expect(res.body[1]).toMatchObject({ reference: 'RelatedPerson/sbx-rp-2', name: null, detail: null });
    expect(['forbidden', 'not-found']).toContain(res.body[1].unavailable);
    expect(res.body[2]).toEqual({ reference: 'Practitioner/sbx-prac-2', name: 'Robin Mockwell', detail: 'Nurse coordinator' });
  });

  it('refuses anything but a short list of practitioner and caregiver references', async () => {
    for (const refs of ['Patient/sbx-pat-1', 'sbx-prac-1', 'Practitioner/../x', '', `${Array.from({ length: 101 }, (_, i) => `Practitioner/p${i}`).join(',')}`]) {
      expect({ refs, status: (await get(coordinator, `/api/people?refs=${encodeURIComponent(refs)}`)).status }).toEqual({ refs, status: 400 });
    }
    expect((await get(coordinator, '/api/people')).status).toBe(400);
  });

  it('refuses quality and admin users (no patient-side names for them)', async () => {
    const quality = await standalone('quality', 'Practitioner/sbx-prac-5', 'quality');
    expect((await get(quality, '/api/people?refs=Practitioner/sbx-prac-1')).status).toBe(403);
    expect((await get(quality, '/api/practitioners?name=a')).status).toBe(403);
  });
});
