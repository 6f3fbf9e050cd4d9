import type { Locator, Page } from 'playwright-core';

// Driving switch scanning and dwell with a clock the test controls (Playwright's fake clock): time in the page
// moves only when the test says so, so the scanning highlight cannot move between "it rests on the target"
// and the press, however busy the machine is, and nothing waits on wall-clock time.

/** Installs the page's fake clock (before the app loads): time flows normally until `takeClock`. */
export async function installClock(page: Page): Promise<void> {
  await page.clock.install();
}

/** From here on, time in the page moves only in `until`'s small steps. */
export async function takeClock(page: Page): Promise<void> {
  await page.clock.pauseAt(Date.now() + 1000);
}

/**
 * Lets page time run in 100 ms steps until `state` holds in the page (effects, the player's auto-advance and
 * the scanning highlight all move on page time; the network answers in real time meanwhile).
 */
export async function until<A>(page: Page, what: string, state: (arg: A) => boolean, arg?: A): Promise<void> {
  for (let i = 0; i < 3000; i++) {
    // A page that is navigating (sign-out reloads it) has no state to read yet: look again after the step.
    if (await page.evaluate(state as (a: unknown) => boolean, arg as unknown).catch(() => false)) return;
    await page.clock.runFor(100);
  }
  throw new Error(`Never reached: ${what} (highlight on "${await highlighted(page)}")`);
}

/** What the scanning highlight rests on, as a person reads it: its label (a Change button's accessible name). */
export async function highlighted(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = document.querySelector<HTMLElement>('.scan-highlight');
    if (!el) return '';
    return (el.getAttribute('aria-label') ?? (el.closest('label') ?? el).textContent ?? '').replace(/\s+/g, ' ').trim();
  });
}

/**
 * The switch: lets the highlight step until it rests on the target, then presses the one key. The clock stands
 * still between the look and the press.
 */
export async function scanSelect(page: Page, target: string | RegExp, key = 'Space'): Promise<void> {
  const pattern = typeof target === 'string' ? `^${target.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$` : target.source;
  await until(
    page,
    `the highlight on ${String(target)}`,
    (p) => {
      const el = document.querySelector<HTMLElement>('.scan-highlight');
      const text = el ? (el.getAttribute('aria-label') ?? (el.closest('label') ?? el).textContent ?? '').replace(/\s+/g, ' ').trim() : '';
      return new RegExp(p).test(text);
    },
    pattern,
  );
  await page.keyboard.press(key);
}

/** The highlight's stops over `steps` scanning steps of `paceMs` (to see what the cycle reaches, and what it never does). */
export async function scanCycle(page: Page, steps: number, paceMs: number): Promise<string[]> {
  const seen: string[] = [];
  for (let i = 0; i < steps; i++) {
    seen.push(await highlighted(page));
    await page.clock.runFor(paceMs);
  }
  return seen;
}

/** Eye gaze: the pointer wanders off every target, then rests on this one for its dwell time (page time). */
export async function dwellSelect(page: Page, target: Locator, dwellMs: number): Promise<void> {
  await target.scrollIntoViewIfNeeded();
  await page.mouse.move(1270, 790);
  const box = await target.boundingBox();
  if (!box) throw new Error('The dwell target is not on screen');
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 4 });
  await page.clock.runFor(dwellMs + 200);
}

/** The player's progress line reads "Question n of …". */
export function onQuestion(page: Page, n: number): Promise<void> {
  return until(page, `question ${n}`, (k) => !!document.querySelector('#player-progress-text')?.textContent?.startsWith(`Question ${k} `), n);
}

/** A heading with this text is on screen. */
export function onHeading(page: Page, text: string): Promise<void> {
  return until(page, `the heading "${text}"`, (t) => [...document.querySelectorAll('h1, h2')].some((h) => h.textContent?.trim() === t), text);
}
