import { Logger } from '@nestjs/common';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Role } from '../../../src/common/auth/roles.js';
import { sandboxIssuer } from '../../../src/sandbox/sandbox-registration.js';
import { RegistryService } from '../../../src/smart/registry/registry.service.js';
import { UsersService } from '../../../src/smart/users/users.service.js';
import { createTestApp, type TestApp } from '../../support/test-app.js';
import { suiteChromium } from './chromium.js';

// One service (with the sandbox EHR on the same origin) per suite, and a browser: the suite's own, or the one its
// group file shares (support/chromium.ts, shareChromium). Each person in a story gets a browser context of their
// own, as if on their own computer; the suite closes its contexts when it ends.

export interface UiWorld {
  t: TestApp;
  browser: Browser;
  close(): Promise<void>;
}

export async function startUi(): Promise<UiWorld> {
  if (!existsSync(join(process.cwd(), 'smart-launch', 'dist', 'index.html'))) {
    throw new Error('The browser app is not built: run `npm run build:ui` (npm test does it).');
  }
  // The write-back worker runs, as in production (UI_TEST_LOG=warn shows the service's log).
  const t = await createTestApp({
    listen: true,
    http: { logLevel: (process.env.UI_TEST_LOG ?? 'silent') as 'silent' },
  });
  if (process.env.UI_TEST_LOG) Logger.overrideLogger(['error', 'warn']);
  const { browser, release } = await suiteChromium();
  return {
    t,
    browser,
    async close() {
      // Suites run one after another, so every context still open is this suite's (a shared browser outlives it).
      try {
        await Promise.all(browser.contexts().map((c) => c.close()));
      } finally {
        // A crashed browser must not leave this suite's service running.
        try {
          await release();
        } finally {
          await t.close();
        }
      }
    },
  };
}

export async function newPage(w: UiWorld): Promise<{ context: BrowserContext; page: Page }> {
  const context = await w.browser.newContext({ viewport: { width: 1280, height: 800 }, baseURL: w.t.url, reducedMotion: 'reduce' });
  const page = await context.newPage();
  // Every wait is on a condition (a heading, a text); this only bounds one that never comes, even on a busy machine.
  page.setDefaultTimeout(60_000);
  return { context, page };
}

/** The sandbox launcher's EHR launch: the app opens signed in, with the patient in context. */
export async function ehrLaunch(page: Page, w: UiWorld, user = 'Practitioner/sbx-prac-1', patient = 'Patient/sbx-pat-1'): Promise<void> {
  await page.goto(`${w.t.url}/sandbox/launch?user=${encodeURIComponent(user)}&patient=${encodeURIComponent(patient)}`);
  await page.waitForURL(/\/app\/(#.*)?$/);
  await page.locator('.app-header').waitFor();
}

/** Standalone launch through the sandbox's sign-in page, choosing the user there as a person would. */
export async function standaloneLaunch(page: Page, w: UiWorld, workflow: string, user: string, patient?: string): Promise<void> {
  await page.goto(`${w.t.url}/smart/launch?iss=${encodeURIComponent(sandboxIssuer(w.t.url))}&workflow=${workflow}`);
  await page.locator('select[name="user"]').selectOption(user);
  if (patient) await page.locator('select[name="patient"]').selectOption(patient);
  await page.getByRole('button', { name: 'Approve' }).click();
  await page.waitForURL(/\/app\/(#.*)?$/);
  await page.locator('.app-header').waitFor();
}

/** Gives a sandbox user an app role before they sign in (what an admin does on the Users screen). */
export async function grantRole(w: UiWorld, fhirUser: string, role: Role, name = 'Synthetic user'): Promise<void> {
  const registration = await w.t.app.get(RegistryService).findEnabledByIssuer(sandboxIssuer(w.t.url));
  const users = w.t.app.get(UsersService);
  const user = await users.signIn(registration!, { type: fhirUser.split('/')[0] as 'Practitioner', reference: fhirUser }, name);
  if (user.role !== role) await users.setRole(user.id, role, { actor: 'test', actorRole: 'admin' });
}

/** The sandbox's launcher page, used as a person would: choose user and patient, press "Launch app". */
export async function launchFromLauncher(page: Page, w: UiWorld, user: string, patient: string): Promise<void> {
  await page.goto(`${w.t.url}/sandbox`);
  await page.getByLabel('Signed-in user').selectOption(user);
  await page.getByLabel('Patient in context').selectOption(patient);
  await page.getByRole('button', { name: 'Launch app' }).click();
  await page.waitForURL(/\/app\/(#.*)?$/);
  await page.locator('.app-header').waitFor();
}

/** Player settings as a person leaves them in this browser (localStorage), before the app loads. */
export async function presetPlayer(context: BrowserContext, settings: Record<string, unknown>): Promise<void> {
  await context.addInitScript((s) => localStorage.setItem('als-wellness.player-settings', JSON.stringify(s)), settings);
}
