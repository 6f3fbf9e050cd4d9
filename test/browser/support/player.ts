import type { Page } from 'playwright-core';

// Reading the player's screen the way a person does: which question, which target is highlighted.

export const PHQ9_OPTIONS = ['Not at all', 'Several days', 'More than half the days', 'Nearly every day'];

/**
 * "Question 3 of 10" → 3; 0 when not on a question screen, or when no progress line shows within 5 s (on a busy
 * machine, wait for the question first).
 */
export async function questionNumber(page: Page): Promise<number> {
  const text = (await page.locator('#player-progress-text').textContent({ timeout: 5000 }).catch(() => null)) ?? '';
  return Number(/Question (\d+)/.exec(text)?.[1] ?? 0);
}

/** The heading of the current player screen (question text, "Check your answers", …). */
export async function screenHeading(page: Page): Promise<string> {
  return (await page.locator('.player h2').first().textContent())?.trim() ?? '';
}

/** The accessible text of the element that has focus. */
export async function focusedText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    const label = el?.closest('label');
    return (label ?? el)?.textContent?.trim() ?? '';
  });
}

/** Presses Tab until the focused element's text matches (keyboard only, as a person would). */
export async function tabTo(page: Page, name: RegExp, max = 15): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (name.test(await focusedText(page))) return;
  }
  throw new Error(`Tab never reached ${name}; focus is on "${await focusedText(page)}"`);
}
