import type { Page } from 'playwright-core';
import { sandboxIssuer } from '../../src/sandbox/sandbox-registration.js';
import { describeInBrowser } from './support/chromium.js';
import { expectAccessible, screenshot } from './support/checks.js';
import { grantRole, newPage, standaloneLaunch, startUi, type UiWorld } from './support/ui-app.js';

// Standalone launches: an admin walks every administration screen and gives the quality lead her role;
// the quality lead opens the outcome report; a patient sees her own forms.

describeInBrowser('admin, quality and patient screens (browser)', () => {
  let w: UiWorld;
  let admin: Page;
  beforeAll(async () => {
    w = await startUi();
    await grantRole(w, 'Practitioner/sbx-prac-3', 'admin', 'Dr Alex Demo');
    // The quality lead signed in once before, as a clinician (what every Practitioner starts as).
    await grantRole(w, 'Practitioner/sbx-prac-5', 'clinician', 'Jamie Dummy');
    admin = (await newPage(w)).page;
    await standaloneLaunch(admin, w, 'admin', 'Practitioner/sbx-prac-3');
  });
  afterAll(async () => w?.close());

  const screens: [string, string, RegExp, string][] = [
    ['EHRs', 'EHR registrations', /Sandbox EHR/, 'admin-registrations'],
    ['Programs', 'Program catalogue', /Mindful Self-Compassion/, 'admin-programs'],
    ['Questionnaires', 'Questionnaire library', /PHQ-9/, 'admin-questionnaires'],
    ['Write-back queue', 'Write-back queue', /Show/, 'admin-outbox'],
    ['Audit log', 'Audit log', /smart\.signin/, 'admin-audit'],
  ];
  it.each(screens)('the admin opens %s', async (link, heading, content, shot) => {
    await admin.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: link, exact: true }).click();
    await admin.getByRole('heading', { level: 1, name: heading }).waitFor();
    await admin.locator('main').getByText(content).first().waitFor();
    await expectAccessible(admin, heading);
    await screenshot(admin, shot);
  });

  it("the admin checks the sandbox EHR's connection: every step, and how write-backs will be delivered", async () => {
    await admin.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'EHRs', exact: true }).click();
    await admin.getByRole('heading', { level: 1, name: 'EHR registrations' }).waitFor();
    const sandbox = admin.getByRole('article', { name: /Sandbox EHR/ });
    await sandbox.getByRole('button', { name: /^Check connection to Sandbox EHR/ }).click();
    const result = sandbox.getByRole('status').filter({ hasText: 'Connection check' });
    await result.getByRole('heading', { name: /Connection check passed/ }).waitFor();
    // Each step with a word, not colour alone; the sandbox serves no Bundle/$validate, so the dry run is skipped.
    const steps = (await result.getByRole('listitem').allInnerTexts()).map((s) => s.replace(/^\W*/, '').split(':')[0]);
    expect(steps).toEqual(
      expect.arrayContaining(['Passed Find the token endpoint', 'Passed Get a system token', 'Passed Read the CapabilityStatement', 'Skipped Validate a sample write-back (dry run)']),
    );
    expect(steps.every((s) => /^(Passed|Skipped) /.test(s))).toBe(true);
    await result.getByText('one transaction', { exact: true }).waitFor();
    expect(await result.getByRole('definition').nth(2).innerText()).toBe('yes'); // conditional writes
    await expectAccessible(admin, 'registration check');
  });

  it("the admin registers a second EHR, names where its write-backs go, and the check names the step that fails", async () => {
    const form = admin.getByRole('form', { name: 'Register an EHR' });
    await form.getByLabel('FHIR base URL (iss)').fill('https://ehr.clinic.test/fhir');
    await form.getByLabel('Name').fill('Clinic EHR');
    await form.getByLabel('Client id').fill('als-wellness');
    await form.getByRole('button', { name: 'Register' }).click();
    const clinic = admin.getByRole('article', { name: /Clinic EHR/ });
    await clinic.getByText('The issuer', { exact: true }).waitFor();

    await clinic.getByRole('button', { name: /^Edit write-back settings of Clinic EHR/ }).click();
    const settings = clinic.getByRole('form', { name: /Write-back settings of Clinic EHR/ });
    const save = settings.getByRole('button', { name: /^Save write-back settings/ });
    await settings.getByLabel('FHIR base for write-back').fill(sandboxIssuer(w.t.url));
    await settings.getByLabel('Backend-services client id').fill('not-a-client-of-this-ehr');
    await settings.getByLabel('Largest Bundle (entries)').fill('eight');
    await save.click();
    await settings.getByText('Enter a whole number of entries, or leave it empty for no limit.').waitFor();
    await settings.getByLabel('Largest Bundle (entries)').fill('8');
    // A scope with a character the service refuses: its 400 is shown at the field.
    const scopes = settings.getByLabel('System scopes');
    await scopes.fill('system/Task.cru système/Provenance.cr');
    await save.click();
    await settings.getByRole('alert').getByText(/systemScopes: must be space-separated scopes/).waitFor();
    expect(await scopes.getAttribute('aria-invalid')).toBe('true');
    await expectAccessible(admin, 'write-back settings with errors');
    await scopes.fill('system/Task.cru system/Provenance.cr');
    await save.click();
    await settings.getByText(/Write-back settings of Clinic EHR saved/).waitFor();
    await clinic.getByText('at most 8 entries a Bundle').waitFor();
    await clinic.getByText(/client not-a-client-of-this-ehr/).waitFor();

    await clinic.getByRole('button', { name: /^Check connection to Clinic EHR/ }).click();
    const result = clinic.getByRole('status').filter({ hasText: 'Connection check' });
    await result.getByRole('heading', { name: /Connection check failed at “Get a system token”/ }).waitFor();
    await result.getByText(/The token endpoint refused our client \(HTTP 401/).first().waitFor();
    const steps = (await result.getByRole('listitem').allInnerTexts()).map((s) => s.replace(/^\W*/, '').split(':')[0]);
    expect(steps).toEqual(['Passed Find the token endpoint', 'Failed Get a system token']);
    await expectAccessible(admin, 'failed registration check');
    await result.scrollIntoViewIfNeeded();
    await screenshot(admin, 'admin-registration-check');

    // Not needed for the rest of the story.
    await clinic.getByRole('button', { name: /^Disable Clinic EHR/ }).click();
    await clinic.getByText('Disabled', { exact: true }).waitFor();
  });

  it('the admin previews a questionnaire in the player', async () => {
    await admin.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Questionnaires' }).click();
    await admin.getByRole('link', { name: /Preview Generalized Anxiety Disorder-7/ }).click();
    await admin.getByText('Preview: nothing is saved or sent.').waitFor();
    await admin.getByRole('heading', { name: /Who is answering/ }).waitFor();
    await expectAccessible(admin, 'preview');
  });

  it('the admin makes the quality lead a quality user, who then opens the outcome report', async () => {
    await admin.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users and roles' }).click();
    await admin.getByLabel('Role of Jamie Dummy').selectOption('quality');
    await admin.getByRole('button', { name: 'Save role of Jamie Dummy' }).click();
    await admin.getByText('Role of Jamie Dummy is now quality.').waitFor();
    await expectAccessible(admin, 'users');
    await screenshot(admin, 'admin-users');

    const quality = (await newPage(w)).page;
    await standaloneLaunch(quality, w, 'quality', 'Practitioner/sbx-prac-5');
    await quality.getByRole('heading', { level: 1, name: 'Outcome report' }).waitFor();
    const report = quality.frameLocator('iframe.report-frame');
    await report.locator('[data-figure]').first().waitFor();
    expect(await report.locator('svg').count()).toBeGreaterThan(0);
    // Every figure the browser shows is the value its JSON Pointer holds in the JSON report.
    const src = await quality.locator('iframe.report-frame').getAttribute('src');
    const json = await (await quality.request.get(new URL(src!.replace('format=html', 'format=json'), quality.url()).href)).json();
    const cells = await report.locator('[data-figure]').evaluateAll((els) => els.map((e) => [e.getAttribute('data-figure')!, e.getAttribute('data-value')!]));
    expect(cells.length).toBeGreaterThan(10);
    const at = (pointer: string) => pointer.split('/').slice(1).reduce<unknown>((v, k) => (v as Record<string, unknown>)?.[k.replace(/~1/g, '/').replace(/~0/g, '~')], json);
    const shown = (v: unknown) => (v === null || v === undefined ? 'null' : typeof v === 'object' && (v as { suppressed?: boolean }).suppressed ? 'suppressed' : String(v));
    expect(cells.filter(([pointer, value]) => shown(at(pointer)) !== value)).toEqual([]);
    expect(await quality.getByRole('link', { name: /CSV/ }).getAttribute('href')).toMatch(/format=csv/);
    await expectAccessible(quality, 'report');
    await screenshot(quality, 'quality-report');
  });

  it("a patient signs in on her own and sees her questionnaires", async () => {
    const patient = (await newPage(w)).page;
    await standaloneLaunch(patient, w, 'patient', 'Patient/sbx-pat-1', 'Patient/sbx-pat-1');
    await patient.getByRole('heading', { level: 1, name: 'My questionnaires' }).waitFor();
    await expectAccessible(patient, 'my forms');
    await screenshot(patient, 'patient-my-questionnaires');
  });
});
