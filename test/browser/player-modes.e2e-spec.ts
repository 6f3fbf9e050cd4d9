import type { Page } from 'playwright-core';
import { describeInBrowser } from './support/chromium.js';
import { expectAccessible, screenshot } from './support/checks.js';
import { dwellSelect, installClock, onHeading, onQuestion, scanSelect, takeClock, until } from './support/assist.js';
import { questionNumber } from './support/player.js';
import { ehrLaunch, newPage, presetPlayer, startUi, type UiWorld } from './support/ui-app.js';

// The PHQ-9 answered as people with little or no hand movement do: one switch (a single key) while the
// highlight scans, or a pointer (eye gaze) resting on a choice. Then a half-done form survives a reload.
// Answers: item 1 "Several days", items 2–9 "Not at all" → total 1, minimal; so item 10 (difficulty) appears.
// Scanning and dwell run on the page's fake clock, moved by the test (support/assist.ts): no race with a busy machine.

const PHQ9 = '/app/#/answer/phq-9?return=patient';
const DWELL_MS = 800;
const choiceFor = (n: number) => (n === 1 ? 'Several days' : n === 10 ? 'Somewhat difficult' : 'Not at all');

/** Opens the PHQ-9 for the patient in context; in scan and dwell modes, on a clock the test moves. */
async function openPhq9(w: UiWorld, settings?: Record<string, unknown>): Promise<Page> {
  const { page, context } = await newPage(w);
  const assisted = settings?.input === 'scan' || settings?.input === 'dwell';
  if (settings) await presetPlayer(context, settings);
  if (assisted) await installClock(page);
  await ehrLaunch(page, w);
  await page.goto(`${w.t.url}${PHQ9}`);
  if (!assisted) {
    await page.getByRole('heading', { name: /Who is answering/ }).waitFor();
    return page;
  }
  await takeClock(page);
  await until(page, 'the first screen', () => !!document.querySelector('#who-heading'));
  return page;
}

const selectByScan = (page: Page, target: string) => scanSelect(page, new RegExp(`^${target}`));

/** Eye gaze: the pointer wanders off, then rests on the target until its dwell time selects it. */
const selectByDwell = (page: Page, target: string) => dwellSelect(page, page.locator('.player [data-dwell]', { hasText: target }).first(), DWELL_MS);

async function answerAll(page: Page, select: (page: Page, target: string) => Promise<void>): Promise<void> {
  await select(page, 'A clinician reading the questions aloud');
  for (let n = 1; n <= 10; n++) {
    await onQuestion(page, n);
    await select(page, choiceFor(n));
  }
  await onHeading(page, 'Check your answers');
  await select(page, 'Submit answers');
  await onHeading(page, 'Send your answers now?');
  await select(page, 'Yes, send my answers');
  await until(page, 'the score', () => /total score.*: 1 — Minimal depression/.test(document.body.textContent ?? ''));
}

describeInBrowser('questionnaire player: switch scanning, dwell, save and resume (browser)', () => {
  let w: UiWorld;
  beforeAll(async () => {
    w = await startUi();
  });
  afterAll(async () => w?.close());

  it('completes the PHQ-9 in switch-scanning mode with one key only', async () => {
    const page = await openPhq9(w, { input: 'scan', scanMs: 1000, scanKey: 'Space' });
    await until(page, 'the highlight', () => !!document.querySelector('.scan-highlight'));
    await screenshot(page, 'player-scanning');
    await answerAll(page, selectByScan);
  });

  it('completes the PHQ-9 in dwell mode with the pointer alone, showing dwell progress', async () => {
    const page = await openPhq9(w, { input: 'dwell', dwellMs: DWELL_MS });
    // Progress is visible while the pointer rests on a choice, and nothing is chosen before the dwell time.
    const first = (await page.locator('.option', { hasText: 'A clinician reading' }).boundingBox())!;
    await page.mouse.move(first.x + 40, first.y + first.height / 2, { steps: 3 });
    await page.clock.runFor(DWELL_MS / 2);
    const progress = await page.evaluate(() => Number(getComputedStyle(document.querySelector('.dwelling')!).getPropertyValue('--dwell')));
    expect(progress).toBeGreaterThan(0.2);
    expect(progress).toBeLessThan(1);
    expect(await page.getByRole('radio', { name: /A clinician reading/ }).isChecked()).toBe(false);
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
    await page.getByRole('heading', { name: 'Send your answers now?' }).waitFor();
    await expectAccessible(page, 'player confirmation');
    await page.getByRole('button', { name: 'Yes, send my answers' }).click();
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
