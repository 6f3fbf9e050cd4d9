import type { Page } from 'playwright-core';
import request from 'supertest';
import { sandboxIssuer } from '../../src/sandbox/sandbox-registration.js';
import { MSC } from '../programs-support/course.js';
import { signIn } from '../support/sign-in.js';
import { describeInBrowser } from './support/chromium.js';
import { expectAccessible, screenshot } from './support/checks.js';
import { ehrLaunch, grantRole, newPage, standaloneLaunch, startUi, type UiWorld } from './support/ui-app.js';

// The right patient, the right role, on screen: the admin gives the nurse coordinator her role before she ever
// signed in, picking her from the EHR's practitioners; her worklist names every patient (never an id); launched
// from one patient's chart, she sees only that patient under its banner.

describeInBrowser('the right patient and the right role (browser)', () => {
  let w: UiWorld;
  let admin: Page;
  beforeAll(async () => {
    w = await startUi();
    await grantRole(w, 'Practitioner/sbx-prac-3', 'admin', 'Dr Alex Demo');
    // A patient who has signed in (from her portal) is a user too.
    await grantRole(w, 'Patient/sbx-pat-1', 'patient', 'Avery Sample');
    // Referrals already in the queue: two of the EHR's patients and one the EHR has no record of.
    const referrer = await signIn(w.t.app, { role: 'coordinator', issuer: sandboxIssuer(w.t.url) });
    for (const patientId of ['sbx-pat-1', 'sbx-pat-2', 'sbx-gone-9']) {
      await request(w.t.app.getHttpServer()).post('/api/referrals').set('Cookie', referrer.cookie).set('X-CSRF-Token', referrer.csrf)
        .send({ patientId, program: MSC, reason: 'Low mood since diagnosis' }).expect(201);
    }
    admin = (await newPage(w)).page;
    await standaloneLaunch(admin, w, 'admin', 'Practitioner/sbx-prac-3');
  });
  afterAll(async () => w?.close());

  it("the admin finds the coordinator among the EHR's practitioners and gives her a role before her first sign-in", async () => {
    await admin.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users and roles' }).click();
    await admin.getByLabel("Practitioner's name").fill('mock');
    await admin.getByRole('button', { name: 'Search practitioners' }).click();
    await admin.getByRole('radio', { name: /Robin Mockwell, Nurse coordinator/ }).check();
    await admin.getByLabel('Role', { exact: true }).selectOption('coordinator');
    await admin.getByRole('button', { name: 'Give role to Robin Mockwell' }).click();
    await admin.getByText('Robin Mockwell will be coordinator from their first sign-in.').waitFor();
    const row = admin.getByRole('row', { name: /Robin Mockwell/ });
    await row.getByText('Not signed in yet').waitFor();
    // A practitioner is offered the staff roles only (the service refuses patient and caregiver for one with 400);
    // a patient's role is her EHR record's, not offered for change.
    const options = await row.getByLabel('Role of Robin Mockwell').locator('option').allTextContents();
    expect(options).toEqual(['Clinician', 'Coordinator', 'Quality', 'Admin']);
    const patient = admin.getByRole('row', { name: /Avery Sample/ });
    await patient.getByText('Patient (from their EHR record; not changed here)').waitFor();
    expect(await patient.locator('select, button').count()).toBe(0);
    // The admin's own role is not offered for change.
    await admin.getByRole('row', { name: /Dr Alex Demo \(you\)/ }).getByText(/another admin can change your own role/).waitFor();
    await expectAccessible(admin, 'users, role before first sign-in');
    await screenshot(admin, 'admin-users-pending-role');
  });

  it('her first sign-in picks the role up; her worklist names every patient, never an id', async () => {
    const coordinator = (await newPage(w)).page;
    await standaloneLaunch(coordinator, w, 'coordinator', 'Practitioner/sbx-prac-2');
    await coordinator.locator('.app-header .role').getByText('coordinator').waitFor();
    await coordinator.getByRole('heading', { level: 1, name: 'Referrals' }).waitFor();
    await coordinator.getByRole('article', { name: /Avery Sample/ }).waitFor();
    await coordinator.getByRole('article', { name: /Jordan Placeholder/ }).waitFor();
    await coordinator.getByRole('article', { name: /Name unavailable \(the EHR has no record of this patient\)/ }).waitFor();
    await expect(coordinator.locator('.patient-name.loading').count()).resolves.toBe(0);
    const text = await coordinator.locator('main').innerText();
    expect(text).not.toMatch(/sbx-|Patient\//);
    await expectAccessible(coordinator, 'worklist with names');

    // Accepted while the program has no cohort at all: the card says so (not "no free seat") and where to open one.
    const card = coordinator.getByRole('article', { name: /Jordan Placeholder/ });
    for (const box of await card.getByRole('checkbox').all()) await box.check();
    await card.getByRole('button', { name: 'Save screening' }).click();
    await card.getByRole('button', { name: 'Accept' }).click();
    await coordinator.getByRole('heading', { name: /Accepted \(1\)/ }).waitFor();
    const accepted = coordinator.getByRole('article', { name: /Jordan Placeholder/ });
    await accepted.getByText('This program has no cohort yet. Open one under Cohorts and sessions (New cohort), then enrol here.').waitFor();
    expect(await accepted.innerText()).not.toMatch(/free seat/);
    await accepted.getByRole('link', { name: 'Cohorts and sessions' }).click();
    await coordinator.getByRole('heading', { name: 'New cohort' }).waitFor();
  });

  it('a caregiver who picks another patient at sign-in gets a page in plain words, in her browser\'s language, not JSON', async () => {
    for (const [locale, heading] of [
      ['en-US', 'You can open only the record of the person you care for'],
      ['es-ES', 'Solo puede abrir el expediente de la persona que cuida'],
    ]) {
      const context = await w.browser.newContext({ locale, baseURL: w.t.url, reducedMotion: 'reduce' });
      const page = await context.newPage();
      page.setDefaultTimeout(60_000);
      await page.goto(`${w.t.url}/smart/launch?iss=${encodeURIComponent(sandboxIssuer(w.t.url))}&workflow=caregiver`);
      await page.locator('select[name="user"]').selectOption('RelatedPerson/sbx-rp-1');
      await page.locator('select[name="patient"]').selectOption('Patient/sbx-pat-3');
      await page.getByRole('button', { name: 'Approve' }).click();
      await page.getByRole('heading', { level: 1, name: heading }).waitFor();
      expect(await page.locator('body').innerText()).not.toMatch(/OperationOutcome|resourceType|[{}]|sbx-/);
      await expectAccessible(page, `refused caregiver sign-in (${locale})`);
      if (locale === 'en-US') await screenshot(page, 'caregiver-other-patient-refused');
    }
  });

  it('launched from one patient\'s chart, she sees only that patient under its banner', async () => {
    const coordinator = (await newPage(w)).page;
    await ehrLaunch(coordinator, w, 'Practitioner/sbx-prac-2', 'Patient/sbx-pat-1');
    await coordinator.getByRole('region', { name: 'Patient' }).getByText('Avery Sample').waitFor();
    await coordinator.goto(`${w.t.url}/app/#/worklist`);
    await coordinator.getByRole('heading', { level: 1, name: 'Referrals — Avery Sample' }).waitFor();
    await coordinator.getByRole('article', { name: /Avery Sample/ }).waitFor();
    expect(await coordinator.getByRole('article').count()).toBe(1);
    await coordinator.getByText(/only their referrals are shown/).waitFor();
    await expectAccessible(coordinator, 'worklist in patient context');

    // Her view of the patient shows what a coordinator may see, and asks for nothing her role may not read.
    const refused: string[] = [];
    coordinator.on('response', (r) => {
      if (r.url().includes('/api/') && r.status() >= 400) refused.push(`${r.status()} ${new URL(r.url()).pathname}`);
    });
    await coordinator.goto(`${w.t.url}/app/#/patient`);
    await coordinator.getByRole('heading', { level: 1, name: 'Wellness program — Avery Sample' }).waitFor();
    await coordinator.getByRole('heading', { name: 'Questionnaires' }).waitFor();
    await coordinator.getByText(/Answers and score history are shown to the patient's clinicians/).waitFor();
    await coordinator.getByRole('heading', { name: 'Program status' }).waitFor();
    await coordinator.waitForFunction(() => !document.querySelector('main .loading'));
    expect(await coordinator.locator('.error-summary').allInnerTexts()).toEqual([]);
    expect(await coordinator.getByLabel('Start another questionnaire').count()).toBe(0);
    expect(refused).toEqual([]);
    await expectAccessible(coordinator, "coordinator's view of the patient in context");

    for (const screen of ['patient/sbx-pat-2', 'cohorts', 'problems']) {
      await coordinator.goto(`${w.t.url}/app/#/${screen}`);
      await coordinator.getByRole('heading', { level: 1, name: 'Only Avery Sample is shown here' }).waitFor();
      expect(await coordinator.locator('main').innerText()).not.toMatch(/Jordan|Placeholder|sbx-pat-2/);
    }
    await expectAccessible(coordinator, 'another patient under the banner');
    await screenshot(coordinator, 'coordinator-only-patient-in-context');
  });
});
