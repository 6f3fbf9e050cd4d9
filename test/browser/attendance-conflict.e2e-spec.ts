import type { Page } from 'playwright-core';
import { sandboxIssuer } from '../../src/sandbox/sandbox-registration.js';
import { MSC, referScreenAccept } from '../programs-support/course.js';
import { apiAs, isoDateDaysFromToday } from '../programs-support/program-api.js';
import { signIn } from '../support/sign-in.js';
import { describeInBrowser } from './support/chromium.js';
import { expectAccessible } from './support/checks.js';
import { grantRole, newPage, standaloneLaunch, startUi, type UiWorld } from './support/ui-app.js';

// Two coordinators marking one session's attendance at once. The grid shows what is recorded and sends it back
// with the coordinator's own marks; a colleague's correction saved meanwhile was put back silently (last save
// won). Now the save carries the ETag the grid read (If-Match): it is refused, the grid reads what is recorded
// now, keeps this coordinator's own marks on top, says so in plain words, and the next save keeps both. Someone who
// left meanwhile is a refusal too: the grid reads its roster again. And a session that started by the server's clock
// is offered to a browser whose own clock is behind.

describeInBrowser('attendance marked by two coordinators at once (browser)', () => {
  let w: UiWorld;
  let page: Page;
  let colleague: ReturnType<typeof apiAs>;
  let sessionId: string;
  let cohortId: string;

  beforeAll(async () => {
    w = await startUi();
    await grantRole(w, 'Practitioner/sbx-prac-2', 'coordinator', 'Robin Mockwell');
    colleague = apiAs(w.t, await signIn(w.t.app, { role: 'coordinator', issuer: sandboxIssuer(w.t.url) }));
    const cohort = await colleague.post('/api/cohorts', {
      program: MSC, name: 'Thursday group', startDate: isoDateDaysFromToday(-1), sessionTime: '10:00', timeZone: 'Europe/London', facilitator: 'Practitioner/sbx-prac-4',
    });
    expect(cohort.status).toBe(201);
    cohortId = cohort.body.id as string;
    sessionId = (cohort.body.sessions as { id: string; sequence: number }[]).find((s) => s.sequence === 1)!.id;
    const referral = await referScreenAccept(colleague, 'sbx-pat-1', ['RelatedPerson/sbx-rp-1']);
    await colleague.post('/api/enrolments', { referralId: referral, cohortId: cohort.body.id }).expect(201);
    // The caregiver was marked as attended first (by mistake, as it turns out).
    await colleague.put(`/api/sessions/${sessionId}/attendance`, { attendance: [{ person: 'RelatedPerson/sbx-rp-1', status: 'attended' }] }).expect(200);
    ({ page } = await newPage(w));
    await standaloneLaunch(page, w, 'coordinator', 'Practitioner/sbx-prac-2');
  });
  afterAll(async () => w?.close());

  const recorded = async () =>
    Object.fromEntries(((await colleague.get(`/api/sessions/${sessionId}/attendance`).expect(200)).body as { person: string; status: string }[]).map((r) => [r.person, r.status]));

  it("a colleague's correction saved meanwhile is neither lost nor hidden; the coordinator's own mark is kept", async () => {
    await page.getByRole('link', { name: 'Cohorts and sessions' }).click();
    await page.getByRole('link', { name: 'Thursday group' }).click();
    await page.getByRole('link', { name: 'Attendance for week 1' }).click();
    await page.getByText('The attendance already recorded is shown.').waitFor();
    const patient = page.getByRole('group', { name: /Avery Sample/ });
    const caregiver = page.getByRole('group', { name: /Morgan Sample, caregiver/ });
    expect(await caregiver.getByRole('radio', { name: 'Attended' }).isChecked()).toBe(true);

    // While she marks the patient, her colleague corrects the caregiver: excused, not attended.
    await patient.getByRole('radio', { name: 'Attended' }).check();
    await colleague.put(`/api/sessions/${sessionId}/attendance`, { attendance: [{ person: 'RelatedPerson/sbx-rp-1', status: 'excused' }] }).expect(200);

    await page.getByRole('button', { name: 'Save attendance' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'Attendance was not saved' });
    await alert.getByText(/This session's attendance, or who is in it, changed after it was shown here/).waitFor();
    expect(await recorded()).toEqual({ 'RelatedPerson/sbx-rp-1': 'excused' }); // nothing of hers was saved, his correction stands
    // The grid now shows his correction, and her own mark where she made it.
    await page.waitForFunction(() => [...document.querySelectorAll('fieldset')].some((f) => /caregiver/.test(f.textContent ?? '') && [...f.querySelectorAll('label')].some((l) => /Excused/.test(l.textContent ?? '') && l.querySelector('input')?.checked)));
    expect(await patient.getByRole('radio', { name: 'Attended' }).isChecked()).toBe(true);
    await expectAccessible(page, 'attendance refused after a colleague saved');

    await page.getByRole('button', { name: 'Save attendance' }).click();
    await page.getByText('Attendance saved.').waitFor();
    expect(await recorded()).toEqual({ 'Patient/sbx-pat-1': 'attended', 'RelatedPerson/sbx-rp-1': 'excused' });
  });

  it('when both mark the same person, her row says what the colleague recorded and gets focus; her choice then saves', async () => {
    const caregiver = page.getByRole('group', { name: /Morgan Sample, caregiver/ });
    await caregiver.getByRole('radio', { name: 'Attended' }).check();
    await colleague.put(`/api/sessions/${sessionId}/attendance`, { attendance: [{ person: 'RelatedPerson/sbx-rp-1', status: 'absent' }] }).expect(200);
    await page.getByRole('button', { name: 'Save attendance' }).click();
    await page.getByRole('alert').filter({ hasText: 'Attendance was not saved' }).getByText(/For one person someone else recorded something other than your mark/).waitFor();
    const note = caregiver.getByText(/Someone else recorded “Absent” after this was shown; your mark, “Attended”, is still chosen/);
    await note.waitFor();
    expect(await caregiver.getByRole('radio', { name: 'Attended' }).isChecked()).toBe(true);
    // Focus is on her row, so a keyboard or screen-reader user lands where the decision is.
    await page.waitForFunction(() => document.activeElement?.tagName === 'FIELDSET' && /caregiver/.test(document.activeElement.textContent ?? ''));
    expect(await recorded()).toEqual({ 'Patient/sbx-pat-1': 'attended', 'RelatedPerson/sbx-rp-1': 'absent' });
    await expectAccessible(page, 'attendance with a colleague’s different mark');
    await caregiver.getByRole('radio', { name: 'Absent' }).check();
    expect(await note.count()).toBe(0);
    await page.getByRole('button', { name: 'Save attendance' }).click();
    await page.getByText('Attendance saved.').waitFor();
    expect(await recorded()).toEqual({ 'Patient/sbx-pat-1': 'attended', 'RelatedPerson/sbx-rp-1': 'absent' });
  });

  it('someone who left while the grid was open: refused, the grid drops them and keeps her other marks; then it saves', async () => {
    const referral = await referScreenAccept(colleague, 'sbx-pat-2');
    const enrolment = (await colleague.post('/api/enrolments', { referralId: referral, cohortId }).expect(201)).body.id as string;
    await page.reload();
    await page.getByText('The attendance already recorded is shown.').waitFor();
    const patient = page.getByRole('group', { name: /Avery Sample/ });
    const leaving = page.getByRole('group', { name: /Jordan Placeholder/ });
    await patient.getByRole('radio', { name: 'Excused' }).check();
    await leaving.getByRole('radio', { name: 'Attended' }).check();

    // Jordan withdraws (the session was held already) while she marks.
    await colleague.post(`/api/enrolments/${enrolment}/withdraw`, { reason: 'fatigue', date: isoDateDaysFromToday(0) }).expect(200);
    await page.getByRole('button', { name: 'Save attendance' }).click();
    await page.getByRole('alert').filter({ hasText: 'Attendance was not saved' }).getByText(/or who is in it, changed after it was shown here/).waitFor();
    await leaving.waitFor({ state: 'detached' });
    expect(await patient.getByRole('radio', { name: 'Excused' }).isChecked()).toBe(true);
    expect(await recorded()).toEqual({ 'Patient/sbx-pat-1': 'attended', 'RelatedPerson/sbx-rp-1': 'absent' });

    await page.getByRole('button', { name: 'Save attendance' }).click();
    await page.getByText('Attendance saved.').waitFor();
    expect(await recorded()).toEqual({ 'Patient/sbx-pat-1': 'excused', 'RelatedPerson/sbx-rp-1': 'absent' });
  });

  it("offers a session that started by the server's clock to a browser whose clock is two minutes behind", async () => {
    const week2 = (await colleague.get(`/api/cohorts/${cohortId}/sessions`).expect(200)).body.find((s: { sequence: number }) => s.sequence === 2) as { id: string };
    await colleague.patch(`/api/sessions/${week2.id}`, { startsAt: new Date(Date.now() - 60_000).toISOString() }).expect(200); // a minute ago
    const { page: behind } = await newPage(w);
    await behind.clock.install({ time: Date.now() - 120_000 }); // flows normally, two minutes late
    await standaloneLaunch(behind, w, 'coordinator', 'Practitioner/sbx-prac-2');
    await behind.getByRole('link', { name: 'Cohorts and sessions' }).click();
    await behind.getByRole('link', { name: 'Thursday group' }).click();
    await behind.getByRole('row', { name: /Week 2/ }).waitFor();
    // Without waiting for the browser's clock to catch up: its link and its grid are there now.
    expect(await behind.getByRole('link', { name: 'Attendance for week 2' }).count()).toBe(1);
    await behind.getByRole('link', { name: 'Attendance for week 2' }).click();
    await behind.getByText('The attendance already recorded is shown.').waitFor();
    expect(await behind.getByText('This session has not started yet').count()).toBe(0);
  });
});
