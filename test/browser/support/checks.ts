import type { AxeResults, RunOptions } from 'axe-core';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
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
 * axe-core, the copy @axe-core/playwright runs (its minified build: the same code, half the text to parse). Read once
 * per test file.
 */
const AXE_SOURCE = readFileSync(createRequire(createRequire(import.meta.url).resolve('@axe-core/playwright')).resolve('axe-core/axe.min.js'), 'utf8');
const AXE_OPTIONS: RunOptions = {
  runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
  resultTypes: ['violations'],
};

/**
 * axe-core against WCAG 2.0/2.1 A and AA: no serious or critical violation may remain.
 * Run as @axe-core/playwright's legacy mode runs it: axe in the page itself and in each of its same-origin frames (such
 * as the report's iframe), `axe.run` on the document from the top; the default mode opens a new page for every check
 * to merge the frames' results in, for cross-origin frames the app never has, which was about half of each check's
 * time. axe goes into a frame only when it is not there yet: the builder evaluated its 1.3 MB source twice in the page
 * at every check, about half of what was left (a page checked again after the app's own navigation still has it).
 * Only violations are worked out in detail (resultTypes): passes and inapplicable rules, never read here, keep one
 * example node each instead of every node's selector.
 */
export async function expectAccessible(page: Page, where: string): Promise<void> {
  for (const frame of page.frames()) {
    try {
      if (await frame.evaluate(() => typeof (window as { axe?: unknown }).axe === 'object')) continue;
      await frame.evaluate(`${AXE_SOURCE}\n;axe.configure({ allowedOrigins: ['<same_origin>'], branding: { application: 'playwright' } });`);
    } catch (err) {
      // As the builder did: a child frame that cannot take axe (gone, or navigating) is left out; the page cannot.
      if (frame === page.mainFrame()) throw err;
    }
  }
  const result = await page.evaluate((options) => (window as unknown as { axe: { run(c: Document, o: RunOptions): Promise<AxeResults> } }).axe.run(document, options), AXE_OPTIONS);
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const report = bad.map((v) => `${v.impact} ${v.id}: ${v.help}\n  ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('\n  ')}`).join('\n');
  expect({ where, violations: report }).toEqual({ where, violations: '' });
}

/** A 1280×800 PNG of the viewport (the page's top), small enough to commit. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: false });
}
