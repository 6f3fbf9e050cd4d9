import type { Page, Response } from 'playwright-core';
import { DataSource } from 'typeorm';
import { DEFAULT_CRISIS_MESSAGE } from '../../src/config/safety.config.js';
import { questionnaireUrl } from '../../src/questionnaires/engine/codes.js';
import { TimepointsService } from '../../src/questionnaires/timepoints/timepoints.service.js';
import { sandboxIssuer } from '../../src/sandbox/sandbox-registration.js';
import { RegistryService } from '../../src/smart/registry/registry.service.js';
import { dwellSelect, highlighted, installClock, onHeading, onQuestion, scanCycle, scanSelect, takeClock, until } from './support/assist.js';
import { describeInBrowser } from './support/chromium.js';
import { expectAccessible, screenshot } from './support/checks.js';
import { ehrLaunch, newPage, presetPlayer, standaloneLaunch, startUi, type UiWorld } from './support/ui-app.js';

// Avery answers her own forms at home, alone. With one switch (a single key) she starts the WHO-5 from her list,
// saves it for later, comes back, reviews it from the first answer, confirms, sees the thank-you page and signs
// out (which asks first); with eye gaze (dwell) she does the overdue GAD-7 the same way. Forms not open yet are listed apart and
// cannot be started. When her answers call for it, the service's crisis information shows at once and stays until
// she closes it (keyboard or switch). Scanning and dwell run on a clock the test moves, so a busy machine changes nothing.

const PATIENT = 'Patient/sbx-pat-1';
const SCAN_MS = 1000;
const DWELL_MS = 800;
const WHO5_START = /^Start: WHO-5 Well-Being Index/;
const PHQ9 = `/app/#/answer/phq-9?subject=${PATIENT}&return=forms`;
/** The service's own crisis text (the default of SAFETY_CRISIS_MESSAGE), as its answer to a save carries it. */
const CRISIS = DEFAULT_CRISIS_MESSAGE;

/** Avery signs in on her own computer, where her input settings are remembered; scanning and dwell on the test's clock. */
async function signInAs(w: UiWorld, settings: Record<string, unknown>): Promise<Page> {
  const { page, context } = await newPage(w);
  await presetPlayer(context, settings);
  await installClock(page);
  await standaloneLaunch(page, w, 'patient', PATIENT, PATIENT);
  await takeClock(page);
  await onHeading(page, 'My questionnaires');
  return page;
}

describeInBrowser('a patient finishes her forms alone: one switch, or eye gaze (browser)', () => {
  let w: UiWorld;
  let ds: DataSource;
  const assignments: Record<string, string> = {};

  beforeAll(async () => {
    w = await startUi();
    ds = w.t.app.get(DataSource);
    // Her enrolment's forms: the WHO-5 open now, the GAD-7 overdue, the satisfaction survey not open for a month.
    const registration = await w.t.app.get(RegistryService).findEnabledByIssuer(sandboxIssuer(w.t.url));
    const Q = questionnaireUrl;
    const { created } = await ds.transaction((m) =>
      w.t.app.get(TimepointsService).scheduleForEnrolment(m, {
        enrolmentId: '6f1f7d55-7c0e-4a43-9f2a-0d4f4b6a0c11',
        registrationId: registration!.id,
        patientId: 'sbx-pat-1',
        caregivers: [],
        programTimepoints: [
          { timepoint: 'baseline', questionnaires: [Q('who-5')], dueFromDays: -3, dueUntilDays: 30 },
          { timepoint: 'mid', questionnaires: [Q('gad-7')], dueFromDays: -20, dueUntilDays: -6 },
          { timepoint: 'post', questionnaires: [Q('program-satisfaction')], dueFromDays: 30, dueUntilDays: 44 },
        ],
        cohortStart: new Date().toISOString().slice(0, 10),
      }),
    );
    for (const a of created) assignments[a.questionnaireUrl.split('/').pop()!] = a.id;
  });
  afterAll(async () => w?.close());

  const statusOf = async (form: string): Promise<string> => (await ds.query(`SELECT status FROM questionnaire_assignment WHERE id = $1`, [assignments[form]]))[0].status;

  it('lists what is open now first, says which one is overdue, and lists forms not open yet apart with nothing to start', async () => {
    const { page } = await newPage(w);
    await standaloneLaunch(page, w, 'patient', PATIENT, PATIENT);
    const open = page.getByRole('region', { name: 'Open now' });
    await open.getByRole('link').first().waitFor();
    const links = await open.getByRole('link').allTextContents();
    expect(links).toHaveLength(2);
    expect(links[0]).toMatch(/^Start: Generalized Anxiety Disorder-7 \(GAD-7\).*Overdue it was due by/);
    expect(links[1]).toMatch(/^Start: WHO-5 Well-Being Index.*until/);
    expect(links[1]).not.toMatch(/Overdue/);
    const later = page.getByRole('region', { name: 'Not open yet' });
    await later.getByText(/ALS wellness program satisfaction · Post · opens on/).waitFor();
    expect(await later.getByRole('link').count()).toBe(0);
    expect(await later.getByRole('button').count()).toBe(0);
    await expectAccessible(page, 'my forms, open and not yet open');
    await screenshot(page, 'patient-forms-open-and-later');
    // Even by its address, the form that is not open yet shows when it opens, never a question.
    await page.goto(`${w.t.url}/app/#/answer/program-satisfaction?subject=${PATIENT}&assignment=${assignments['program-satisfaction']}&return=forms`);
    await page.getByRole('heading', { level: 1, name: 'This questionnaire is not open yet' }).waitFor();
    await page.getByText(/opens on/).waitFor();
    expect(await page.getByRole('radio').count()).toBe(0);
    await expectAccessible(page, 'a form not open yet');
  });

  it('with one switch only: starts the WHO-5, saves it for later, resumes, reviews from the first answer, confirms, and signs out', async () => {
    const page = await signInAs(w, { input: 'scan', scanMs: SCAN_MS, scanKey: 'Space' });
    // The list: the highlight visits the open forms and "Sign out"; the form not open yet is never a stop.
    await until(page, 'the first open form highlighted', () => !!document.querySelector('.form-list .scan-highlight'));
    // Where in its cycle the highlight is when we first look depends on the machine: read a whole cycle and more.
    const cycle = await scanCycle(page, 8, SCAN_MS);
    const gad = cycle.findIndex((c) => /^Start: Generalized Anxiety Disorder-7/.test(c));
    expect(gad).toBeGreaterThanOrEqual(0);
    expect(cycle[gad + 1]).toMatch(WHO5_START);
    expect(cycle).toContain('Sign out');
    expect(cycle.join(' ')).not.toMatch(/satisfaction/i);
    await scanSelect(page, WHO5_START);

    // Two answers, then "Save and finish later".
    await onQuestion(page, 1);
    await scanSelect(page, 'Most of the time');
    await onQuestion(page, 2);
    await scanSelect(page, 'More than half of the time');
    await onQuestion(page, 3);
    await scanSelect(page, 'Save and finish later');
    await onHeading(page, 'The answers are saved');
    expect(await statusOf('who-5')).toBe('in-progress');

    // Back to the list, and on where she stopped.
    await scanSelect(page, 'Continue');
    await onHeading(page, 'My questionnaires');
    await scanSelect(page, /^Continue: WHO-5 Well-Being Index/);
    await onQuestion(page, 3);
    for (const [n, answer] of [[3, 'Some of the time'], [4, 'Most of the time'], [5, 'All of the time']] as const) {
      await onQuestion(page, n);
      await scanSelect(page, answer);
    }

    // The review starts at the first answer; Submit only asks, and a double press goes back to the answers.
    await onHeading(page, 'Check your answers');
    expect(await highlighted(page)).toBe('Change answer to question 1');
    await screenshot(page, 'player-review-scanning');
    await scanSelect(page, 'Submit answers');
    expect(await highlighted(page)).toBe('No, check my answers again');
    await page.keyboard.press('Space'); // the same press again, at once
    await onHeading(page, 'Check your answers');
    expect(await highlighted(page)).toBe('Change answer to question 1');
    expect(await statusOf('who-5')).toBe('in-progress');

    // Now on purpose: Submit, then wait for "Yes, send my answers".
    await scanSelect(page, 'Submit answers');
    await onHeading(page, 'Send your answers now?');
    await screenshot(page, 'player-confirm');
    await scanSelect(page, 'Yes, send my answers');
    await onHeading(page, 'Thank you — the answers were sent');
    expect(await statusOf('who-5')).toBe('completed');
    const [saved] = await ds.query(`SELECT r.status, r.resource FROM questionnaire_response r WHERE r.assignment_id = $1`, [assignments['who-5']]);
    expect(saved.status).toBe('completed');
    expect(saved.resource.item.filter((i: { linkId: string }) => i.linkId.startsWith('who5-') && i.linkId !== 'who5-stem').length).toBeGreaterThanOrEqual(5);

    // The thank-you page scans too: "Continue", then "Sign out", which asks first: the highlight moves to "Stay", so a
    // stray second press keeps her signed in; leaving takes a press on "Yes, sign out".
    await scanSelect(page, 'Sign out');
    await until(page, 'the sign-out question', () => !!document.querySelector('dialog[open]'));
    expect(await highlighted(page)).toBe('Stay');
    await page.keyboard.press('Space');
    await until(page, 'the sign-out question closed', () => !document.querySelector('dialog[open]'));
    await onHeading(page, 'Thank you — the answers were sent');
    await scanSelect(page, 'Sign out');
    await until(page, 'the sign-out question', () => !!document.querySelector('dialog[open]'));
    // Only the question's two buttons are in the cycle while it is open.
    expect(new Set(await scanCycle(page, 4, SCAN_MS))).toEqual(new Set(['Stay', 'Yes, sign out']));
    await scanSelect(page, 'Yes, sign out');
    await onHeading(page, 'You are signed out');
  });

  it('with eye gaze only (dwell): the overdue GAD-7, saved for later, resumed, confirmed, then signs out', async () => {
    const page = await signInAs(w, { input: 'dwell', dwellMs: DWELL_MS });
    const main = page.locator('#main');
    const option = (text: string) => main.locator('.option', { hasText: new RegExp(`^${text}$`) });
    const button = (name: string | RegExp) => page.getByRole('button', { name, exact: typeof name === 'string' });
    await until(page, 'the list loaded', () => !!document.querySelector('.form-list a'));
    await dwellSelect(page, page.getByRole('link', { name: /^Start: Generalized Anxiety Disorder-7/ }), DWELL_MS);
    await onQuestion(page, 1);
    await dwellSelect(page, option('Not at all'), DWELL_MS);
    await onQuestion(page, 2);
    await dwellSelect(page, button('Save and finish later'), DWELL_MS);
    await onHeading(page, 'The answers are saved');
    await dwellSelect(page, page.getByRole('link', { name: 'Continue' }), DWELL_MS);
    await onHeading(page, 'My questionnaires');
    await dwellSelect(page, page.getByRole('link', { name: /^Continue: Generalized Anxiety Disorder-7/ }), DWELL_MS);
    for (let n = 2; n <= 7; n++) {
      await onQuestion(page, n);
      const chosen = (await option('Not at all').boundingBox())!;
      await dwellSelect(page, option('Not at all'), DWELL_MS);
      if (n !== 2) continue;
      // The next question puts its own "Not at all" where the gaze still rests, trembling: it is not chosen.
      await onQuestion(page, 3);
      const [x, y] = [chosen.x + chosen.width / 2, chosen.y + chosen.height / 2];
      expect(await page.evaluate(([px, py]) => document.elementFromPoint(px, py)?.closest('.option')?.textContent, [x, y])).toBe('Not at all');
      await page.mouse.move(x + 3, y + 2);
      await page.mouse.move(x, y);
      await page.clock.runFor(DWELL_MS * 2);
      expect(await page.getByRole('radio', { name: 'Not at all' }).isChecked()).toBe(false);
      expect(await page.locator('#player-progress-text').textContent()).toMatch(/^Question 3 /);
    }
    await onHeading(page, 'Check your answers');
    await dwellSelect(page, button('Submit answers'), DWELL_MS);
    await onHeading(page, 'Send your answers now?');
    await dwellSelect(page, button('Yes, send my answers'), DWELL_MS);
    await onHeading(page, 'Thank you — the answers were sent');
    expect(await statusOf('gad-7')).toBe('completed');
    await dwellSelect(page, button('Sign out'), DWELL_MS);
    await dwellSelect(page, button('Yes, sign out'), DWELL_MS);
    await onHeading(page, 'You are signed out');
  });

  /** She answers the PHQ-9 by keyboard with item 9 endorsed; the draft's save brings the crisis information. */
  async function crisisShown() {
    const { page } = await newPage(w);
    await standaloneLaunch(page, w, 'patient', PATIENT, PATIENT);
    await page.goto(`${w.t.url}${PHQ9}`);
    for (let n = 1; n <= 9; n++) {
      await page.getByText(`Question ${n} of`).waitFor();
      await page.getByRole('radio', { name: n === 9 ? 'Several days' : 'Not at all' }).check();
      await page.getByRole('button', { name: 'Next' }).click();
    }
    const alert = page.locator('.safety-message[role="alert"]');
    await alert.getByText(CRISIS).waitFor();
    return { page, alert };
  }

  // PHQ-9 item 9 endorsed on a draft save: the service answers with its crisis information (`safetyMessage`).
  it('shows crisis information at once when a save brings it, keeps it on every screen, and closes it from the keyboard', async () => {
    const { page, alert } = await crisisShown();
    // Keyboard and screen-reader users land on it at once.
    await page.waitForFunction(() => document.activeElement?.classList.contains('safety-message'));
    await expectAccessible(page, 'player with crisis information');
    await screenshot(page, 'player-crisis-information');
    await page.getByRole('radio', { name: 'Not difficult at all' }).check();
    await page.getByRole('button', { name: 'Review answers' }).click();
    await page.getByRole('heading', { name: 'Check your answers' }).waitFor();
    expect(await alert.isVisible()).toBe(true);
    await page.locator('.safety-message').focus();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Close this message');
    await page.keyboard.press('Enter');
    await alert.waitFor({ state: 'detached' });
    // Closed while answering, it stays closed when a later save brings the same text back…
    await page.getByRole('button', { name: 'Change answer to question 1', exact: true }).click();
    await page.getByRole('radio', { name: 'Several days' }).check();
    const saved = page.waitForResponse((r) => r.url().includes('/api/questionnaire-responses') && r.request().method() === 'PUT' && r.ok());
    await page.getByRole('button', { name: 'Back to review' }).click();
    expect((await (await saved).json()).safetyMessages.length).toBeGreaterThan(0);
    await page.getByRole('heading', { name: 'Check your answers' }).waitFor();
    expect(await alert.count()).toBe(0);
    // …and sending the form brings it back on the last page she sees, with the focus on it; closed there, the focus
    // goes to the page's heading.
    await page.getByRole('button', { name: 'Submit answers' }).click();
    await page.getByRole('button', { name: 'Yes, send my answers' }).click();
    await page.getByRole('heading', { name: 'Thank you — the answers were sent' }).waitFor();
    await alert.getByText(CRISIS).waitFor();
    await page.waitForFunction(() => document.activeElement?.classList.contains('safety-message'));
    await page.getByRole('button', { name: 'Close this message' }).click();
    await alert.waitFor({ state: 'detached' });
    await page.waitForFunction(() => document.activeElement?.tagName === 'H1');
  });

  // Item 9 endorsed on a draft, then changed before sending: the draft's save raised the alert, which stays open, so
  // the thank-you page still carries the crisis information she was shown (and closed).
  it('shows the crisis information on the thank-you page even when the answer that brought it was changed', async () => {
    const { page, alert } = await crisisShown();
    await page.getByRole('button', { name: 'Close this message' }).click();
    await alert.waitFor({ state: 'detached' });
    await page.getByRole('radio', { name: 'Not difficult at all' }).check();
    const put = (r: Response) => r.url().includes('/api/questionnaire-responses') && r.request().method() === 'PUT' && r.ok();
    // The review's own save (item 9 still endorsed) is answered first, so the save awaited below is the changed one's.
    const reviewSaved = page.waitForResponse(put);
    await page.getByRole('button', { name: 'Review answers' }).click();
    await reviewSaved;
    await page.getByRole('button', { name: 'Change answer to question 9', exact: true }).click();
    await page.getByRole('radio', { name: 'Not at all' }).check();
    const saved = page.waitForResponse(put);
    await page.getByRole('button', { name: 'Back to review' }).click();
    // The draft's crisis alert is still open, so the save still carries the text; closed, it stays closed here.
    expect((await (await saved).json()).safetyMessages.length).toBeGreaterThan(0);
    expect(await alert.count()).toBe(0);
    await page.getByRole('button', { name: 'Submit answers' }).click();
    await page.getByRole('button', { name: 'Yes, send my answers' }).click();
    await page.getByRole('heading', { name: 'Thank you — the answers were sent' }).waitFor();
    await alert.getByText(CRISIS).waitFor();
  });

  // The form is closed at the clinic (or sent from another screen) while she answers, after a crisis answer: the page
  // that replaces the player is her last one, and carries the crisis information again.
  it('shows the crisis information on the page that says the form was closed', async () => {
    const { page, alert } = await crisisShown();
    await page.getByRole('button', { name: 'Close this message' }).click();
    await alert.waitFor({ state: 'detached' });
    await page.route('**/api/questionnaire-responses/**', (route) =>
      route.request().method() === 'PUT'
        ? route.fulfill({
            status: 409,
            contentType: 'application/fhir+json',
            body: JSON.stringify({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'conflict', details: { coding: [{ system: 'urn:als-wellness:error-code', code: 'QUESTIONNAIRES.ASSIGNMENT_UNAVAILABLE' }] }, diagnostics: 'closed (staff wording)' }] }),
          })
        : route.continue(),
    );
    await page.getByRole('radio', { name: 'Not difficult at all' }).check();
    await page.getByRole('button', { name: 'Review answers' }).click();
    await page.getByRole('heading', { name: 'This questionnaire cannot be answered now' }).waitFor();
    await alert.getByText(CRISIS).waitFor();
    await page.waitForFunction(() => document.activeElement?.classList.contains('safety-message'));
  });

  it('brings the switch to the crisis information first, and closes it with the same switch', async () => {
    const { page, context } = await newPage(w);
    await presetPlayer(context, { input: 'scan', scanMs: SCAN_MS, scanKey: 'Space' });
    await installClock(page);
    await standaloneLaunch(page, w, 'patient', PATIENT, PATIENT);
    await page.goto(`${w.t.url}${PHQ9}`);
    await takeClock(page);
    for (let n = 1; n <= 9; n++) {
      await onQuestion(page, n);
      await scanSelect(page, n === 9 ? 'Several days' : 'Not at all');
    }
    await onQuestion(page, 10);
    await until(page, 'the crisis information', () => !!document.querySelector('.safety-message[role="alert"]'));
    expect(await highlighted(page)).toBe('Close this message');
    await page.keyboard.press('Space');
    await until(page, 'the crisis information closed', () => !document.querySelector('.safety-message'));
    expect(await highlighted(page)).toBe('Not difficult at all');
  });

  // Her clinician, meanwhile: one open referral per patient and program, and the refer form says so.
  it('tells a clinician who refers her a second time that she is already referred', async () => {
    const { page } = await newPage(w);
    await ehrLaunch(page, w);
    const refer = async () => {
      await page.getByLabel('Reason for referral').fill('Low mood since diagnosis; wishes to learn coping skills.');
      await page.getByRole('button', { name: 'Refer', exact: true }).click();
    };
    await refer();
    await page.getByRole('article', { name: /Referral to Mindful Self-Compassion/ }).waitFor();
    await refer();
    const refusal = page.getByRole('alert').filter({ hasText: 'Already referred' });
    await refusal.getByText(/already has an open referral to Mindful Self-Compassion/).waitFor();
    expect(await page.getByRole('article', { name: /Referral to Mindful Self-Compassion/ }).count()).toBe(1);
    await expectAccessible(page, 'refer form, already referred');
  });
});
