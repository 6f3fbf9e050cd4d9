import { jest } from '@jest/globals';
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

// Debian's Chromium driven by playwright-core (Playwright cannot download a browser here; see STACK.md).
// scripts/ensure-chromium.sh installs it before `npm test`. Without a browser the suites skip locally
// and FAIL in CI (CI=true), so a green CI always means the browser tests really ran.

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const browserAvailable = existsSync(CHROMIUM_PATH);
const inCi = /^(1|true|yes)$/i.test(process.env.CI ?? '');

/** `describe` when the browser exists; in CI without one, a suite whose only test fails and says why. */
export function describeInBrowser(name: string, body: () => void): void {
  // Tests and hooks (startUi included) alike: a deadline for a story of several screens on a 2-core machine whose
  // cores another process keeps busy, not a measurement. Every wait inside waits on a condition.
  jest.setTimeout(300_000);
  if (browserAvailable) return describe(name, body);
  if (inCi) {
    return describe(name, () => {
      it('needs Chromium', () => {
        throw new Error(`No browser at ${CHROMIUM_PATH}: run scripts/ensure-chromium.sh (apt-get install -y chromium) or set CHROMIUM_PATH.`);
      });
    });
  }
  describe.skip(`${name} (skipped: no browser at ${CHROMIUM_PATH})`, body);
}

/**
 * A group file (test/groups/plan.mjs: the browser suites a few to a jest file) calls this before it imports its
 * suites: they then share one Chromium, launched when the first asks for it and closed after the file's last
 * test. A suite run alone launches and closes its own. Each suite still has its own service and opens its own
 * browser contexts, which it closes when it ends, so no page, cookie or storage passes from one suite to the next.
 * Why: a launch costs about a second of CPU, and a browser group spares it for every suite but the first.
 */
export function shareChromium(): void {
  let launched: Promise<Browser> | undefined;
  shared = () => (launched ??= launchChromium());
  afterAll(async () => {
    shared = undefined;
    // A launch that failed was already reported by the suite that asked for it.
    const browser = await launched?.catch(() => undefined);
    await browser?.close();
  });
}

let shared: (() => Promise<Browser>) | undefined;

/** The browser of one suite: the group's shared Chromium (see shareChromium), or its own. `release` closes its own. */
export async function suiteChromium(): Promise<{ browser: Browser; release(): Promise<void> }> {
  if (shared) return { browser: await shared(), release: async () => {} };
  const browser = await launchChromium();
  return { browser, release: () => browser.close() };
}

/**
 * Headless, with the flags that keep Chromium off the closed network. Playwright gives every launch a new,
 * empty temporary user-data dir, so no state leaks between runs.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'],
  });
}
