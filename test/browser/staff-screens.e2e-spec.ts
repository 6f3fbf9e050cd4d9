import type { Page, Route } from 'playwright-core';
import { phqAnswers, phqResponse } from '../questionnaire-support/questionnaire-api.js';
import { MSC } from '../programs-support/course.js';
import { describeInBrowser } from './support/chromium.js';
import { expectAccessible, screenshot } from './support/checks.js';
import { grantRole, launchFromLauncher, standaloneLaunch, startUi, type UiWorld } from './support/ui-app.js';

// The staff screens as the clinic uses them inside the EHR: a 400 px side panel. On every screen nothing scrolls
// sideways, every control is a target of at least 44×44 px, people are named (never `Patient/…` or an id) and
// dates read as dates (never an ISO timestamp), and axe finds nothing serious. Along the way: the coordinator
// chooses a cohort's facilitator from the EHR's practitioners and its time zone from a list; the quality lead's
// CSV over too few people is refused with its reason instead of a download.

const PANEL = { width: 400, height: 800 };
const REFERENCE = /(Patient|Practitioner|RelatedPerson)\/[A-Za-z0-9.-]+/;
const ISO_INSTANT = /\d{4}-\d{2}-\d{2}T\d{2}:/;
const inDays = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);

/** A staff member's browser, shown in the EHR's side panel. */
async function panel(w: UiWorld): Promise<Page> {
  const context = await w.browser.newContext({ viewport: PANEL, baseURL: w.t.url, reducedMotion: 'reduce' });
  const page = await context.newPage();
  // Every wait is on a condition; this only bounds one that never comes, even on a busy machine (as newPage does).
  page.setDefaultTimeout(60_000);
  return page;
}

/** A call to the API from inside the signed-in page, as the app makes it (session cookie, CSRF token). */
function call(page: Page, method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  return page.evaluate(
    async ({ method, path, body }) => {
      const ctx = (await (await fetch('/api/context')).json()) as { csrfToken: string };
      const res = await fetch(path, { method, headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': ctx.csrfToken }, body: body === undefined ? undefined : JSON.stringify(body) });
      return { status: res.status, body: await res.json() };
    },
    { method, path, body },
  );
}

/** Every visible control narrower or shorter than 44 px; a checkbox or radio counts with its label, which selects it too. */
function smallTargets(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    for (const el of document.querySelectorAll<HTMLElement>('a[href], button, input, select, textarea, summary')) {
      if (el instanceof HTMLInputElement && el.type === 'hidden') continue;
      const input = el instanceof HTMLInputElement && (el.type === 'checkbox' || el.type === 'radio');
      const box = (input && el.labels?.[0] ? el.labels[0] : el).getBoundingClientRect();
      if (box.width === 0 && box.height === 0) continue; // not rendered (a closed <details>)
      if (box.right + window.scrollX <= 0) continue; // the skip link, off-screen until focused
      if (box.width < 44 || box.height < 44) {
        const name = (el.getAttribute('aria-label') ?? el.textContent ?? (el as HTMLInputElement).name ?? '').trim().slice(0, 40);
        out.push(`${el.tagName.toLowerCase()} "${name}" ${Math.round(box.width)}×${Math.round(box.height)}`);
      }
    }
    return out;
  });
}

/** The panel's rules, on the screen as it is now (once every name has loaded). */
async function expectPanelReady(page: Page, where: string): Promise<void> {
  await page.waitForFunction(() => !document.querySelector('main .loading'));
  const facts = await page.evaluate(() => ({ width: document.documentElement.scrollWidth, text: document.body.innerText }));
  expect({ where, wider: facts.width > 400 ? facts.width : null }).toEqual({ where, wider: null });
  expect({ where, small: await smallTargets(page) }).toEqual({ where, small: [] });
  expect({ where, reference: REFERENCE.exec(facts.text)?.[0] ?? null, iso: ISO_INSTANT.exec(facts.text)?.[0] ?? null, json: /[{[]\s*"/.exec(facts.text)?.[0] ?? null }).toEqual({
    where,
    reference: null,
    iso: null,
    json: null,
  });
  await expectAccessible(page, where);
}

describeInBrowser('staff screens in a 400 px EHR side panel (browser)', () => {
  let w: UiWorld;
  let coordinator: Page;
  let clinician: Page;
  beforeAll(async () => {
    w = await startUi();
    await grantRole(w, 'Practitioner/sbx-prac-2', 'coordinator', 'Robin Mockwell');
    await grantRole(w, 'Practitioner/sbx-prac-3', 'admin', 'Dr Alex Demo');
    await grantRole(w, 'Practitioner/sbx-prac-5', 'quality', 'Jamie Dummy');
    coordinator = await panel(w);
    clinician = await panel(w);
  });
  afterAll(async () => w?.close());

  it("the coordinator opens a cohort: the facilitator from the EHR's practitioners, the time zone from a list", async () => {
    await standaloneLaunch(coordinator, w, 'coordinator', 'Practitioner/sbx-prac-2');
    await coordinator.getByRole('link', { name: 'Cohorts and sessions' }).click();
    const form = coordinator.getByRole('form', { name: 'New cohort' });
    await form.getByLabel('Name', { exact: true }).fill('Autumn MSC group');
    await form.getByLabel('First session date').fill(inDays(-1));
    const zone = form.getByLabel('Time zone');
    // The clinic's own zone comes first; every other zone is offered by name.
    const first = await zone.locator('option').first().evaluate((o: HTMLOptionElement) => o.value);
    expect(first).toBe(await coordinator.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone));
    await zone.selectOption('Europe/Paris');
    await form.getByText(/Europe\/Paris \(Central European/).waitFor();
    await form.getByLabel("Search the EHR's practitioners by name").fill('harp');
    await form.getByRole('button', { name: /^Find/ }).click();
    await form.getByLabel('Facilitator', { exact: true }).selectOption({ label: 'Harper Synthetic — Music therapist' });
    await expectPanelReady(coordinator, 'new cohort form');
    await form.getByRole('button', { name: 'Create cohort' }).click();
    const row = coordinator.getByRole('row', { name: /Autumn MSC group/ });
    await row.getByText('Harper Synthetic').waitFor();
    await row.getByText(/Europe\/Paris time/).waitFor();
    await expectPanelReady(coordinator, 'cohorts');
    await screenshot(coordinator, 'panel-coordinator-cohorts');
  });

  it('the worklist names the patient and her referrer, with the priority in words', async () => {
    await launchFromLauncher(clinician, w, 'Practitioner/sbx-prac-1', 'Patient/sbx-pat-1');
    const referred = await call(clinician, 'POST', '/api/referrals', {
      patientId: 'sbx-pat-1', program: MSC, priority: 'asap', caregivers: ['RelatedPerson/sbx-rp-1'], reason: 'Low mood since diagnosis; her husband cares for her.',
    });
    expect(referred.status).toBe(201);
    await coordinator.getByRole('link', { name: 'Referrals' }).click();
    const card = coordinator.getByRole('article', { name: /Avery Sample/ });
    await card.getByText('As soon as possible').waitFor();
    await card.getByText('Dr Quinn Example (Neurologist)').waitFor();
    await expectPanelReady(coordinator, 'worklist');
    await screenshot(coordinator, 'panel-coordinator-worklist');
    for (const box of await card.getByRole('checkbox').all()) await box.check();
    await card.getByRole('button', { name: 'Save screening' }).click();
    await card.getByRole('button', { name: 'Accept' }).click();
    await coordinator.getByRole('heading', { name: /Accepted \(1\)/ }).waitFor();
    const accepted = coordinator.getByRole('article', { name: /Avery Sample/ });
    expect(await accepted.getByLabel('Cohort').locator('option:checked').textContent()).toContain('Autumn MSC group');
    await accepted.getByRole('button', { name: 'Enrol' }).click();
    await coordinator.getByRole('heading', { name: /Enrolled \(1\)/ }).waitFor();
  });

  it('the attendance of a session names the patient and her caregiver; dates are in the cohort’s zone', async () => {
    await coordinator.getByRole('link', { name: 'Cohorts and sessions' }).click();
    await coordinator.getByRole('link', { name: 'Autumn MSC group' }).click();
    await coordinator.getByText(/facilitated by Harper Synthetic \(Music therapist\)/).waitFor();
    const group = (name: RegExp) => coordinator.getByRole('group', { name });
    await coordinator.getByRole('link', { name: 'Attendance for week 1' }).click();
    await coordinator.getByText('The attendance already recorded is shown.').waitFor();
    await group(/Avery Sample/).getByRole('radio', { name: 'Absent' }).check();
    await group(/Morgan Sample, caregiver/).getByRole('radio', { name: 'Excused' }).check();
    await coordinator.getByRole('button', { name: 'Save attendance' }).click();
    await coordinator.getByText('Attendance saved.').waitFor();
    // Coming back, what was recorded arrives only after the coordinator has marked again (as on a slow line, or a
    // CI machine under load): her new mark wins over the recorded one, and the mark she did not touch is shown as
    // recorded. Before the fix the late answer wiped her marks, and the save sent nobody as attended.
    await coordinator.getByRole('link', { name: 'Cohorts and sessions' }).click();
    await coordinator.getByRole('link', { name: 'Autumn MSC group' }).click();
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const hold = async (route: Route) => {
      if (route.request().method() === 'GET') await held;
      await route.continue();
    };
    await coordinator.route('**/api/sessions/*/attendance', hold);
    await coordinator.getByRole('link', { name: 'Attendance for week 1' }).click();
    await coordinator.getByText('Loading the attendance already recorded…').waitFor();
    const attended = group(/Avery Sample/).getByRole('radio', { name: 'Attended' });
    const excused = group(/Morgan Sample, caregiver/).getByRole('radio', { name: 'Excused' });
    expect(await excused.isChecked()).toBe(false);
    await attended.check();
    release();
    await coordinator.getByText('The attendance already recorded is shown.').waitFor();
    await coordinator.unroute('**/api/sessions/*/attendance', hold);
    expect(await attended.isChecked()).toBe(true);
    expect(await excused.isChecked()).toBe(true);
    await expectPanelReady(coordinator, 'attendance');
    await coordinator.getByRole('button', { name: 'Save attendance' }).click();
    await coordinator.getByText('Attendance saved.').waitFor();
    await coordinator.getByText('Attended 1 session', { exact: true }).waitFor();
    await coordinator.getByText(/With Morgan Sample \(Spouse\): attended 0 sessions/).waitFor();
    // The session's time is said in the cohort's zone (Paris), never as an instant.
    expect(await coordinator.getByRole('heading', { name: /Attendance, week 1/ }).textContent()).toMatch(/\d{1,2}:\d{2}/);
    await expectPanelReady(coordinator, 'cohort with attendance');
    await screenshot(coordinator, 'panel-coordinator-attendance');
  });

  it('a session that has not started offers no attendance and says from when; a refusal is said in words and local time', async () => {
    // Week 2 is six days ahead (the cohort began yesterday): the calendar offers attendance for week 1 only, the
    // time of week 2 is in its row. Opened by its address, its grid says from when it can be recorded.
    const calendar = coordinator.getByRole('table').filter({ has: coordinator.getByRole('columnheader', { name: 'Week' }) });
    await calendar.getByRole('row', { name: /^Week 1/ }).getByRole('link', { name: 'Attendance for week 1' }).waitFor();
    const week2 = calendar.getByRole('row', { name: /^Week 2/ });
    await week2.getByText(/\d{1,2}:\d{2}/).waitFor();
    expect(await week2.getByRole('link').count()).toBe(0);
    const cohortId = /cohorts\/([0-9a-f-]{36})/.exec(coordinator.url())![1];
    const sessions = (await call(coordinator, 'GET', `/api/cohorts/${cohortId}/sessions`)).body as unknown as { id: string; sequence: number }[];
    await coordinator.goto(coordinator.url().replace(/session=[0-9a-f-]+/, `session=${sessions.find((x) => x.sequence === 2)!.id}`));
    const grid = coordinator.locator('.attendance-grid');
    await grid.getByText(/^This session has not started yet\. Its attendance can be recorded from .+ \(Europe\/Paris time\)\.$/).waitFor();
    expect(await grid.getByRole('radio').count()).toBe(0);
    expect(await grid.getByRole('button', { name: 'Save attendance' }).count()).toBe(0);
    await expectPanelReady(coordinator, 'attendance of a session not started');

    // A browser whose clock runs ahead (eight days) goes by the server's, read from its answers' Date header: not started.
    const ahead = await panel(w);
    await standaloneLaunch(ahead, w, 'coordinator', 'Practitioner/sbx-prac-2');
    await ahead.clock.setFixedTime(new Date(Date.now() + 8 * 86_400_000));
    await ahead.goto(coordinator.url());
    await ahead.locator('.attendance-grid').getByText(/^This session has not started yet\./).waitFor();
    // Without that header (a proxy that drops it) its own clock is all it has: it offers the grid, and the service,
    // on its own clock, refuses.
    await ahead.route('**/api/**', async (route) => {
      const response = await route.fetch();
      const { date: _date, ...headers } = response.headers();
      await route.fulfill({ response, headers });
    });
    await ahead.reload();
    await ahead.getByText('The attendance already recorded is shown.').waitFor();
    await ahead.getByRole('group', { name: /Avery Sample/ }).getByRole('radio', { name: 'Attended' }).check();
    await ahead.getByRole('button', { name: 'Save attendance' }).click();
    const refused = ahead.getByRole('alert').filter({ hasText: 'Attendance was not saved' });
    await refused.getByText(/^This session has not started yet: its attendance can be recorded from .+ \(Europe\/Paris time\)\. Nothing was saved\.$/).waitFor();
    expect(await refused.textContent()).not.toMatch(/startsAt|\d{4}-\d{2}-\d{2}T/);
    await expectPanelReady(ahead, 'attendance refused before the session');
  });

  it("the coordinator's other screens fit the panel", async () => {
    for (const [link, heading] of [['Write-back problems', 'Write-back problems'], ['Escalated safety alerts', 'Escalated safety alerts']]) {
      await coordinator.getByRole('link', { name: link }).click();
      await coordinator.getByRole('heading', { level: 1, name: heading }).waitFor();
      await expectPanelReady(coordinator, heading);
    }
  });

  it('a cohort that exists already (a colleague made it a moment before) is named in words, offered to open, and listed', async () => {
    await coordinator.getByRole('link', { name: 'Cohorts and sessions' }).click();
    const form = coordinator.getByRole('form', { name: 'New cohort' });
    await form.getByLabel('Name', { exact: true }).fill('Winter MSC group');
    await form.getByLabel('First session date').fill(inDays(20));
    await form.getByLabel("Search the EHR's practitioners by name").fill('harp');
    await form.getByRole('button', { name: /^Find/ }).click();
    await form.getByLabel('Facilitator', { exact: true }).selectOption({ label: 'Harper Synthetic — Music therapist' });
    const value = (label: string) => form.getByLabel(label, { exact: true }).inputValue();
    const body = {
      program: await value('Program'), name: 'Winter MSC group', startDate: inDays(20), sessionTime: await value('Session time'),
      timeZone: await value('Time zone'), facilitator: await value('Facilitator'),
    };
    const colleague = await call(coordinator, 'POST', '/api/cohorts', body);
    expect(colleague.status).toBe(201);
    await form.getByRole('button', { name: 'Create cohort' }).click();
    const exists = form.getByRole('alert').filter({ hasText: 'This cohort already exists' });
    await exists.getByText(/already has the cohort “Winter MSC group”, first session .+ \(.+ time\), so no second one was created\./).waitFor();
    // The list was read again: the colleague's cohort is in it, and the alert opens it.
    await coordinator.getByRole('row', { name: /Winter MSC group/ }).waitFor();
    const open = exists.getByRole('link', { name: 'Open Winter MSC group' });
    expect(await open.getAttribute('href')).toBe(`#/cohorts/${colleague.body.id as string}`);
    expect(await form.innerText()).not.toContain(colleague.body.id as string);
    await expectPanelReady(coordinator, 'cohort already exists');
    await open.click();
    await coordinator.getByRole('heading', { level: 1, name: 'Cohort: Winter MSC group' }).waitFor();
  });

  it("the clinician's patient view: names, the enrolment's facilitator, and a score chart legible at 400 px", async () => {
    for (const weight of [1, 2]) {
      expect((await call(clinician, 'POST', '/api/questionnaire-responses', phqResponse('Patient/sbx-pat-1', phqAnswers(weight, 0)))).status).toBe(201);
    }
    await clinician.reload();
    const enrolment = clinician.getByRole('article', { name: /Enrolment in Mindful Self-Compassion/ });
    await enrolment.getByText(/with Harper Synthetic \(Music therapist\)/).waitFor();
    // Enrolled today in a cohort that began yesterday (active since its first attendance): the enrolment's own date, and the start apart from it.
    const day = (offset: number) => clinician.evaluate((o) => new Date(Date.now() + o * 86_400_000).toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' }), offset);
    expect(await enrolment.locator('p').first().innerText()).toContain(`Active · enrolled ${await day(0)} · started ${await day(-1)}`);
    await enrolment.getByRole('row', { name: /Morgan Sample, caregiver/ }).waitFor();
    const chart = clinician.locator('figure[data-instrument="phq-9"]');
    await chart.locator('.score-value', { hasText: '16' }).waitFor();
    // Drawn at the panel's width: its text is as large on screen as it was written, and the bands are a legend.
    const sizes = await chart.locator('svg text').evaluateAll((els) =>
      els.map((e) => {
        const svg = (e as SVGTextElement).ownerSVGElement!;
        return parseFloat(getComputedStyle(e).fontSize) * (svg.getBoundingClientRect().width / svg.viewBox.baseVal.width);
      }),
    );
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(12);
    await chart.getByRole('list', { name: /Bands of/ }).getByText('Mild depression (5–9)').waitFor();
    await chart.getByText('Show the numbers').click();
    await chart.getByRole('columnheader', { name: 'PHQ-9 total score' }).waitFor();
    await expectPanelReady(clinician, 'patient view');
    await chart.scrollIntoViewIfNeeded();
    await screenshot(clinician, 'panel-patient-scores');
  });

  it("the quality lead's refused CSV says why instead of downloading; the JSON export downloads", async () => {
    const quality = await panel(w);
    await standaloneLaunch(quality, w, 'quality', 'Practitioner/sbx-prac-5');
    await quality.getByRole('heading', { level: 1, name: 'Outcome report' }).waitFor();
    const downloads: string[] = [];
    quality.on('download', (d) => downloads.push(d.suggestedFilename()));
    await quality.getByRole('link', { name: /^CSV/ }).click();
    const refusal = quality.getByRole('alert').filter({ hasText: 'The CSV was not exported' });
    await refusal.getByText(/too few people to share without identifying anyone \(fewer than \d+ participants/).waitFor();
    await refusal.getByText(/Nothing was downloaded/).waitFor();
    expect(downloads).toEqual([]);
    await expectPanelReady(quality, 'outcome report, CSV refused');
    await screenshot(quality, 'panel-quality-csv-refused');

    const [json] = await Promise.all([quality.waitForEvent('download'), quality.getByRole('link', { name: 'JSON', exact: true }).click()]);
    expect(json.suggestedFilename()).toBe('outcome-report.json');
    expect(downloads).toEqual(['outcome-report.json']);
  });

  it("the admin's screens fit the panel and name people, never ids", async () => {
    const admin = await panel(w);
    await standaloneLaunch(admin, w, 'admin', 'Practitioner/sbx-prac-3');
    const nav = admin.getByRole('navigation', { name: 'Main' });
    const screens: [string, string][] = [
      ['Users and roles', 'Users and roles'],
      ['Programs', 'Program catalogue'],
      ['Questionnaires', 'Questionnaire library'],
      ['Write-back queue', 'Write-back queue'],
      ['Audit log', 'Audit log'],
      ['EHRs', 'EHR registrations'],
    ];
    for (const [link, heading] of screens) {
      await nav.getByRole('link', { name: link, exact: true }).click();
      await admin.getByRole('heading', { level: 1, name: heading }).waitFor();
      if (heading === 'Questionnaire library') await admin.getByRole('row', { name: /Patient Health Questionnaire-9/ }).getByText(/PHQ-9 total score \(0–27, 5 bands\)/).waitFor();
      if (heading === 'Write-back queue') {
        const first = admin.getByRole('article').first();
        await first.getByRole('button', { name: /^Details/ }).click();
        await first.getByRole('heading', { name: /What was sent/ }).waitFor();
      }
      if (heading === 'Audit log') {
        // The coordinator's referral screening, by name; the patient, whom admins do not read from the EHR, by no id.
        const row = admin.getByRole('row', { name: /Referral screened/ }).first();
        await row.getByText('Robin Mockwell (Coordinator)').waitFor();
        await row.getByText(/Name unavailable \(admins do not read patient records\)/).waitFor();
      }
      await expectPanelReady(admin, heading);
    }
    await admin.getByRole('link', { name: 'Audit log', exact: true }).click();
    await admin.getByRole('row', { name: /Referral screened/ }).first().scrollIntoViewIfNeeded();
    await screenshot(admin, 'panel-admin-audit');
  });
});
