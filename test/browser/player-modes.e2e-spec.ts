import type { Page } from 'playwright-core';
import { describeInBrowser } from './support/chromium.js';
import { expectAccessible, screenshot } from './support/checks.js';
import { questionNumber } from './support/player.js';
import { ehrLaunch, newPage, presetPlayer, startUi, type UiWorld } from './support/ui-app.js';

// The PHQ-9 answered as people with little or no hand movement do: one switch (a single key) while the
// highlight scans, or a pointer (eye gaze) resting on a choice. Then a half-done form survives a reload.
// Answers: item 1 "Several days", items 2–9 "Not at all" → total 1, minimal; so item 10 (difficulty) appears.

const PHQ9 = '/app/#/answer/phq-9?return=patient';
const choiceFor = (n: number) => (n === 1 ? 'Several days' : n === 10 ? 'Somewhat difficult' : 'Not at all');

async function openPhq9(w: UiWorld, settings?: Record<string, unknown>): Promise<Page> {
  const { page, context } = await newPage(w);
  if (settings) await presetPlayer(context, settings);
  await ehrLaunch(page, w);
  await page.goto(`${w.t.url}${PHQ9}`);
  await page.getByRole('heading', { name: /Who is answering/ }).waitFor();
  return page;
}

/** The switch: waits until the scanning highlight rests on the target, then presses the one key. */
async function selectByScan(page: Page, target: string): Promise<void> {
  await page.waitForFunction((t) => {
    const el = document.querySelector('.scan-highlight');
    return !!el && ((el.closest('label') ?? el).textContent ?? '').trim().startsWith(t);
  }, target, { timeout: 20_000 });
  await page.keyboard.press('Space');
}

/** Eye gaze: the pointer wanders off, then rests on the target until its dwell time selects it. */
async function selectByDwell(page: Page, target: string): Promise<void> {
  const el = page.locator('.player [data-dwell]', { hasText: target }).first();
  const box = (await el.boundingBox())!;
  await page.mouse.move(5, 5);
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 4 });
}

async function answerAll(page: Page, select: (page: Page, target: string) => Promise<void>): Promise<void> {
  await select(page, 'A clinician reading the questions aloud');
  for (let n = 1; n <= 10; n++) {
    await page.waitForFunction((k) => document.querySelector('#player-progress-text')?.textContent?.startsWith(`Question ${k} `), n, { timeout: 20_000 });
    await select(page, choiceFor(n));
  }
  await page.getByRole('heading', { name: 'Check your answers' }).waitFor();
  await select(page, 'Submit answers');
  await page.getByText(/total score.*: 1 — Minimal depression/).waitFor({ timeout: 20_000 });
}

describeInBrowser('questionnaire player: switch scanning, dwell, save and resume (browser)', () => {
  let w: UiWorld;
  beforeAll(async () => {
    w = await startUi();
  }, 60_000);
  afterAll(async () => w?.close());

  it('completes the PHQ-9 in switch-scanning mode with one key only', async () => {
    const page = await openPhq9(w, { input: 'scan', scanMs: 700, scanKey: 'Space' });
    await page.locator('.scan-highlight').first().waitFor();
    await screenshot(page, 'player-scanning');
    await answerAll(page, selectByScan);
  });

  it('completes the PHQ-9 in dwell mode with the pointer alone, showing dwell progress', async () => {
    const page = await openPhq9(w, { input: 'dwell', dwellMs: 800 });
    // Progress is visible while the pointer rests on a choice.
    const first = (await page.locator('.option', { hasText: 'A clinician reading' }).boundingBox())!;
    await page.mouse.move(first.x + 40, first.y + first.height / 2, { steps: 3 });
    await page.waitForFunction(() => Number(getComputedStyle(document.querySelector('.dwelling')!).getPropertyValue('--dwell')) > 0.2);
    await page.mouse.move(5, 5);
    await answerAll(page, selectByDwell);
  });

  it('saves a half-done form on the server; a reload resumes it, and it submits', async () => {
    const page = await openPhq9(w);
    await page.getByRole('radio', { name: 'A clinician reading the questions aloud' }).check();
    await page.getByRole('button', { name: 'Start' }).click();
    for (let n = 1; n <= 4; n++) {
      await page.getByRole('radio', { name: choiceFor(n) }).check();
      await page.getByRole('button', { name: 'Next' }).click();
      await page.waitForFunction((k) => document.querySelector('#player-progress-text')?.textContent?.startsWith(`Question ${k + 1} `), n);
    }
    await page.getByText(/Answers saved at/).waitFor();
    const draft = /response=([0-9a-f-]{36})/.exec(page.url())?.[1];
    expect(draft).toBeTruthy();
    await page.reload();
    await page.getByText('Question 5 of').waitFor();
    expect(await questionNumber(page)).toBe(5);
    await page.getByRole('button', { name: 'Back' }).click();
    expect(await page.getByRole('radio', { name: 'Not at all' }).isChecked()).toBe(true);
    await page.getByRole('button', { name: 'Save and finish later' }).click();
    await page.getByRole('heading', { name: 'The answers are saved' }).waitFor();
    await page.getByRole('link', { name: 'Continue' }).click();
    // The draft waits in the patient view; resuming it continues where the person stopped.
    await page.locator(`a[href*="response=${draft}"]`, { hasText: 'Resume' }).click();
    await page.getByText('Question 5 of').waitFor();
    await expectAccessible(page, 'player question');
    for (let n = 5; n <= 10; n++) {
      await page.getByRole('radio', { name: choiceFor(n) }).check();
      await page.getByRole('button', { name: n === 10 ? 'Review answers' : 'Next' }).click();
    }
    await page.getByRole('button', { name: 'Submit answers' }).click();
    await page.getByText(/total score.*: 1 — Minimal depression/).waitFor();
    await expectAccessible(page, 'player finished');
  });

  it('remembers large text and high contrast, and stays accessible with them', async () => {
    const page = await openPhq9(w, { textSize: 'large', contrast: 'high' });
    expect(await page.evaluate(() => [document.documentElement.dataset.textSize, document.documentElement.dataset.contrast])).toEqual(['large', 'high']);
    await page.getByRole('radio', { name: 'A clinician reading the questions aloud' }).check();
    await page.getByRole('button', { name: 'Start' }).click();
    await page.getByText('Question 1 of').waitFor();
    await expectAccessible(page, 'player, high contrast');
    await screenshot(page, 'player-high-contrast');
  });
});
