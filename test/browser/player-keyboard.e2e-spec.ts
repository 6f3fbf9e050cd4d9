import type { Page } from 'playwright-core';
import { describeInBrowser } from './support/chromium.js';
import { expectAccessible, screenshot } from './support/checks.js';
import { PHQ9_OPTIONS, focusedText, tabTo } from './support/player.js';
import { ehrLaunch, newPage, standaloneLaunch, startUi, type UiWorld } from './support/ui-app.js';

// The player and the patient's pages with Tab and Space (or Enter) only: what a person with two switches ("step
// scanning": one sends Tab, the other Space or Enter), or a keyboard user without arrow keys, has. Every answer and
// every setting is its own Tab stop; after the answers Tab reaches Next first; an arrow key moves focus and never
// changes an answer; every target is at least 64 px each way; "Sign out" asks first; the page after it is in the
// person's language and the app's words.

const PHQ9 = '/app/#/answer/phq-9?return=patient';
const PATIENT = 'Patient/sbx-pat-1';
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
  });
  afterAll(async () => w?.close());

  it('answers the whole PHQ-9 with Tab and Space or Enter, choosing answers that are not the first', async () => {
    const { page } = await newPage(w);
    await ehrLaunch(page, w);
    await page.goto(`${w.t.url}${PHQ9}`);
    await page.getByRole('heading', { name: /Who is answering/ }).waitFor();
    await page.waitForFunction(() => document.activeElement?.id === 'who-heading');
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
    const { page } = await newPage(w);
    await ehrLaunch(page, w);
    await page.goto(`${w.t.url}${PHQ9}`);
    await page.getByRole('radio', { name: 'A clinician reading the questions aloud' }).click();
    await page.getByRole('button', { name: 'Start' }).click();
    await onQuestion(page, 1);
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
    const { page } = await newPage(w);
    await ehrLaunch(page, w);
    await page.goto(`${w.t.url}${PHQ9}`);
    await page.getByRole('radio', { name: 'A clinician reading the questions aloud' }).click();
    await page.getByRole('button', { name: 'Start' }).click();
    await onQuestion(page, 1);
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
    const { page } = await newPage(w);
    await ehrLaunch(page, w);
    await page.goto(`${w.t.url}${PHQ9}`);
    await page.getByRole('radio', { name: 'A clinician reading the questions aloud' }).click();
    await page.getByRole('button', { name: 'Start' }).click();
    await onQuestion(page, 1);
    await page.getByRole('radio', { name: 'Several days' }).click();
    await page.getByRole('button', { name: 'Next' }).click();
    await onQuestion(page, 2);
    await page.getByRole('button', { name: 'Back' }).click();
    await onQuestion(page, 1);
    // Back on the answered question: arrows move the focus, the answer stays.
    // The chosen one's name ends in the ✓ its style adds.
    const radio = (name: string) => page.getByRole('radio', { name: new RegExp(`^${name}( ✓)?$`) });
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
    const { page } = await newPage(w);
    await ehrLaunch(page, w);
    await page.goto(`${w.t.url}${PHQ9}`);
    await page.waitForFunction(() => document.activeElement?.id === 'who-heading');
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
    const { page } = await newPage(w);
    await standaloneLaunch(page, w, 'patient', PATIENT, PATIENT);
    await page.getByRole('heading', { name: 'My questionnaires' }).waitFor();
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
    const { page } = await newPage(w);
    await standaloneLaunch(page, w, 'patient', PATIENT, PATIENT);
    await page.getByRole('heading', { name: 'My questionnaires' }).waitFor();
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

  it('shows a Spanish-speaking patient the page after signing out in Spanish, without the service’s words', async () => {
    const { page } = await newPage(w);
    // Her language comes from her EHR record (Patient.communication: Spanish), not from a choice she made.
    await standaloneLaunch(page, w, 'patient', 'Patient/sbx-pat-3', 'Patient/sbx-pat-3');
    await page.getByRole('heading', { name: 'Mis cuestionarios' }).waitFor();
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
