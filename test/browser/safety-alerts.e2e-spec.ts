import type { Page } from 'playwright-core';
import { AlertEscalationWorker } from '../../src/questionnaires/safety/alert-escalation.worker.js';
import { phqAnswers, phqResponse } from '../questionnaire-support/questionnaire-api.js';
import { describeInBrowser } from './support/chromium.js';
import { expectAccessible, screenshot } from './support/checks.js';
import { grantRole, launchFromLauncher, newPage, standaloneLaunch, startUi, type UiWorld } from './support/ui-app.js';

// A clinician between two visits: two PHQ-9s with item 9 above 0 wait at the top of Avery's view. Closing one takes
// an action, a note and a confirmation, so a slip never closes a suicide-risk alert. The other is left open past the
// clinic's time and escalates: the coordinator sees it on the escalated list and on Avery's referral card.

interface Answer {
  status: number;
  body: { id?: string; status?: string; alerts?: { id: string }[] } & Record<string, unknown>;
}

/** A call to the API from inside the signed-in page, as the app makes it (session cookie, CSRF token). */
function call(page: Page, method: string, path: string, body?: unknown): Promise<Answer> {
  return page.evaluate(
    async ({ method, path, body }) => {
      const ctx = (await (await fetch('/api/context')).json()) as { csrfToken: string };
      const res = await fetch(path, { method, headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': ctx.csrfToken }, body: body === undefined ? undefined : JSON.stringify(body) });
      return { status: res.status, body: await res.json() };
    },
    { method, path, body },
  );
}

const openAlerts = async (page: Page) => ((await call(page, 'GET', '/api/alerts?status=open')).body as unknown as { id: string }[]).map((a) => a.id);

describeInBrowser('safety alerts: follow-up with confirmation, escalation seen by the coordinator (browser)', () => {
  let w: UiWorld;
  let clinician: Page;
  let coordinator: Page;
  const ids: string[] = [];

  beforeAll(async () => {
    w = await startUi();
    await grantRole(w, 'Practitioner/sbx-prac-2', 'coordinator', 'Robin Mockwell');
    clinician = (await newPage(w)).page;
    coordinator = (await newPage(w)).page;
  });
  afterAll(async () => w?.close());

  it('shows the open alerts at the top of the patient view', async () => {
    await launchFromLauncher(clinician, w, 'Practitioner/sbx-prac-1', 'Patient/sbx-pat-1');
    await clinician.getByRole('heading', { name: /Program status/ }).waitFor();
    for (const item9 of [1, 2]) {
      const saved = await call(clinician, 'POST', '/api/questionnaire-responses', phqResponse('Patient/sbx-pat-1', phqAnswers(1, item9)));
      expect(saved.status).toBe(201);
      ids.push(saved.body.alerts![0].id);
    }
    expect((await call(clinician, 'POST', '/api/referrals', { patientId: 'sbx-pat-1', program: 'mindful-self-compassion-als', reason: 'Low mood since diagnosis.' })).status).toBe(201);
    await clinician.reload();
    await clinician.getByRole('heading', { name: 'Open safety alerts (2)' }).waitFor();
  });

  it('records a follow-up only with an action and a note, and only once the clinician confirms it', async () => {
    const panel = clinician.getByRole('region', { name: /Open safety alerts/ });
    const first = panel.getByRole('article').first();
    await first.getByRole('button', { name: 'Record follow-up…' }).click();
    await first.getByText('Choose what was done.').waitFor();
    await first.getByText('Write what was done and what you found.').waitFor();
    expect(await first.getByRole('group', { name: 'Confirm the follow-up' }).count()).toBe(0);

    await first.getByLabel('What was done', { exact: true }).selectOption('risk-assessed');
    await first.getByLabel(/^Note/).fill('Called her: passive thoughts, no plan or intent. Safety plan reviewed; seen again Friday.');
    await first.getByRole('button', { name: 'Record follow-up…' }).click();
    const confirm = first.getByRole('group', { name: 'Confirm the follow-up' });
    await confirm.getByText(/Record “Risk assessed” for this alert\?/).waitFor();
    // Nothing is recorded before the confirmation.
    expect(await openAlerts(clinician)).toHaveLength(2);
    await expectAccessible(clinician, 'patient view, confirming a safety follow-up');
    await screenshot(clinician, 'patient-alert-confirm');

    await confirm.getByRole('button', { name: 'Go back and edit' }).click();
    expect(await first.getByLabel(/^Note/).inputValue()).toMatch(/^Called her/);
    expect(await openAlerts(clinician)).toHaveLength(2);
    await first.getByRole('button', { name: 'Record follow-up…' }).click();
    await first.getByRole('button', { name: 'Confirm and record' }).click();
    await clinician.getByRole('heading', { name: 'Open safety alerts (1)' }).waitFor();
    await panel.getByText('Follow-up recorded.').waitFor();
    expect(await openAlerts(clinician)).toHaveLength(1);
  });

  it("escalates the alert left open past the clinic's time; the coordinator sees it listed and on the patient's referral card", async () => {
    const [open] = await openAlerts(clinician);
    // The job runs with the test's clock: an hour and a minute after the alerts were raised.
    const escalated = await w.t.app.get(AlertEscalationWorker).runOnce(new Date(Date.now() + 61 * 60_000));
    expect(escalated.map((a) => a.id)).toEqual([open]);

    await standaloneLaunch(coordinator, w, 'coordinator', 'Practitioner/sbx-prac-2');
    await coordinator.getByRole('link', { name: 'Escalated safety alerts' }).click();
    await coordinator.getByRole('heading', { name: 'Waiting for follow-up (1)' }).waitFor();
    const card = coordinator.getByRole('article', { name: /Avery Sample/ });
    await card.getByText(/escalated .* to the EHR's work queue/).waitFor();
    await expectAccessible(coordinator, 'escalated safety alerts');
    await screenshot(coordinator, 'coordinator-escalated-alerts');

    await coordinator.getByRole('link', { name: 'Referrals' }).click();
    const referral = coordinator.getByRole('article', { name: /Avery Sample/ });
    await referral.getByRole('note', { name: 'Escalated safety alert' }).getByText(/Escalated safety alert: not followed up since/).waitFor();
    await expectAccessible(coordinator, 'worklist with an escalated alert');

    await clinician.reload();
    const alert = clinician.getByRole('region', { name: /Open safety alerts/ }).getByRole('article');
    await alert.getByText('Escalated', { exact: true }).waitFor();
    await alert.getByText(/escalated .* to the EHR's work queue/).waitFor();
  });
});
