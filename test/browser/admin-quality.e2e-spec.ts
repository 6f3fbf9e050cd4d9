import type { Page } from 'playwright-core';
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
  }, 60_000);
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
