import type { Frame, Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { questionnaireUrl } from '../../src/questionnaires/engine/codes.js';
import { TimepointsService } from '../../src/questionnaires/timepoints/timepoints.service.js';
import { sandboxIssuer } from '../../src/sandbox/sandbox-registration.js';
import { RegistryService } from '../../src/smart/registry/registry.service.js';
import { SessionService } from '../../src/smart/session/session.service.js';
import { describeInBrowser } from './support/chromium.js';
import { expectAccessible, screenshot } from './support/checks.js';
import { dwellSelect, highlighted, installClock, scanSelect, takeClock, until } from './support/assist.js';
import { PHQ9_OPTIONS, focusedText, tabTo } from './support/player.js';
import { ehrLaunch, newPage, presetPlayer, standaloneLaunch, startUi, type UiWorld } from './support/ui-app.js';

// The player and the patient's pages with Tab and Space (or Enter) only: what a person with two switches ("step
// scanning": one sends Tab, the other Space or Enter), or a keyboard user without arrow keys, has. Every answer and
// every setting is its own Tab stop; after the answers Tab reaches Next first; an arrow key moves focus and never
// changes an answer; every target is at least 64 px each way; "Sign out" asks first, keeps Tab inside its question
// and gives the focus back to itself; the page after it, or after a session that ended, is in the person's language
// and the app's words.

const PHQ9 = '/app/#/answer/phq-9?return=patient';
const PATIENT = 'Patient/sbx-pat-1';
/** Spanish in her EHR record (Patient.communication); the browser stays English. */
const SPANISH_PATIENT = 'Patient/sbx-pat-3';
/** A patient with a form open now (the suite's beforeAll): on her list the form comes before "Sign out" in the scan. */
const PATIENT_WITH_FORM = 'Patient/sbx-pat-2';
const SCAN_MS = 1000;
const DWELL_MS = 800;
/** Items 1–8 (none first but one), item 9 "Not at all": total 13, moderate. */
const PICKS = [1, 2, 3, 0, 1, 2, 3, 1, 0];

/** The element with focus: its role, its accessible state and its text. */
function focused(page: Page): Promise<{ role: string | null; checked: string | null; text: string }> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement;
    return { role: el.getAttribute('role'), checked: el.getAttribute('aria-checked'), text: (el.textContent ?? '').trim() };
  });
}

/** Which answer is checked on the question screen (its text), from the accessibility attributes. */
function checkedRadio(page: Page): Promise<string[]> {
  return page.$$eval('.question [role="radio"][aria-checked="true"]', (els) => els.map((e) => (e.textContent ?? '').trim()));
}

/** Tabs only (one switch), then Space or Enter (the other). */
async function tabAndPress(page: Page, name: RegExp, key: 'Space' | 'Enter' = 'Space'): Promise<void> {
  await tabTo(page, name, 25);
  await page.keyboard.press(key);
}

async function onQuestion(page: Page, n: number): Promise<void> {
  await page.waitForFunction((k) => document.querySelector('#player-progress-text')?.textContent?.startsWith(`Question ${k} `), n);
  // The screen's heading has focus, so Tab starts at its answers.
  await page.waitForFunction(() => document.activeElement?.tagName === 'H2');
}

/** The clinician's EHR launch, then the PHQ-9 for the patient in context: its first screen, whose heading has focus. */
async function openPhq9(w: UiWorld): Promise<Page> {
  const { page } = await newPage(w);
  await ehrLaunch(page, w);
  await page.goto(`${w.t.url}${PHQ9}`);
  await page.waitForFunction(() => document.activeElement?.id === 'who-heading');
  return page;
}

/** The PHQ-9 opened, read aloud by the clinician, on question 1. */
async function startReadAloud(w: UiWorld): Promise<Page> {
  const page = await openPhq9(w);
  await page.getByRole('radio', { name: 'A clinician reading the questions aloud' }).click();
  await page.getByRole('button', { name: 'Start' }).click();
  await onQuestion(page, 1);
  return page;
}

/** The patient signed in on her own (standalone launch), on "My questionnaires" under its name in her language. */
async function patientForms(w: UiWorld, heading = 'My questionnaires', patient = PATIENT): Promise<Page> {
  const { page } = await newPage(w);
  await standaloneLaunch(page, w, 'patient', patient, patient);
  await page.getByRole('heading', { name: heading }).waitFor();
  return page;
}

/** The patient on her own, with switch scanning or dwell (as she left it in this browser), on a clock the test moves. */
async function assistedForms(w: UiWorld, settings: Record<string, unknown>): Promise<Page> {
  const { page, context } = await newPage(w);
  await presetPlayer(context, settings);
  await installClock(page);
  await standaloneLaunch(page, w, 'patient', PATIENT_WITH_FORM, PATIENT_WITH_FORM);
  await takeClock(page);
  // Scanning and dwell start once the list has loaded (usePageAssist).
  await until(page, 'the forms listed', () => !!document.getElementById('open-forms-heading'));
  return page;
}

/** The focused element's text in a page or frame, and whether the frame holds the focus of the page around it. */
function focusIn(frame: Frame): Promise<{ text: string; frameFocused: boolean }> {
  return frame.evaluate(() => ({ text: (document.activeElement?.textContent ?? '').trim(), frameFocused: document.hasFocus() }));
}

/**
 * Every visible target on the page smaller than 64 px in either direction: links, buttons, fields, radios (a
 * checkbox or radio input inside a label counts as its label), each with its size.
 */
function smallTargets(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const selector = 'a[href], button, input, select, textarea, summary, [role="radio"], [role="checkbox"], [tabindex]:not([tabindex="-1"])';
    const out: string[] = [];
    for (const el of document.querySelectorAll<HTMLElement>(selector)) {
      const target = el.matches('input[type="checkbox"], input[type="radio"]') ? (el.closest('label') ?? el) : el;
      const box = target.getBoundingClientRect();
      const hidden = box.width === 0 || box.height === 0 || box.right < 0 || getComputedStyle(target).visibility === 'hidden';
      if (hidden) continue;
      if (box.width < 64 || box.height < 64) out.push(`${(target.textContent ?? target.tagName).trim().slice(0, 40)} ${Math.round(box.width)}x${Math.round(box.height)}`);
    }
    return out;
  });
}

describeInBrowser('the player and the patient pages with Tab and Space only (browser)', () => {
  let w: UiWorld;
  beforeAll(async () => {
    w = await startUi();
    // PATIENT_WITH_FORM's enrolment: the WHO-5 open now.
    const registration = await w.t.app.get(RegistryService).findEnabledByIssuer(sandboxIssuer(w.t.url));
    await w.t.app.get(DataSource).transaction((m) =>
      w.t.app.get(TimepointsService).scheduleForEnrolment(m, {
        enrolmentId: '0b6c2f4e-5d1a-4f7b-8e3c-9a2d1c4b7e60',
        registrationId: registration!.id,
        patientId: PATIENT_WITH_FORM.split('/')[1],
        caregivers: [],
        programTimepoints: [{ timepoint: 'baseline', questionnaires: [questionnaireUrl('who-5')], dueFromDays: -1, dueUntilDays: 30 }],
        cohortStart: new Date().toISOString().slice(0, 10),
      }),
    );
  });
  afterAll(async () => w?.close());

  it('answers the whole PHQ-9 with Tab and Space or Enter, choosing answers that are not the first', async () => {
    const page = await openPhq9(w);
    // The second choice, by Tab alone: each choice is its own Tab stop.
    await tabAndPress(page, /^Someone answering on the person’s behalf/);
    await expect(focused(page)).resolves.toMatchObject({ role: 'radio', checked: 'true' });
    await tabAndPress(page, /^Start$/, 'Enter');
    for (let n = 1; n <= 9; n++) {
      await onQuestion(page, n);
      const answer = PHQ9_OPTIONS[PICKS[n - 1]];
      await tabAndPress(page, new RegExp(`^${answer}$`), n % 2 ? 'Space' : 'Enter');
      expect(await checkedRadio(page)).toEqual([answer]);
      // The hint that an answer is needed goes (hidden in its place) once there is one.
      await page.getByText('An answer is needed.').waitFor({ state: 'hidden' });
      await tabAndPress(page, /^Next$/, 'Enter');
    }
    await onQuestion(page, 10);
    await tabAndPress(page, /^Very difficult$/);
    await tabAndPress(page, /^Review answers$/, 'Enter');
    await page.getByRole('heading', { name: 'Check your answers' }).waitFor();
    await tabAndPress(page, /^Submit answers$/, 'Enter');
    await page.getByRole('heading', { name: 'Send your answers now?' }).waitFor();
    await tabAndPress(page, /^Yes, send my answers$/, 'Enter');
    await page.getByText(/total score.*: 13 — Moderate depression/).waitFor();
  });

  it('puts Next first after the answers (answer, Tab, Enter goes on), then Back, then Save and finish later', async () => {
    const page = await startReadAloud(w);
    await page.getByRole('radio', { name: 'Not at all' }).click();
    await page.getByRole('button', { name: 'Next' }).click();
    await onQuestion(page, 2);
    // The last answer, then Tab: Next, Back, Save and finish later, in that order on screen too.
    await page.getByRole('radio', { name: 'Nearly every day' }).click();
    const order: string[] = [];
    for (let i = 0; i < 3; i++) {
      await page.keyboard.press('Tab');
      order.push(await focusedText(page));
    }
    expect(order).toEqual(['Next', 'Back', 'Save and finish later']);
    const x = async (name: string) => (await page.getByRole('button', { name, exact: true }).boundingBox())!.x;
    expect(await x('Next')).toBeLessThan(await x('Back'));
    expect(await x('Back')).toBeLessThan(await x('Save and finish later'));
    // Answer, Tab, Enter: on to question 3.
    await page.getByRole('radio', { name: 'Several days' }).focus();
    await page.keyboard.press('Space');
    await tabTo(page, /^Next$/);
    await page.keyboard.press('Enter');
    await onQuestion(page, 3);
  });

  it('says "An answer is needed." only until the question is answered', async () => {
    const page = await startReadAloud(w);
    const hint = page.getByText('An answer is needed.', { exact: true });
    await hint.waitFor();
    const tile = page.getByRole('radio', { name: 'More than half the days' });
    const before = await tile.boundingBox();
    await page.getByRole('radio', { name: 'Several days' }).click();
    await hint.waitFor({ state: 'hidden' });
    // Hidden in its place: the answers do not move up under the gaze or pointer that just chose one.
    expect(await tile.boundingBox()).toEqual(before);
    // Not described by it any more either.
    expect(await page.locator('.question-fields').getAttribute('aria-describedby')).toBeNull();
    await expectAccessible(page, 'an answered question');
  });

  it('moves between answers with the arrow keys without changing the answer given', async () => {
    const page = await startReadAloud(w);
    await page.getByRole('radio', { name: 'Several days' }).click();
    await page.getByRole('button', { name: 'Next' }).click();
    await onQuestion(page, 2);
    await page.getByRole('button', { name: 'Back' }).click();
    await onQuestion(page, 1);
    // Back on the answered question: arrows move the focus, the answer stays.
    // Exact names: the ✓ a chosen tile's style draws has empty alt text, so it is not part of the name.
    const radio = (name: string) => page.getByRole('radio', { name, exact: true });
    const hasFocus = (name: string) => radio(name).evaluate((el) => el === document.activeElement);
    await radio('Several days').focus();
    await page.keyboard.press('ArrowDown');
    expect(await hasFocus('More than half the days')).toBe(true);
    expect(await radio('More than half the days').isChecked()).toBe(false);
    expect(await radio('Several days').isChecked()).toBe(true);
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    expect(await hasFocus('Not at all')).toBe(true);
    expect(await radio('Not at all').isChecked()).toBe(false);
    expect(await radio('Several days').isChecked()).toBe(true);
    // Nothing else was saved either: after Next and Back the answer is the one chosen.
    await page.getByRole('button', { name: 'Next' }).click();
    await onQuestion(page, 2);
    await page.getByRole('button', { name: 'Back' }).click();
    await onQuestion(page, 1);
    expect(await checkedRadio(page)).toEqual(['Several days']);
  });

  it('turns on larger text and switch scanning from the settings with Tab and Space only', async () => {
    const page = await openPhq9(w);
    // From the top of the page's main content, as a person who pressed "Skip to main content".
    await page.locator('#main').focus();
    await tabAndPress(page, /^Display and input settings$/);
    await page.locator('#player-settings').waitFor();
    await expectAccessible(page, 'player settings open');
    await screenshot(page, 'player-settings-keyboard');
    await tabAndPress(page, /^Large$/);
    // Applied to the page by an effect after the render: waited for.
    await page.waitForFunction(() => document.documentElement.dataset.textSize === 'large');
    await tabAndPress(page, /^High contrast$/, 'Enter');
    await page.waitForFunction(() => document.documentElement.dataset.contrast === 'high');
    await tabAndPress(page, /^Switch scanning$/);
    await page.locator('.player.input-scan .scan-highlight').waitFor();
    const saved = await page.evaluate(() => JSON.parse(localStorage.getItem('als-wellness.player-settings') ?? '{}'));
    expect(saved).toMatchObject({ textSize: 'large', contrast: 'high', input: 'scan' });
    // The input method's own settings are neither scanned nor dwelt on (a stray press or a resting gaze would turn
    // off the mode in use, for good); the display settings are both.
    const targets = (name: string) =>
      page.getByRole('radio', { name }).evaluate((el) => ({ scan: el.getAttribute('data-scan'), dwell: el.hasAttribute('data-dwell') }));
    for (const name of ['Touch, mouse or keyboard', 'Switch scanning', 'Dwell (eye gaze)', '1 s']) expect(await targets(name)).toEqual({ scan: null, dwell: false });
    expect(await targets('Normal')).toEqual({ scan: '9', dwell: true });
  });

  it('gives every target on the patient’s screens 64 px or more each way', async () => {
    const page = await patientForms(w);
    // The skip link, when the first Tab shows it.
    await page.keyboard.press('Tab');
    expect(await focusedText(page)).toBe('Skip to main content');
    expect(await smallTargets(page)).toEqual([]);
    await page.getByRole('button', { name: 'Display and input settings' }).click();
    await page.getByRole('radio', { name: 'Switch scanning' }).click();
    await page.getByRole('button', { name: 'Use another key' }).waitFor();
    expect(await smallTargets(page)).toEqual([]);
    await page.getByRole('radio', { name: 'Dwell (eye gaze)' }).click();
    expect(await smallTargets(page)).toEqual([]);
    await page.getByRole('radio', { name: 'Touch, mouse or keyboard' }).click();
    await page.getByRole('button', { name: 'Display and input settings' }).click();

    // The player: a question, a check, the review, the confirmation, the last page.
    await page.goto(`${w.t.url}/app/#/answer/who-5?subject=${PATIENT}&return=forms`);
    await page.getByText('Question 1 of').waitFor();
    await page.getByRole('button', { name: 'Display and input settings' }).click();
    expect(await smallTargets(page)).toEqual([]);
    await page.getByRole('button', { name: 'Display and input settings' }).click();
    for (let n = 1; n <= 5; n++) {
      await page.getByText(`Question ${n} of`).waitFor();
      await page.getByRole('radio', { name: 'Some of the time' }).click();
      await page.getByRole('button', { name: n === 5 ? 'Review answers' : 'Next' }).click();
    }
    await page.getByRole('heading', { name: 'Check your answers' }).waitFor();
    expect(await smallTargets(page)).toEqual([]);
    await page.getByRole('button', { name: 'Submit answers' }).click();
    await page.getByRole('heading', { name: 'Send your answers now?' }).waitFor();
    expect(await smallTargets(page)).toEqual([]);
    await page.getByRole('button', { name: 'Yes, send my answers' }).click();
    await page.getByRole('heading', { name: 'Thank you — the answers were sent' }).waitFor();
    expect(await smallTargets(page)).toEqual([]);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('dialog', { name: 'Sign out now?' }).waitFor();
    expect(await smallTargets(page)).toEqual([]);
  });

  it('asks before signing out, with the focus on "Stay", and keeps her signed in unless she confirms', async () => {
    const page = await patientForms(w);
    // From the top of the page: "Sign out" is the second Tab stop, after the skip link.
    await page.keyboard.press('Tab');
    expect(await focusedText(page)).toBe('Skip to main content');
    await page.keyboard.press('Tab');
    expect(await focusedText(page)).toBe('Sign out');
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Sign out now?' });
    await dialog.waitFor();
    await dialog.getByText('Answers you have already saved are kept.', { exact: false }).waitFor();
    await expect(focused(page)).resolves.toMatchObject({ text: 'Stay' });
    await expectAccessible(page, 'sign-out confirmation');
    await screenshot(page, 'patient-sign-out-confirmation');
    // A stray second press stays.
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'hidden' });
    expect(await focusedText(page)).toBe('Sign out');
    // So does Escape.
    await page.keyboard.press('Enter');
    await dialog.waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await page.reload();
    await page.getByRole('heading', { name: 'My questionnaires' }).waitFor();
    // Confirmed: signed out, told so, in the app's words.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await dialog.getByRole('button', { name: 'Yes, sign out' }).click();
    await page.getByRole('heading', { level: 1, name: 'You are signed out' }).waitFor();
    await page.getByText('Answers you have already saved are kept.', { exact: false }).waitFor();
    expect(await page.getByText(/The service said|to sign in\./).count()).toBe(0);
    await expectAccessible(page, 'signed out');
  });

  it('opens the sign-out question again for a press of "Sign out" that comes right after Escape', async () => {
    const page = await patientForms(w);
    await page.getByRole('button', { name: 'Sign out' }).click();
    const dialog = page.getByRole('dialog', { name: 'Sign out now?' });
    await dialog.waitFor();
    // Escape (requestClose runs the same cancel-then-close steps) and a press of "Sign out" in one task, as a switch
    // user's second switch can follow the first: the browser's close event was still queued when the press came,
    // so the press found the question still "asked", did nothing, and the close then shut it for good.
    await page.evaluate(() => {
      (document.querySelector('dialog.confirm-dialog') as HTMLDialogElement & { requestClose(): void }).requestClose();
      [...document.querySelectorAll<HTMLButtonElement>('button')].find((b) => b.textContent?.trim() === 'Sign out')!.click();
    });
    // Let every queued event and render run, then look.
    await page.evaluate(() => new Promise((r) => setTimeout(r, 0)).then(() => new Promise((r) => requestAnimationFrame(r))));
    await dialog.waitFor();
    expect(await page.evaluate(() => (document.querySelector('dialog.confirm-dialog') as HTMLDialogElement).open)).toBe(true);
    await expect(focused(page)).resolves.toMatchObject({ text: 'Stay' });
  });

  it('keeps Tab inside the sign-out question when the app is in an EHR’s frame, and gives the focus back to "Sign out"', async () => {
    const page = await patientForms(w);
    // The EHR's page around the app; on the app's origin here, so the frame's requests carry her session.
    const ehrPage = `<!doctype html><html lang="en"><title>EHR</title><button>EHR before</button>
      <iframe src="/app/" title="ALS wellness program" width="1100" height="700"></iframe><button>EHR after</button></html>`;
    await page.route(`${w.t.url}/ehr-page`, (route) => route.fulfill({ contentType: 'text/html', body: ehrPage }));
    await page.goto(`${w.t.url}/ehr-page`);
    const frame = page.frameLocator('iframe');
    await frame.getByRole('heading', { name: 'My questionnaires' }).waitFor();
    const app = page.frames().find((f) => f !== page.mainFrame())!;
    /** The focus: on which of the app's elements, and still inside the app's frame. */
    const where = async () => ({ ...(await focusIn(app)), outside: await page.evaluate(() => document.activeElement?.tagName) });
    await frame.getByRole('button', { name: 'Sign out', exact: true }).focus();
    await page.keyboard.press('Enter');
    const dialog = frame.getByRole('dialog', { name: 'Sign out now?' });
    await dialog.waitFor();
    await expect(where()).resolves.toEqual({ text: 'Stay', frameFocused: true, outside: 'IFRAME' });
    await page.keyboard.press('Tab');
    await expect(where()).resolves.toEqual({ text: 'Yes, sign out', frameFocused: true, outside: 'IFRAME' });
    // Past the last button Tab goes back to the first, not out to the EHR's page; Shift+Tab the other way round.
    await page.keyboard.press('Tab');
    await expect(where()).resolves.toEqual({ text: 'Stay', frameFocused: true, outside: 'IFRAME' });
    await page.keyboard.press('Shift+Tab');
    await expect(where()).resolves.toEqual({ text: 'Yes, sign out', frameFocused: true, outside: 'IFRAME' });
    // Its text clicked, the dialog itself has the focus: Shift+Tab still stays inside.
    await dialog.getByText('Answers you have already saved are kept.', { exact: false }).click();
    await page.keyboard.press('Shift+Tab');
    await expect(where()).resolves.toEqual({ text: 'Yes, sign out', frameFocused: true, outside: 'IFRAME' });
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'hidden' });
    await expect(where()).resolves.toEqual({ text: 'Sign out', frameFocused: true, outside: 'IFRAME' });
  });

  it('gives the focus, and the scanning highlight, back to "Sign out" when switch scanning or a dwell closes its question', async () => {
    // One switch: "Sign out", then "Stay"; scanning starts again on "Sign out" (not on her form, first in the cycle),
    // the focus with it.
    const scan = await assistedForms(w, { input: 'scan', scanMs: SCAN_MS, scanKey: 'Space' });
    await until(scan, 'her form listed', () => !!document.querySelector('.form-list a[data-scan]'));
    await scanSelect(scan, 'Sign out');
    await until(scan, 'the sign-out question', () => !!document.querySelector('dialog[open]'));
    await scanSelect(scan, 'Stay');
    // Page time stands still between `until`'s steps: nothing but the press moved the highlight.
    expect(await scan.evaluate(() => !!document.querySelector('dialog[open]'))).toBe(false);
    expect(await highlighted(scan)).toBe('Sign out');
    expect(await focusedText(scan)).toBe('Sign out');

    // Eye gaze gives "Sign out" no focus when it opens the question; closing the question puts the focus there.
    const dwell = await assistedForms(w, { input: 'dwell', dwellMs: DWELL_MS });
    await dwellSelect(dwell, dwell.getByRole('button', { name: 'Sign out', exact: true }), DWELL_MS);
    await until(dwell, 'the sign-out question', () => !!document.querySelector('dialog[open]'));
    await dwellSelect(dwell, dwell.getByRole('button', { name: 'Stay' }), DWELL_MS);
    await until(dwell, 'the sign-out question closed', () => !document.querySelector('dialog[open]'));
    expect(await focusedText(dwell)).toBe('Sign out');
  });

  it('shows a Spanish-speaking patient whose session ended without "Sign out" the page after it in Spanish', async () => {
    // Spanish from her EHR record; the browser is English and she chose no language.
    const page = await patientForms(w, 'Mis cuestionarios', SPANISH_PATIENT);
    // Her session expires.
    await w.t.app
      .get(DataSource)
      .query(`UPDATE app_session s SET expires_at = now() - interval '1 minute' FROM app_user u WHERE u.id = s.user_id AND u.fhir_user = $1`, [SPANISH_PATIENT]);
    w.t.app.get(SessionService).forgetAll();
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Abra la aplicación desde su historia clínica electrónica' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('es');
    expect((await page.locator('#main').textContent()) ?? '').not.toMatch(/service|Please|sign in/i);
    await expectAccessible(page, 'session ended, in Spanish');
  });

  it('shows a Spanish-speaking patient the page after signing out in Spanish, without the service’s words', async () => {
    // Her language comes from her EHR record (Patient.communication: Spanish), not from a choice she made.
    const page = await patientForms(w, 'Mis cuestionarios', SPANISH_PATIENT);
    await page.getByRole('button', { name: 'Cerrar sesión' }).click();
    const dialog = page.getByRole('dialog', { name: '¿Cerrar sesión ahora?' });
    await dialog.getByText('Las respuestas que ya guardó se conservan.', { exact: false }).waitFor();
    await dialog.getByRole('button', { name: 'Sí, cerrar sesión' }).click();
    await page.getByRole('heading', { level: 1, name: 'Ha cerrado la sesión' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('es');
    const text = (await page.locator('#main').textContent()) ?? '';
    expect(text).toMatch(/Las respuestas que ya guardó se conservan/);
    expect(text).not.toMatch(/service|Please|sign in/i);
    // A reload of the same page says the same.
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Ha cerrado la sesión' }).waitFor();
  });
});
