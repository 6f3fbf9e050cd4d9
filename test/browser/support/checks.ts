import { AxeBuilder } from '@axe-core/playwright';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';

/**
 * Every run takes its screenshots into test-results/screenshots (git-ignored); `UPDATE_SCREENSHOTS=1 npm test`
 * refreshes the README's own in docs/screenshots, so an ordinary test run leaves the work tree clean.
 */
export const SCREENSHOT_DIR = process.env.UPDATE_SCREENSHOTS
  ? join(process.cwd(), 'docs', 'screenshots')
  : join(process.cwd(), 'test-results', 'screenshots');

/**
 * axe-core against WCAG 2.0/2.1 A and AA: no serious or critical violation may remain.
 * Legacy mode runs axe in the page itself (its same-origin frames included, such as the report's iframe): the
 * default mode opens a new page for every check to merge the frames' results in, for cross-origin frames the app
 * never has, which was about half of each check's time. Only violations are worked out in detail (resultTypes):
 * passes and inapplicable rules, never read here, keep one example node each instead of every node's selector.
 */
export async function expectAccessible(page: Page, where: string): Promise<void> {
  const result = await new AxeBuilder({ page })
    .setLegacyMode()
    .options({ resultTypes: ['violations'] })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
    .analyze();
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const report = bad.map((v) => `${v.impact} ${v.id}: ${v.help}\n  ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('\n  ')}`).join('\n');
  expect({ where, violations: report }).toEqual({ where, violations: '' });
}

/** A 1280×800 PNG of the viewport (the page's top), small enough to commit. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: false });
}
