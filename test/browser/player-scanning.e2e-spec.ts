import type { Page } from 'playwright-core';
import { describeInBrowser } from './support/chromium.js';
import { screenshot } from './support/checks.js';
import { dwellSelect, highlighted, installClock, onQuestion, scanCycle, scanSelect, takeClock, until } from './support/assist.js';
import { ehrLaunch, newPage, presetPlayer, startUi, type UiWorld } from './support/ui-app.js';

// A reviewer's findings on the player as switch and eye-gaze users meet it: the highlight on a tile just chosen,
// the header's "Sign out", the switch key chosen while scanning runs, the chosen tile's accessible name, the bar's
// settings button, and links in running text. Scanning and dwell run on the page's fake clock (support/assist.ts).

const PHQ9 = '/app/#/answer/phq-9?return=patient';
const PACE = 1000;
const DWELL_MS = 800;
const SETTINGS_KEY = 'als-wellness.player-settings';

async function openPhq9(w: UiWorld, settings?: Record<string, unknown>): Promise<Page> {
  const { page, context } = await newPage(w);
  const assisted = settings?.input === 'scan' || settings?.input === 'dwell';
  if (settings) await presetPlayer(context, settings);
  if (assisted) await installClock(page);
  await ehrLaunch(page, w);
  await page.goto(`${w.t.url}${PHQ9}`);
  if (assisted) {
    await takeClock(page);
    await until(page, 'the first screen', () => !!document.querySelector('#who-heading'));
  } else await page.getByRole('heading', { name: /Who is answering/ }).waitFor();
  return page;
}

/** Whether the highlighted target is a chosen tile (aria-checked), read in the same turn as the highlight. */
const highlightOnChosen = (page: Page) => page.evaluate(() => document.querySelector('.scan-highlight')?.getAttribute('aria-checked') === 'true');

async function startAsClinician(page: Page): Promise<void> {
  await page.getByRole('radio', { name: 'A clinician reading the questions aloud' }).click();
  await page.getByRole('button', { name: 'Start' }).click();
  await page.getByText('Question 1 of').waitFor();
}

describeInBrowser('questionnaire player: what switch and gaze users met (browser)', () => {
  let w: UiWorld;
  beforeAll(async () => {
    w = await startUi();
  });
  afterAll(async () => w?.close());

  it('keeps the highlight on the tile the switch has just chosen; choosing the chosen one again goes on as the first choice did', async () => {
    const page = await openPhq9(w, { input: 'scan', scanMs: PACE });
    await scanSelect(page, /^A clinician reading/);
    // The tile re-rendered as chosen (its class rewritten) and the highlight is still on it, at once.
    expect(await highlightOnChosen(page)).toBe(true);
    expect(await highlighted(page)).toMatch(/^A clinician reading/);
    await onQuestion(page, 1);
    await scanSelect(page, 'Several days');
    expect(await highlightOnChosen(page)).toBe(true);
    expect(await highlighted(page)).toBe('Several days');
    await onQuestion(page, 2);
    await scanSelect(page, 'Back');
    await onQuestion(page, 1);
    // The answer given, chosen again: kept, saved and on to the next question, as a first choice.
    await scanSelect(page, 'Several days');
    expect(await highlighted(page)).toBe('Several days');
    await onQuestion(page, 2);
    await scanSelect(page, 'Back');
    await onQuestion(page, 1);
    expect(await page.locator('.options [role="radio"][aria-checked="true"]').allTextContents()).toEqual(['Several days']);
  });

  it('reaches the header’s "Sign out" by switch scanning on the player; after "Stay" the highlight goes on from it', async () => {
    const page = await openPhq9(w, { input: 'scan', scanMs: PACE });
    expect(await scanCycle(page, 12, PACE)).toContain('Sign out');
    await scanSelect(page, 'Sign out');
    await until(page, 'the sign-out question', () => !!document.querySelector('dialog[open]'));
    await scanSelect(page, 'Stay');
    await until(page, 'the question closed', () => !document.querySelector('dialog[open]'));
    expect(await highlighted(page)).toBe('Sign out');
    await scanSelect(page, /^A clinician reading/);
    await onQuestion(page, 1);
  });

  it('reaches the header’s "Sign out" by dwell on the player; the gaze that chose "Stay" chooses nothing behind it', async () => {
    const page = await openPhq9(w, { input: 'dwell', dwellMs: DWELL_MS });
    await dwellSelect(page, page.getByRole('button', { name: 'Sign out' }), DWELL_MS);
    await until(page, 'the sign-out question', () => !!document.querySelector('dialog[open]'));
    const stay = await page.getByRole('button', { name: 'Stay' }).boundingBox();
    await dwellSelect(page, page.getByRole('button', { name: 'Stay' }), DWELL_MS);
    await until(page, 'the question closed', () => !document.querySelector('dialog[open]'));
    // The gaze stays where "Stay" was, trembling, for twice the dwell time: what lies there now is not chosen.
    const x = stay!.x + stay!.width / 2;
    const y = stay!.y + stay!.height / 2;
    for (let i = 0; i < 8; i++) {
      await page.mouse.move(x + (i % 2 ? 2 : -2), y + (i % 3) - 1);
      await page.clock.runFor(DWELL_MS / 4);
    }
    expect(await page.locator('#who-heading').isVisible()).toBe(true);
    expect(await page.evaluate(() => [...document.querySelectorAll('[role="radio"][aria-checked="true"]')].filter((r) => !r.closest('#player-settings')).length)).toBe(0);
  });

  it('takes the next key as the switch after "Use another key", wherever the scanning highlight has moved the focus', async () => {
    const page = await openPhq9(w, { input: 'scan', scanMs: PACE });
    await page.getByRole('button', { name: 'Display and input settings' }).click();
    await page.getByRole('button', { name: 'Use another key' }).waitFor();
    // The display settings are scanned; "Use another key" is not (a switch user has no other key to give it).
    const stops = await scanCycle(page, 16, PACE);
    expect(stops).toContain('Large');
    expect(stops).not.toContain('Use another key');
    // A helper sets it up with a keyboard while the highlight goes on stepping (and taking the focus along).
    await page.getByRole('button', { name: 'Use another key' }).click();
    await page.getByRole('button', { name: 'Press the key to use now…' }).waitFor();
    await page.clock.runFor(PACE * 2);
    expect(await page.evaluate(() => document.activeElement?.textContent)).not.toBe('Press the key to use now…');
    await page.keyboard.press('F8');
    await until(page, 'F8 as the switch', (key) => JSON.parse(localStorage.getItem(key) ?? '{}').scanKey === 'F8', SETTINGS_KEY);
    await page.getByText('Switch key: F8').waitFor();
    // The new key is the switch from now on, and the key that was the switch can be chosen back.
    await scanSelect(page, /^A clinician reading/, 'F8');
    await onQuestion(page, 1);
    await page.getByRole('button', { name: 'Use another key' }).click();
    await page.keyboard.press('Space');
    await until(page, 'Space as the switch again', (key) => JSON.parse(localStorage.getItem(key) ?? '{}').scanKey === 'Space', SETTINGS_KEY);
    await onQuestion(page, 1);
  });

  it('stops listening for a new switch key when its prompt goes (panel closed, or scanning turned off)', async () => {
    const page = await openPhq9(w, { input: 'scan', scanMs: PACE });
    const settings = page.getByRole('button', { name: 'Display and input settings' });
    const saved = () => page.evaluate((key) => JSON.parse(localStorage.getItem(key) ?? '{}').scanKey as string | undefined, SETTINGS_KEY);
    // Asked for a key, then the panel closed: the next key is no one's switch.
    await settings.click();
    await page.getByRole('button', { name: 'Use another key' }).click();
    await page.getByRole('button', { name: 'Press the key to use now…' }).waitFor();
    await settings.click();
    await page.keyboard.press('KeyQ');
    expect(await saved()).not.toBe('KeyQ');
    // Asked for a key, then scanning turned off (the prompt disappears with it): a later key is not taken either,
    // and a modifier pressed while the prompt shows is not a switch.
    await settings.click();
    await page.getByRole('button', { name: 'Use another key' }).click();
    await page.keyboard.press('Shift');
    await page.getByRole('button', { name: 'Press the key to use now…' }).waitFor();
    await page.getByRole('radio', { name: 'Touch, mouse or keyboard' }).click();
    await page.keyboard.press('KeyX');
    expect(await saved()).not.toBe('KeyX');
    expect(await saved()).not.toBe('ShiftLeft');
  });

  it('names a chosen answer by its words alone: the ✓ is shown, not read', async () => {
    const page = await openPhq9(w);
    await startAsClinician(page);
    await page.getByRole('radio', { name: 'Several days' }).click();
    expect(await page.getByRole('radio', { name: 'Several days', exact: true, checked: true }).count()).toBe(1);
    // Chromium's own accessibility tree agrees.
    const cdp = await page.context().newCDPSession(page);
    const { nodes } = await cdp.send('Accessibility.getFullAXTree');
    const chosen = nodes.filter((n) => n.role?.value === 'radio' && n.properties?.some((p) => p.name === 'checked' && p.value.value === 'true'));
    expect(chosen.map((n) => n.name?.value)).toEqual(['Several days']);
    // Still shown on screen.
    const mark = await page.getByRole('radio', { name: 'Several days' }).locator('.option-label').evaluate((el) => getComputedStyle(el, '::after').content);
    expect(mark).toContain('✓');
  });

  it('keeps the settings button at the start of its row, as on the forms list, with or without a save status', async () => {
    const page = await openPhq9(w);
    await startAsClinician(page);
    // Where on the page (not in the window: going on to the next question may scroll it).
    const place = (selector: string) =>
      page.locator(selector).evaluate((el) => {
        const r = el.getBoundingClientRect();
        return { x: r.x + scrollX, y: r.y + scrollY, width: r.width, height: r.height };
      });
    const settings = '.player-bar .settings > button';
    expect(await page.locator('.save-status').textContent()).toBe('');
    const before = await place(settings);
    // Not floating mid-row between an empty status and the language buttons.
    expect(Math.abs(before.x - (await place('.player-bar')).x)).toBeLessThanOrEqual(1);
    await screenshot(page, 'player-bar-no-status');
    await page.getByRole('radio', { name: 'Several days' }).click();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByText(/Answers saved at/).waitFor();
    await screenshot(page, 'player-bar-saved');
    expect(await place(settings)).toEqual(before);
  });

  it('keeps a link in running text inline on a patient page (no 64 px box), a comfortable target still', async () => {
    const page = await openPhq9(w);
    // The player's main is a large-targets page for anyone; a sentence with a link in it, as a clinic's text may have.
    const sizes = await page.evaluate(() => {
      const main = document.querySelector('main.large-targets')!;
      const plain = document.createElement('p');
      plain.textContent = 'Read the guide here.';
      const linked = document.createElement('p');
      linked.innerHTML = 'Read the <a href="#guide">guide</a> here.';
      main.append(plain, linked);
      const a = linked.querySelector('a')!;
      const rects = a.getClientRects();
      return { display: getComputedStyle(a).display, plain: plain.getBoundingClientRect().height, linked: linked.getBoundingClientRect().height, lines: rects.length, target: rects[0].height };
    });
    expect(sizes.display).toBe('inline');
    expect(sizes.lines).toBe(1);
    expect(sizes.linked).toBeLessThan(64);
    expect(sizes.linked).toBeLessThan(sizes.plain * 1.5);
    // Above WCAG 2.5.8's 24 px, which exempts links in a sentence.
    expect(sizes.target).toBeGreaterThanOrEqual(30);
    // A link made a control (class button) keeps its 64 px.
    const button = await page.evaluate(() => {
      const p = document.createElement('p');
      p.innerHTML = '<a class="button primary" href="#next">Next</a>';
      document.querySelector('main.large-targets')!.append(p);
      return p.querySelector('a')!.getBoundingClientRect().height;
    });
    expect(button).toBeGreaterThanOrEqual(64);
  });
});
