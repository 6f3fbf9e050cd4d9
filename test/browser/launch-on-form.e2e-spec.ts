import type { Questionnaire, QuestionnaireResponse, Task } from 'fhir/r4.js';
import { DataSource } from 'typeorm';
import { EXT } from '../../src/questionnaires/engine/codes.js';
import { QuestionnairesService } from '../../src/questionnaires/definitions/questionnaires.service.js';
import { gad7 } from '../../src/questionnaires/engine/instruments/gad7.js';
import { phq9Questionnaire } from '../../src/questionnaires/engine/instruments/phq9.js';
import { FhirStore } from '../../src/sandbox/fhir-store.service.js';
import { sandboxIssuer } from '../../src/sandbox/sandbox-registration.js';
import { RegistryService } from '../../src/smart/registry/registry.service.js';
import type { Page } from 'playwright-core';
import { describeInBrowser } from './support/chromium.js';
import { expectAccessible, screenshot } from './support/checks.js';
import { grantRole, newPage, standaloneLaunch, startUi, type UiWorld } from './support/ui-app.js';
import { CARER_URL, carerIntake } from '../questionnaire-support/sdc-forms.js';

const GAD7 = `${gad7.questionnaire.url}|${gad7.questionnaire.version}`;
const PHQ9 = `${phq9Questionnaire.url}|${phq9Questionnaire.version}`;

const lookalike: Questionnaire = {
  resourceType: 'Questionnaire',
  id: gad7.questionnaire.id,
  url: 'https://clinic.example.org/fhir/Questionnaire/gad-7',
  version: '99.0.0',
  name: 'ClinicLookalike',
  title: 'Clinic look-alike check',
  status: 'active',
  item: [{ linkId: 'q1', type: 'boolean', text: 'Did you sleep well?' }],
};

// A clinic's SDC form whose pre-filled items include two the player never asks: the launch's encounter (a
// reference) and a hidden item (SDC's way of carrying chart data through a response).
const withCarried: Questionnaire = {
  ...carerIntake,
  url: `${CARER_URL}-carried`,
  version: '1',
  item: [
    ...carerIntake.item!,
    { linkId: 'pt-id', text: 'Patient id', type: 'string', extension: [{ url: EXT.hidden, valueBoolean: true }, { url: EXT.initialExpression, valueExpression: { language: 'text/fhirpath', expression: '%patient.id' } }] },
  ],
};
const WITH_CARRIED = `${withCarried.url}|${withCarried.version}`;

// Issue 15 in the browser: the EHR launches the app on a form (SMART 2.2 fhirContext) and the clinician lands in
// the player on that form for the patient in context; a form the clinic does not have is said plainly; the
// patient view's "Summary for the note" opens a page to copy or print.

describeInBrowser('launched on a form, and the summary for the note (browser)', () => {
  let w: UiWorld;
  beforeAll(async () => {
    w = await startUi();
    // A clinic's own form that shares GAD-7's id (its slug) under another url, at a higher version: a launch on the
    // built-in GAD-7 must never open it.
    const registration = await w.t.app.get(RegistryService).findEnabledByIssuer(sandboxIssuer(w.t.url));
    await w.t.app.get(QuestionnairesService).import(lookalike, { registrationId: registration!.id, actor: 'Practitioner/sbx-prac-1', actorRole: 'admin', requestId: null });
    await w.t.app.get(QuestionnairesService).import(withCarried, { registrationId: registration!.id, actor: 'Practitioner/sbx-prac-1', actorRole: 'admin', requestId: null });
  }, 60_000);
  afterAll(async () => w?.close());

  const launchOn = (fhirContext: string) =>
    `${w.t.url}/sandbox/launch?${new URLSearchParams({ user: 'Practitioner/sbx-prac-1', patient: 'Patient/sbx-pat-1', fhirContext })}`;

  it("the sandbox launcher's fields fill its card without overflowing it, and no page is answered 404 for its icon", async () => {
    const { page } = await newPage(w);
    const missing: string[] = [];
    page.on('response', (r) => {
      if (r.status() >= 400) missing.push(`${r.status()} ${new URL(r.url()).pathname}`);
    });
    await page.goto(`${w.t.url}/sandbox`);
    const boxes = await page.evaluate(() => {
      const main = document.querySelector('main')!;
      const style = getComputedStyle(main);
      const inner = main.getBoundingClientRect();
      const left = inner.left + parseFloat(style.borderLeftWidth) + parseFloat(style.paddingLeft);
      const right = inner.right - parseFloat(style.borderRightWidth) - parseFloat(style.paddingRight);
      return Object.fromEntries(
        ['user', 'fhirContext', 'app'].map((id) => {
          const b = document.getElementById(id)!.getBoundingClientRect();
          return [id, { left: Math.round(b.left - left), right: Math.round(right - b.right) }];
        }),
      );
    });
    // Each field spans the card's content box exactly, as the selects do.
    expect(boxes).toEqual({ user: { left: 0, right: 0 }, fhirContext: { left: 0, right: 0 }, app: { left: 0, right: 0 } });
    await page.getByLabel(/Form to open/).fill(GAD7);
    await page.getByRole('button', { name: 'Launch app' }).click();
    await page.getByRole('heading', { level: 1, name: gad7.questionnaire.title! }).waitFor();
    // The browser's own request for /favicon.ico is not always reported to the page: ask as it does.
    const icon = await page.request.get(`${w.t.url}/favicon.ico`);
    expect(icon.status()).toBe(200);
    expect(icon.headers()['content-type']).toMatch(/^image\//);
    expect(missing).toEqual([]);
  });

  it('opens the player on the form the EHR named, for the patient in context', async () => {
    const { page } = await newPage(w);
    await page.goto(launchOn(GAD7));
    await page.getByRole('heading', { level: 1, name: gad7.questionnaire.title! }).waitFor();
    // Opened on the exact canonical, not on a slug another form (or version) could share.
    expect(new URL(page.url()).hash.split('?')[0]).toBe(`#/answer/${encodeURIComponent(GAD7)}`);
    await page.locator('.patient-banner').getByText('Avery Sample').waitFor();
    await expectAccessible(page, 'player opened from fhirContext');
    await screenshot(page, 'launch-on-form-player');
  });

  it('submits the answers pre-filled from the EHR to items the player does not ask (a reference, a hidden item) unchanged', async () => {
    const { page } = await newPage(w);
    await page.goto(`${w.t.url}/sandbox/launch?${new URLSearchParams({ user: 'Practitioner/sbx-prac-1', patient: 'Patient/sbx-pat-1', encounter: 'sbx-enc-1', fhirContext: WITH_CARRIED })}`);
    await page.getByRole('heading', { level: 1, name: withCarried.title! }).waitFor();
    await page.getByRole('radio', { name: /A clinician reading the questions aloud/ }).check();
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    // Pre-filled questions are answered already: the player starts at the first open one (the relationship, which a
    // Practitioner has none of), then the hours.
    await page.getByText('Your relationship to the patient').waitFor();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('textbox', { name: /^Hours of care a week/ }).fill('20');
    await page.getByRole('button', { name: 'Review answers' }).click();
    await page.getByRole('heading', { name: 'Check your answers' }).waitFor();
    await page.getByText('1968-04-12').waitFor();
    await page.getByRole('button', { name: /Submit answers/ }).click();
    await page.getByRole('heading', { name: 'Send your answers now?' }).waitFor();
    await page.getByRole('button', { name: /Yes, send my answers/ }).click();
    await page.getByRole('heading', { name: /answers were sent/ }).waitFor();
    const rows = (await w.t.app.get(DataSource).query(`SELECT status, resource FROM questionnaire_response WHERE questionnaire = $1`, [WITH_CARRIED])) as { status: string; resource: QuestionnaireResponse }[];
    expect(rows.map((r) => r.status)).toEqual(['completed']);
    const answers = Object.fromEntries((rows[0].resource.item ?? []).map((i) => [i.linkId, i.answer]));
    expect(answers).toMatchObject({
      'pt-birth': [{ valueDate: '1968-04-12' }],
      visit: [{ valueReference: { reference: 'Encounter/sbx-enc-1' } }],
      'pt-id': [{ valueString: 'sbx-pat-1' }],
      hours: [{ valueInteger: 20 }],
    });
  });

  it('never opens another version of the form the EHR named', async () => {
    const { page } = await newPage(w);
    const absent = `${gad7.questionnaire.url}|0.0.1-absent`;
    await page.goto(launchOn(absent));
    await page.getByRole('heading', { level: 1, name: "This form is not in the program's library" }).waitFor();
    await page.getByRole('alert').getByText(absent).waitFor();
    expect(new URL(page.url()).hash).toBe('#/launch-form');
  });

  it("starts the form chosen on the patient's view by its canonical, not by a slug a clinic's form shares", async () => {
    const { page } = await newPage(w);
    await page.goto(`${w.t.url}/sandbox/launch?user=Practitioner/sbx-prac-1&patient=Patient/sbx-pat-1`);
    await page.getByLabel('Start another questionnaire').selectOption({ label: gad7.questionnaire.title! });
    await page.getByRole('link', { name: 'Start', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: gad7.questionnaire.title! }).waitFor();
    expect(new URL(page.url()).hash.split('?')[0]).toBe(`#/answer/${encodeURIComponent(GAD7)}`);
  });

  it('tells the clinician when the Task the EHR launched on is on hold: the form opens, the Task will not be marked done', async () => {
    const task: Task = {
      resourceType: 'Task', status: 'on-hold', intent: 'order', for: { reference: 'Patient/sbx-pat-1' },
      code: { coding: [{ system: 'http://hl7.org/fhir/uv/sdc/CodeSystem/temp', code: 'complete-questionnaire' }] },
      input: [{ type: { coding: [{ system: 'http://hl7.org/fhir/uv/sdc/CodeSystem/temp', code: 'questionnaire' }] }, valueCanonical: GAD7 }],
    };
    const taskId = (await w.t.app.get(FhirStore).create('Task', task)).resource.id!;
    const { page } = await newPage(w);
    await page.goto(launchOn(`Task/${taskId}`));
    await page.getByRole('heading', { level: 1, name: gad7.questionnaire.title! }).waitFor();
    const note = page.getByText("The EHR's task for this form is on hold, so sending the answers does not mark it done.", { exact: false });
    await note.waitFor();
    // Still said once the first answer made a draft (the player then moves to the draft's address).
    await page.getByRole('radio', { name: /A clinician reading the questions aloud/ }).check();
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await page.getByRole('radio', { name: 'Not at all' }).check();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.waitForFunction(() => location.hash.includes('response='));
    await note.waitFor();
    await expectAccessible(page, 'player on a Task on hold');
    // And again where the clinician would expect the task done: the thank-you page.
    for (let n = 2; n <= 7; n++) {
      await page.getByText(`Question ${n} of`).waitFor();
      await page.getByRole('radio', { name: 'Not at all' }).check();
      await page.getByRole('button', { name: n === 7 ? 'Review answers' : 'Next' }).click();
    }
    await page.getByRole('button', { name: 'Submit answers' }).click();
    await page.getByRole('button', { name: 'Yes, send my answers' }).click();
    await page.getByRole('heading', { name: 'Thank you — the answers were sent' }).waitFor();
    await note.waitFor();
  });

  it("says plainly when the EHR names a form the program's library lacks", async () => {
    const { page } = await newPage(w);
    await page.goto(launchOn('https://clinic.example.org/fhir/Questionnaire/not-in-library|3'));
    await page.getByRole('heading', { level: 1, name: "This form is not in the program's library" }).waitFor();
    await page.getByRole('alert').getByText('https://clinic.example.org/fhir/Questionnaire/not-in-library|3').waitFor();
    await page.getByRole('link', { name: "Go to the patient's program" }).click();
    await page.getByRole('heading', { level: 1, name: /Wellness program/ }).waitFor();
    await expectAccessible(page, 'patient view after an unknown form');
  });

  it('gives the clinician a summary for the note, printable without the app around it', async () => {
    const { page } = await newPage(w);
    await page.goto(`${w.t.url}/sandbox/launch?user=Practitioner/sbx-prac-1&patient=Patient/sbx-pat-1`);
    await page.getByRole('link', { name: 'Summary for the note' }).click();
    await page.getByRole('heading', { level: 1, name: 'Summary for the note' }).waitFor();
    const text = page.locator('#note-summary-text');
    await text.getByText(/^ALS wellness program summary/).waitFor();
    await expect(text.innerText()).resolves.toContain('Open safety alerts: none');
    await expectAccessible(page, 'summary for the note');
    await screenshot(page, 'note-summary');
    await page.emulateMedia({ media: 'print' });
    await expect(page.locator('.app-header').isVisible()).resolves.toBe(false);
    await expect(page.getByRole('button', { name: 'Print' }).isVisible()).resolves.toBe(false);
    await expect(text.isVisible()).resolves.toBe(true);
    await expect(page.locator('.patient-banner').isVisible()).resolves.toBe(true);
    // Sex in words, as the note reads it, not the FHIR code.
    await expect(page.locator('.patient-banner .banner-facts').innerText()).resolves.toMatch(/Sex\s+Female/);
    await expect(page.locator('.patient-banner .banner-facts').innerText()).resolves.not.toMatch(/\bfemale\b/);
    // The banner names the patient on paper; the page adds no second header.
    await expect(page.locator('.note-patient').count()).resolves.toBe(0);
  });

  it("prints the patient's name and MRN on a coordinator's summary, which has no patient banner", async () => {
    await grantRole(w, 'Practitioner/sbx-prac-2', 'coordinator', 'Robin Mockwell');
    const { page } = await newPage(w);
    await standaloneLaunch(page, w, 'coordinator', 'Practitioner/sbx-prac-2');
    await page.goto(`${w.t.url}/app/#/summary/sbx-pat-1`);
    const text = page.locator('#note-summary-text');
    await text.getByText(/^ALS wellness program summary/).waitFor();
    await expect(page.locator('.patient-banner').count()).resolves.toBe(0);
    const header = page.locator('.note-patient');
    await header.waitFor({ state: 'attached' });
    await expect(header.isVisible()).resolves.toBe(false);
    await expect(page.getByRole('button', { name: 'Print' }).isEnabled()).resolves.toBe(true);
    await page.emulateMedia({ media: 'print' });
    await expect(header.isVisible()).resolves.toBe(true);
    await expect(header.innerText()).resolves.toMatch(/^Avery Sample · Born .+ · MRN \S+/);
    await expect(text.isVisible()).resolves.toBe(true);
  });

  describe('launched from her portal, in Spanish (Casey Fictitious prefers Spanish)', () => {
    const portalOn = (fhirContext: string) =>
      `${w.t.url}/sandbox/launch?${new URLSearchParams({ user: 'Patient/sbx-pat-3', patient: 'Patient/sbx-pat-3', fhirContext })}`;
    /** The page's language, the frame's "Sign out", the banner's labels and her sex in words. */
    const frame = (page: Page) =>
      page.evaluate(() => ({
        lang: document.documentElement.lang,
        signOut: document.querySelector('.app-header button')?.textContent?.trim(),
        banner: [...document.querySelectorAll('.patient-banner dt, .patient-banner dd')].slice(0, 4).map((e) => e.textContent),
      }));
    const spanish = { lang: 'es', signOut: 'Cerrar sesión', banner: ['Fecha de nacimiento', '8 ene 1972', 'Sexo', 'Femenino'] };

    it('opens the form the portal named in her language, frame and banner included', async () => {
      const { page } = await newPage(w);
      await page.goto(portalOn(PHQ9));
      await page.getByRole('heading', { name: 'Poco interés o placer en hacer cosas' }).waitFor();
      expect(new URL(page.url()).hash.split('?')[0]).toBe(`#/answer/${encodeURIComponent(PHQ9)}`);
      await expect(frame(page)).resolves.toEqual(spanish);
      await expectAccessible(page, 'portal launch on a form, in Spanish');
    });

    it('says in her words that a form the program lacks was not opened, and takes her to her list', async () => {
      const absent = 'https://clinic.example.org/fhir/Questionnaire/not-in-library|3';
      const { page } = await newPage(w);
      await page.goto(portalOn(absent));
      await page.getByRole('heading', { level: 1, name: 'No se pudo abrir el cuestionario' }).waitFor();
      await page.getByRole('alert').getByText('El cuestionario que pidió su expediente médico no está disponible en este programa, así que no se abrió nada.').waitFor();
      await expect(frame(page)).resolves.toEqual(spanish);
      // The canonical and the staff wording ("library", "administrator") are for staff, not for her.
      await expect(page.locator('#main').textContent()).resolves.not.toMatch(/clinic\.example\.org|library|administrator/);
      await expectAccessible(page, 'portal launch on a form the program lacks, in Spanish');
      await page.getByRole('link', { name: 'Ir a mis cuestionarios' }).click();
      await page.getByRole('heading', { level: 1, name: 'Mis cuestionarios' }).waitFor();
    });

    it('says in her words when her health record could not be read for the form', async () => {
      const { page } = await newPage(w);
      await page.route('**/api/context/form', (route) =>
        route.fulfill({ status: 503, contentType: 'application/fhir+json', body: JSON.stringify({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'transient', diagnostics: 'EHR Task/xyz read timed out (staff wording)' }] }) }),
      );
      await page.goto(portalOn(PHQ9));
      const box = page.locator('.error-summary[role="alert"]');
      await box.locator('li').first().waitFor();
      await expect(box.locator('li').allTextContents()).resolves.toEqual(['No se pudo conectar con su expediente médico en este momento. Por favor, inténtelo de nuevo dentro de un momento.']);
      await expect(page.locator('#main').textContent()).resolves.not.toMatch(/staff wording|Task\/xyz/);
      await expect(frame(page)).resolves.toEqual(spanish);
    });
  });
});
