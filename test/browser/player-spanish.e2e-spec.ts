import type { QuestionnaireResponse } from 'fhir/r4.js';
import { DataSource } from 'typeorm';
import { DEFAULT_CRISIS_MESSAGE, DEFAULT_CRISIS_MESSAGE_ES, safetyConfig, type SafetyConfig } from '../../src/config/safety.config.js';
import { questionnaireUrl } from '../../src/questionnaires/engine/codes.js';
import { TimepointsService } from '../../src/questionnaires/timepoints/timepoints.service.js';
import { sandboxIssuer } from '../../src/sandbox/sandbox-registration.js';
import { RegistryService } from '../../src/smart/registry/registry.service.js';
import { describeInBrowser } from './support/chromium.js';
import { expectAccessible, screenshot } from './support/checks.js';
import type { Page, Route } from 'playwright-core';
import { installClock, onHeading, scanCycle, scanSelect, takeClock, until } from './support/assist.js';
import { ehrLaunch, newPage, presetPlayer, standaloneLaunch, startUi, type UiWorld } from './support/ui-app.js';

// The PHQ-9 in Spanish (issue 15). The sandbox's Casey Fictitious (sbx-pat-3) prefers Spanish in the EHR
// (Patient.communication): the player opens in Spanish — the form's published Spanish wording and the player's
// own words — switches to English and back from the keyboard, and the response is stored with language 'es'.
// Signed in on her own, her list ("My questionnaires"), the settings, a question's check, the save status and the
// page after "finish later" are in Spanish too, and pass axe. What the service answers her is too: the clinic's
// crisis information on an endorsed item 9 (the Spanish text, marked lang="es"), and a save or a submission it refuses
// (in the player's own words for the refusal, never the service's English wording).

const PHQ9 = '/app/#/answer/phq-9?return=patient';
const SCAN_MS = 1000;

/** The focused element, as a person would read it: its text, whether it is pressed, and whether the player holds it. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const a = document.activeElement as HTMLElement | null;
    return { text: a?.textContent?.trim(), pressed: a?.getAttribute('aria-pressed'), inPlayer: !!a?.closest('.player') };
  });
const whoHeading = (page: Page, pattern: string) =>
  until(page, `the heading /${pattern}/`, (p) => [...document.querySelectorAll('h1, h2')].some((h) => new RegExp(p).test(h.textContent ?? '')), pattern);

/** The page's language, the frame's words and the patient banner (its name, each fact's label and value). */
const spanishFrame = (page: Page) =>
  page.evaluate(() => {
    const banner = document.querySelector('.patient-banner');
    return {
      lang: document.documentElement.lang,
      signOut: document.querySelector('.app-header button')?.textContent?.trim(),
      role: document.querySelector('.app-header .role')?.textContent?.trim(),
      banner: banner && {
        label: banner.getAttribute('aria-label'),
        facts: [...banner.querySelectorAll('.banner-facts > div')].map((d) => [d.querySelector('dt')?.textContent, d.querySelector('dd')?.textContent]),
      },
    };
  });
const SPANISH_FRAME = (role: string) => ({
  lang: 'es',
  signOut: 'Cerrar sesión',
  role,
  banner: { label: 'Paciente', facts: [['Fecha de nacimiento', '8 ene 1972'], ['Sexo', 'Femenino'], ['N.º de expediente médico', expect.any(String)]] },
});

describeInBrowser('questionnaire player in Spanish (browser)', () => {
  let w: UiWorld;
  beforeAll(async () => {
    w = await startUi();
  });
  afterAll(async () => w?.close());

  it('keeps a language chosen for one patient to that patient: the EHR’s next patient in the same tab starts in theirs', async () => {
    const { page } = await newPage(w);
    await ehrLaunch(page, w, 'Practitioner/sbx-prac-1', 'Patient/sbx-pat-1');
    await page.goto(`${w.t.url}${PHQ9}`);
    await page.getByRole('heading', { name: /^Who is answering the questions about/ }).waitFor();
    await page.getByRole('button', { name: 'Español' }).click();
    await page.getByRole('heading', { name: /^¿Quién responde las preguntas sobre/ }).waitFor();
    // The clinician's next patient, launched by the EHR in the same tab: an English record, an English player.
    await ehrLaunch(page, w, 'Practitioner/sbx-prac-1', 'Patient/sbx-pat-2');
    await page.goto(`${w.t.url}${PHQ9}`);
    await page.getByRole('heading', { name: /^Who is answering the questions about/ }).waitFor();
    expect(await page.evaluate(() => sessionStorage.getItem('als-language'))).not.toMatch(/sbx|Patient/); // who, not kept as such
    // Back to the first patient: her choice is still hers.
    await ehrLaunch(page, w, 'Practitioner/sbx-prac-1', 'Patient/sbx-pat-1');
    await page.goto(`${w.t.url}${PHQ9}`);
    await page.getByRole('heading', { name: /^¿Quién responde las preguntas sobre/ }).waitFor();
  });

  it('opens in the patient’s language from the EHR, switches by keyboard, and stores the language', async () => {
    const { page } = await newPage(w);
    await ehrLaunch(page, w, 'Practitioner/sbx-prac-1', 'Patient/sbx-pat-3');
    await page.goto(`${w.t.url}${PHQ9}`);
    await page.getByRole('heading', { name: /^¿Quién responde las preguntas sobre/ }).waitFor();
    expect(await page.locator('.player').evaluate((el) => el.closest('[lang]')?.getAttribute('lang'))).toBe('es');
    // The frame and the patient banner above the player are in her language too, the page marked Spanish.
    await expect(spanishFrame(page)).resolves.toEqual(SPANISH_FRAME('profesional clínico'));

    // The switch is a plain button named in its own language: Tab reaches it, Enter presses it.
    const toEnglish = page.getByRole('button', { name: 'English' });
    await toEnglish.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: /^Who is answering the questions about/ }).waitFor();
    // One button per language, the current one pressed; the pressed button stays, and keeps focus.
    await expect(page.locator('.player .language-switch button').evaluateAll((bs) => bs.map((b) => [b.textContent, b.getAttribute('aria-pressed')]))).resolves.toEqual([
      ['English', 'true'],
      ['Español', 'false'],
    ]);
    await expect(focused(page)).resolves.toEqual({ text: 'English', pressed: 'true', inPlayer: true });
    await page.getByRole('button', { name: 'Español' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: /^¿Quién responde las preguntas sobre/ }).waitFor();
    await expectAccessible(page, 'player in Spanish, who is answering');

    await page.getByRole('radio', { name: /Un profesional clínico que lee las preguntas en voz alta/ }).check();
    await page.getByRole('button', { name: 'Empezar' }).click();
    await onHeading(page, 'Poco interés o placer en hacer cosas');
    await until(page, 'the Spanish progress line', () => document.querySelector('#player-progress-text')?.textContent?.trim() === 'Pregunta 1 de 9');
    await expectAccessible(page, 'player in Spanish, question 1');
    await screenshot(page, 'player-spanish');
    for (let n = 1; n <= 9; n++) {
      await page.getByRole('radio', { name: n === 1 ? 'Varios días' : 'Ningún día' }).check();
      await page.getByRole('button', { name: 'Siguiente' }).click();
      if (n === 1) await onHeading(page, 'Se ha sentido decaído(a), deprimido(a) o sin esperanzas');
    }
    // Item 1 above "Ningún día": the difficulty item (10) appears, in Spanish.
    await onHeading(page, 'Si marcó cualquiera de los problemas, ¿qué tanta dificultad le han dado estos problemas para hacer su trabajo, encargarse de las tareas del hogar, o llevarse bien con otras personas?');
    await page.getByRole('radio', { name: 'Un poco difícil' }).check();
    await page.getByRole('button', { name: 'Revisar respuestas' }).click();
    await onHeading(page, 'Revise sus respuestas');
    await page.getByRole('button', { name: 'Enviar respuestas' }).click();
    await onHeading(page, '¿Enviar sus respuestas ahora?');
    await page.getByRole('button', { name: 'Sí, enviar mis respuestas' }).click();
    await page.getByRole('heading', { name: 'Gracias: las respuestas se enviaron' }).waitFor();
    await page.getByRole('link', { name: 'Continuar' }).waitFor();
    await expect(spanishFrame(page)).resolves.toEqual(SPANISH_FRAME('profesional clínico'));
    // The clinician's own screen after it: English again, the banner's sex in words (not the FHIR code).
    await page.getByRole('link', { name: 'Continuar' }).click();
    await page.getByRole('heading', { level: 1, name: /Wellness program/ }).waitFor();
    // The page's lang is set by an effect after the screen renders (ui/Shell.tsx): waited for, not raced.
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    await expect(spanishFrame(page)).resolves.toEqual({
      lang: 'en',
      signOut: 'Sign out',
      role: 'clinician',
      banner: { label: 'Patient', facts: [['Born', 'Jan 8, 1972'], ['Sex', 'Female'], ['MRN', expect.any(String)]] },
    });

    const [row] = await w.t.app.get(DataSource).query(
      `SELECT language, resource FROM questionnaire_response WHERE patient_id = 'sbx-pat-3' AND status = 'completed' ORDER BY submitted_at DESC LIMIT 1`,
    );
    expect(row.language).toBe('es');
    const resource = row.resource as QuestionnaireResponse;
    expect(resource.language).toBe('es');
    expect(resource.item?.find((i) => i.linkId === 'phq9-total')?.answer?.[0].valueInteger).toBe(1);
  });

  it('reaches the language switch by single-switch scanning, last in the cycle, and keeps focus on the language chosen', async () => {
    const { page, context } = await newPage(w);
    await presetPlayer(context, { input: 'scan', scanMs: SCAN_MS, scanKey: 'Space' });
    await installClock(page);
    await ehrLaunch(page, w, 'Practitioner/sbx-prac-1', 'Patient/sbx-pat-3');
    await page.goto(`${w.t.url}${PHQ9}`);
    await takeClock(page);
    await whoHeading(page, '^¿Quién responde las preguntas sobre');
    await until(page, 'the scanning highlight', () => !!document.querySelector('.player .scan-highlight'));
    // The whole cycle: the language buttons are in it, after everything else (settings included), then it wraps.
    const cycle = await scanCycle(page, 12, SCAN_MS);
    const english = cycle.indexOf('English');
    expect(english).toBeGreaterThan(0);
    expect(cycle[english + 1]).toBe('Español');
    expect(cycle[english - 1]).toBe('Ajustes de pantalla y de control');
    expect(cycle[english + 2]).toBe(cycle[0]);

    await scanSelect(page, 'English');
    await whoHeading(page, '^Who is answering the questions about');
    await expect(focused(page)).resolves.toEqual({ text: 'English', pressed: 'true', inPlayer: true });
    await scanSelect(page, 'Español');
    await whoHeading(page, '^¿Quién responde las preguntas sobre');
    await expect(focused(page)).resolves.toEqual({ text: 'Español', pressed: 'true', inPlayer: true });
    expect(await page.locator('.player').evaluate((el) => el.closest('[lang]')?.getAttribute('lang'))).toBe('es');
  });
  it('shows a patient her own pages in Spanish: her list, the settings, a check, the save status, "finish later"', async () => {
    const registration = await w.t.app.get(RegistryService).findEnabledByIssuer(sandboxIssuer(w.t.url));
    await w.t.app.get(DataSource).transaction((m) =>
      w.t.app.get(TimepointsService).scheduleForEnrolment(m, {
        enrolmentId: '0b4c1c1e-3b8f-4d07-9f5e-5d1a7e2c9a31',
        registrationId: registration!.id,
        patientId: 'sbx-pat-3',
        caregivers: [],
        programTimepoints: [
          { timepoint: 'baseline', questionnaires: [questionnaireUrl('phq-9')], dueFromDays: -1, dueUntilDays: 14 },
          { timepoint: 'follow-up', questionnaires: [questionnaireUrl('who-5')], dueFromDays: 30, dueUntilDays: 44 },
        ],
        cohortStart: new Date().toISOString().slice(0, 10),
      }),
    );
    const { page } = await newPage(w);
    await standaloneLaunch(page, w, 'patient', 'Patient/sbx-pat-3', 'Patient/sbx-pat-3');
    await page.getByRole('heading', { name: 'Mis cuestionarios' }).waitFor();
    await expect(spanishFrame(page)).resolves.toEqual(SPANISH_FRAME('paciente'));
    await page.getByRole('heading', { name: 'Abiertos ahora' }).waitFor();
    await expect(page.getByRole('link', { name: /^Empezar: .*Inicio · hasta el/ }).count()).resolves.toBe(1);
    await expect(page.locator('.later-list').textContent()).resolves.toMatch(/Seguimiento · se abre el/);
    await page.getByRole('button', { name: 'Cerrar sesión' }).waitFor();
    // The settings, opened: every legend and choice in Spanish.
    await page.getByRole('button', { name: 'Ajustes de pantalla y de control' }).click();
    const legends = await page.locator('#player-settings legend').allTextContents();
    expect(legends).toEqual(['Tamaño del texto', 'Contraste', 'Cómo elegir las respuestas']);
    await page.getByRole('radio', { name: 'Barrido con pulsador' }).waitFor();
    await expectAccessible(page, 'my questionnaires in Spanish, settings open');
    await page.getByRole('button', { name: 'Ajustes de pantalla y de control' }).click();

    await page.getByRole('link', { name: /^Empezar: / }).click();
    await onHeading(page, 'Poco interés o placer en hacer cosas');
    // Next without an answer: the engine's check, in her words and her language.
    await page.getByRole('button', { name: 'Siguiente' }).click();
    await until(page, 'the Spanish check', () => document.querySelector('.field-error')?.textContent?.trim() === 'Se necesita una respuesta para continuar.');
    await expectAccessible(page, 'player in Spanish, a question’s check');
    await page.getByRole('radio', { name: 'Ningún día' }).check();
    await page.getByRole('button', { name: 'Siguiente' }).click();
    await onHeading(page, 'Se ha sentido decaído(a), deprimido(a) o sin esperanzas');
    // The time as Spanish writes it (24-hour "14:05"), whatever the browser's own locale.
    await until(page, 'the Spanish save status', () => /^Respuestas guardadas a las \d{1,2}:\d{2}\.$/.test(document.querySelector('.save-status')?.textContent?.trim() ?? ''));
    await page.getByRole('button', { name: 'Guardar y terminar más tarde' }).click();
    await page.getByRole('heading', { name: 'Las respuestas están guardadas' }).waitFor();
    await page.getByText('Puede volver y terminar cuando quiera; no se perdió nada.').waitFor();
    await page.getByRole('link', { name: 'Continuar' }).waitFor();
    await expectAccessible(page, 'saved for later, in Spanish');
  });

  it('gives her the crisis information in Spanish, and says in Spanish why a save or a submission was refused', async () => {
    const { page } = await newPage(w);
    await standaloneLaunch(page, w, 'patient', 'Patient/sbx-pat-3', 'Patient/sbx-pat-3');
    await page.getByRole('heading', { name: 'Mis cuestionarios' }).waitFor();
    await page.goto(`${w.t.url}${PHQ9}`);
    for (let n = 1; n <= 9; n++) {
      await until(page, `question ${n}`, (k) => document.querySelector('#player-progress-text')?.textContent?.trim().startsWith(`Pregunta ${k} de `) ?? false, n);
      await page.getByRole('radio', { name: n === 9 ? 'Varios días' : 'Ningún día' }).check();
      await page.getByRole('button', { name: 'Siguiente' }).click();
    }
    // Item 9 endorsed on a draft save: the clinic's crisis information, in her language and marked as such.
    const alert = page.locator('.safety-message[role="alert"]');
    await alert.getByText(DEFAULT_CRISIS_MESSAGE_ES).waitFor();
    await expect(alert.locator('.safety-title').textContent()).resolves.toBe('Si necesita ayuda ahora');
    await expect(alert.locator('.safety-text').getAttribute('lang')).resolves.toBe('es');
    await alert.getByRole('button', { name: 'Cerrar este mensaje' }).waitFor();
    await expectAccessible(page, 'player in Spanish, crisis information');
    await screenshot(page, 'player-spanish-crisis');
    // The text follows the reader, not the form: switched to English, she reads the English text, marked English.
    await page.getByRole('button', { name: 'English' }).click();
    await alert.getByText(DEFAULT_CRISIS_MESSAGE).waitFor();
    await expect(alert.locator('.safety-text').getAttribute('lang')).resolves.toBe('en');
    await expect(alert.locator('.safety-title').textContent()).resolves.toBe('If you need help now');
    await page.getByRole('button', { name: 'Español' }).click();
    await alert.getByText(DEFAULT_CRISIS_MESSAGE_ES).waitFor();
    await alert.getByRole('button', { name: 'Cerrar este mensaje' }).click();
    await alert.waitFor({ state: 'detached' });

    // The same draft, resumed on another screen and saved there: this screen's next save is refused (409).
    const draftId = new URL(page.url()).hash.match(/[?&]response=([^&]+)/)?.[1];
    expect(draftId).toBeTruthy();
    const other = await newPage(w);
    await standaloneLaunch(other.page, w, 'patient', 'Patient/sbx-pat-3', 'Patient/sbx-pat-3');
    await other.page.goto(`${w.t.url}/app/#/answer/phq-9?response=${draftId}&return=patient`);
    await other.page.getByRole('radio', { name: 'Un poco difícil' }).check();
    await other.page.getByRole('button', { name: 'Revisar respuestas' }).click();
    await onHeading(other.page, 'Revise sus respuestas');
    await until(other.page, 'the other screen saved', () => /^Respuestas guardadas a las /.test(document.querySelector('.save-status')?.textContent ?? ''));

    await page.getByRole('radio', { name: 'No ha sido difícil' }).check();
    await page.getByRole('button', { name: 'Revisar respuestas' }).click();
    await onHeading(page, 'Revise sus respuestas');
    // Said as it is: not "the next step tries again" (it never could), and the way on, a large button.
    const refusedSave =
      'No se guardó: Estas respuestas se guardaron en otra pantalla después de que esta las abriera, así que lo que se hizo aquí no se guardó.';
    await until(page, 'the refused save, in Spanish', (text) => document.querySelector('.save-status')?.textContent?.trim() === text, refusedSave);
    const elsewhere = page.locator('.player .saved-elsewhere[role="alert"]');
    await elsewhere.getByText('Estas respuestas se cambiaron en otra pantalla').waitFor();
    const keepMine = elsewhere.getByRole('button', { name: 'Conservar mis respuestas' });
    const openLatest = elsewhere.getByRole('button', { name: 'Abrir las últimas respuestas guardadas' });
    expect((await keepMine.boundingBox())!.height).toBeGreaterThanOrEqual(64);
    expect((await openLatest.boundingBox())!.height).toBeGreaterThanOrEqual(64);
    // Both reached by switch scanning and dwell (first in the cycle after crisis information); the keyboard lands on "Keep my answers".
    const reach = (b: HTMLElement) => [b.getAttribute('data-scan'), b.hasAttribute('data-dwell'), document.activeElement === b];
    await expect(keepMine.evaluate(reach)).resolves.toEqual(['0', true, true]);
    await expect(openLatest.evaluate(reach)).resolves.toEqual(['0', true, false]);
    // Her submission from this screen is refused for the same reason: the same notice, no list of answers to fix.
    await page.getByRole('button', { name: 'Enviar respuestas' }).click();
    await page.getByRole('button', { name: 'Sí, enviar mis respuestas' }).click();
    await onHeading(page, 'Revise sus respuestas');
    await elsewhere.waitFor();
    await expect(page.locator('.review .error-summary').count()).resolves.toBe(0);
    await expectAccessible(page, 'player in Spanish, answers saved elsewhere');
    await screenshot(page, 'player-spanish-saved-elsewhere');
    // The service's own words (English, for staff) reach no line.
    await expect(page.locator('.player').textContent()).resolves.not.toMatch(/Someone else saved|reload it|version/);
    // Pressed from the keyboard with an answer here not saved ("No ha sido difícil"): asked first, the safe choice
    // focused; going back returns focus to the button.
    await openLatest.focus();
    await page.keyboard.press('Enter');
    await elsewhere.getByText('¿Abrir las últimas respuestas guardadas y descartar las respuestas que dio en esta pantalla y que no se guardaron?').waitFor();
    await until(page, 'focus on "No, volver"', () => document.activeElement?.textContent?.trim() === 'No, volver');
    await expectAccessible(page, 'player in Spanish, drop the answers not saved?');
    await page.keyboard.press('Enter');
    await until(page, 'focus back on "Abrir…"', () => document.activeElement?.textContent?.trim() === 'Abrir las últimas respuestas guardadas');
    await page.locator('.review-list').getByText('No ha sido difícil').waitFor();
    // Confirmed: the latest saved answers (the other screen's "Un poco difícil"), with no notice left.
    await page.keyboard.press('Enter');
    await until(page, 'focus on "No, volver" again', () => document.activeElement?.textContent?.trim() === 'No, volver');
    await elsewhere.getByRole('button', { name: 'Sí, descartar mis respuestas y abrir las últimas' }).focus();
    await page.keyboard.press('Enter');
    await onHeading(page, 'Revise sus respuestas');
    await page.locator('.review-list').getByText('Un poco difícil').waitFor();
    await expect(page.locator('.review-list').textContent()).resolves.not.toMatch(/No ha sido difícil/);
    await elsewhere.waitFor({ state: 'detached' });
    expect(new URL(page.url()).hash).toContain(`response=${draftId}`);

    // On the other screen, a submission the service refuses at a question: the answer to question 1 is taken out on
    // the way (the player never sends that; the refusal is the service's own, 400 at phq9-1), and she reads what to do
    // about question 1 in her words, not "phq9-1 is required".
    await other.page.route('**/api/questionnaire-responses/**', async (route) => {
      const body = route.request().postDataJSON() as QuestionnaireResponse | null;
      if (route.request().method() !== 'PUT' || body?.status !== 'completed') return route.continue();
      const item = body.item?.map((i) => (i.linkId === 'phq9-1' ? { linkId: i.linkId, text: i.text } : i));
      return route.continue({ postData: JSON.stringify({ ...body, item }) });
    });
    await other.page.getByRole('button', { name: 'Enviar respuestas' }).click();
    await other.page.getByRole('button', { name: 'Sí, enviar mis respuestas' }).click();
    await onHeading(other.page, 'Revise sus respuestas');
    const atQuestion = other.page.locator('.review .error-summary[role="alert"] li');
    await atQuestion.first().waitFor();
    await expect(atQuestion.allTextContents()).resolves.toEqual(['Pregunta 1: Se necesita una respuesta para continuar.']);
    await expect(other.page.locator('.player').textContent()).resolves.not.toMatch(/phq9-1|is required/);
    await expectAccessible(other.page, 'player in Spanish, a submission refused at a question');
    await other.context.close();
  });

  // A crisis answer given while the draft was saved on another screen (which answered item 9 "not at all"): the save is
  // refused, and "Keep my answers" saves it onto the latest version — the server's safety rules run on it, the crisis
  // information shows, and the stored draft holds her answer. The same in English and in Spanish.
  for (const lang of ['en', 'es'] as const) {
    const words =
      lang === 'es'
        ? { none: 'Ningún día', several: 'Varios días', next: 'Siguiente', keep: 'Conservar mis respuestas', saved: /^Respuestas guardadas a las /, crisis: DEFAULT_CRISIS_MESSAGE_ES }
        : { none: 'Not at all', several: 'Several days', next: 'Next', keep: 'Keep my answers', saved: /^Answers saved at /, crisis: DEFAULT_CRISIS_MESSAGE };
    it(`keeps a crisis answer given while the draft was saved elsewhere, and shows the crisis information (${lang})`, async () => {
      const { page } = await newPage(w);
      await standaloneLaunch(page, w, 'patient', 'Patient/sbx-pat-3', 'Patient/sbx-pat-3');
      await page.getByRole('heading', { name: 'Mis cuestionarios' }).waitFor();
      await page.goto(`${w.t.url}${PHQ9}`);
      await until(page, 'question 1', () => document.querySelector('#player-progress-text')?.textContent?.trim().startsWith('Pregunta 1 de ') ?? false);
      if (lang === 'en') {
        await page.getByRole('button', { name: 'English' }).click();
        await until(page, 'question 1 in English', () => document.querySelector('#player-progress-text')?.textContent?.trim().startsWith('Question 1 of ') ?? false);
      }
      for (let n = 1; n <= 8; n++) {
        await until(page, `question ${n}`, (k) => / (\d+) /.exec(document.querySelector('#player-progress-text')?.textContent ?? '')?.[1] === String(k), n);
        await page.getByRole('radio', { name: words.none }).check();
        await page.getByRole('button', { name: words.next }).click();
      }
      await until(page, 'question 9', () => / 9 /.test(document.querySelector('#player-progress-text')?.textContent ?? ''));
      await until(page, 'the draft saved', (re) => new RegExp(re).test(document.querySelector('.save-status')?.textContent ?? ''), words.saved.source);
      const draftId = new URL(page.url()).hash.match(/[?&]response=([^&]+)/)?.[1];
      expect(draftId).toBeTruthy();

      // Another screen resumes the draft and answers item 9 "not at all", saved there.
      const other = await newPage(w);
      await standaloneLaunch(other.page, w, 'patient', 'Patient/sbx-pat-3', 'Patient/sbx-pat-3');
      await other.page.goto(`${w.t.url}/app/#/answer/phq-9?response=${draftId}&return=patient`);
      await other.page.getByRole('radio', { name: 'Ningún día' }).check();
      await other.page.getByRole('button', { name: 'Revisar respuestas' }).click();
      await onHeading(other.page, 'Revise sus respuestas');
      await until(other.page, 'the other screen saved', () => /^Respuestas guardadas a las /.test(document.querySelector('.save-status')?.textContent ?? ''));
      await other.context.close();

      // Here: item 9 endorsed; its save is refused (saved elsewhere), so no crisis information yet.
      await page.getByRole('radio', { name: words.several }).check();
      await page.getByRole('button', { name: words.next }).click();
      const elsewhere = page.locator('.player .saved-elsewhere[role="alert"]');
      const keep = elsewhere.getByRole('button', { name: words.keep });
      await keep.waitFor();
      await expect(page.locator('.safety-message').count()).resolves.toBe(0);
      // The keyboard lands on "Keep my answers"; Enter keeps them.
      await until(page, 'focus on "Keep my answers"', (name) => document.activeElement?.textContent?.trim() === name, words.keep);
      await expectAccessible(page, `player (${lang}), answers saved elsewhere, a crisis answer not saved`);
      await page.keyboard.press('Enter');

      // Saved onto the latest version: the crisis information, in her reading language, with focus on it; no notice left.
      const alert = page.locator('.safety-message[role="alert"]');
      await alert.getByText(words.crisis).waitFor();
      await expect(alert.locator('.safety-text').getAttribute('lang')).resolves.toBe(lang);
      await elsewhere.waitFor({ state: 'detached' });
      await until(page, 'saved', (re) => new RegExp(re).test(document.querySelector('.save-status')?.textContent ?? ''), words.saved.source);
      await until(page, 'focus on the crisis information', () => !!document.activeElement?.closest('.safety-message'));
      const [row] = await w.t.app.get(DataSource).query(`SELECT resource FROM questionnaire_response WHERE id = $1`, [draftId]);
      const flat = (items: QuestionnaireResponse['item']): NonNullable<QuestionnaireResponse['item']> => (items ?? []).flatMap((i) => [i, ...flat(i.item)]);
      const item9 = flat((row.resource as QuestionnaireResponse).item).find((i) => i.linkId === 'phq9-9');
      expect(item9?.answer?.map((a) => a.valueCoding?.code)).toEqual(['LA6569-3']);
    });
  }

  // The other screen SENT the form meanwhile: "Keep my answers" must not save a draft onto (or amend) what was sent.
  // Nothing is saved; the notice stays and says why, with "Open the latest saved answers" still there.
  it('does not save onto answers already sent from another screen, and says so', async () => {
    const { page } = await newPage(w);
    await standaloneLaunch(page, w, 'patient', 'Patient/sbx-pat-3', 'Patient/sbx-pat-3');
    await page.getByRole('heading', { name: 'Mis cuestionarios' }).waitFor();
    await page.goto(`${w.t.url}${PHQ9}`);
    for (let n = 1; n <= 8; n++) {
      await until(page, `question ${n}`, (k) => / (\d+) /.exec(document.querySelector('#player-progress-text')?.textContent ?? '')?.[1] === String(k), n);
      await page.getByRole('radio', { name: 'Ningún día' }).check();
      await page.getByRole('button', { name: 'Siguiente' }).click();
    }
    await until(page, 'question 9', () => / 9 /.test(document.querySelector('#player-progress-text')?.textContent ?? ''));
    await until(page, 'the draft saved', () => /^Respuestas guardadas a las /.test(document.querySelector('.save-status')?.textContent ?? ''));
    const draftId = new URL(page.url()).hash.match(/[?&]response=([^&]+)/)?.[1];
    expect(draftId).toBeTruthy();

    // Another screen resumes the draft, answers item 9 and sends the form.
    const other = await newPage(w);
    await standaloneLaunch(other.page, w, 'patient', 'Patient/sbx-pat-3', 'Patient/sbx-pat-3');
    await other.page.goto(`${w.t.url}/app/#/answer/phq-9?response=${draftId}&return=patient`);
    await other.page.getByRole('radio', { name: 'Ningún día' }).check();
    await other.page.getByRole('button', { name: 'Revisar respuestas' }).click();
    await onHeading(other.page, 'Revise sus respuestas');
    await other.page.getByRole('button', { name: 'Enviar respuestas' }).click();
    await onHeading(other.page, '¿Enviar sus respuestas ahora?');
    await other.page.getByRole('button', { name: 'Sí, enviar mis respuestas' }).click();
    await other.page.getByRole('heading', { name: 'Gracias: las respuestas se enviaron' }).waitFor();
    await other.context.close();
    const [before] = await w.t.app.get(DataSource).query(`SELECT status, resource FROM questionnaire_response WHERE id = $1`, [draftId]);

    // Here: item 9 answered; its save is refused; "Keep my answers" finds the form sent and saves nothing.
    await page.getByRole('radio', { name: 'Varios días' }).check();
    await page.getByRole('button', { name: 'Siguiente' }).click();
    const elsewhere = page.locator('.player .saved-elsewhere[role="alert"]');
    await elsewhere.getByRole('button', { name: 'Conservar mis respuestas' }).click();
    await elsewhere.getByText('Estas respuestas ya se enviaron desde otra pantalla. Abra las últimas respuestas guardadas para verlas.').waitFor();
    await elsewhere.getByRole('button', { name: 'Abrir las últimas respuestas guardadas' }).waitFor();
    const [after] = await w.t.app.get(DataSource).query(`SELECT status, resource FROM questionnaire_response WHERE id = $1`, [draftId]);
    expect(after.status).toBe('completed');
    expect(after.resource).toEqual(before.resource);
    await page.context().close();
  });

  it('says truthfully what a refused save means, and her list’s refusal as a list’s, never in the service’s words', async () => {
    const { page } = await newPage(w);
    await standaloneLaunch(page, w, 'patient', 'Patient/sbx-pat-3', 'Patient/sbx-pat-3');
    await page.getByRole('heading', { name: 'Mis cuestionarios' }).waitFor();
    const refuse = (status: number, diagnostics: string) => (route: Route) =>
      ['POST', 'PUT'].includes(route.request().method())
        ? route.fulfill({ status, contentType: 'application/fhir+json', body: JSON.stringify({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'forbidden', diagnostics }] }) })
        : route.continue();
    await page.goto(`${w.t.url}${PHQ9}`);
    await onHeading(page, 'Poco interés o placer en hacer cosas');
    // Refused (403): the next step would be refused the same way, so it is not promised; she is told what she can do.
    await page.route('**/api/questionnaire-responses**', refuse(403, 'Patient/sbx-pat-3 may not write QuestionnaireResponse for Patient/x (staff wording)'));
    await page.getByRole('radio', { name: 'Ningún día' }).check();
    await page.getByRole('button', { name: 'Siguiente' }).click();
    const refused =
      'No se guardó: Usted no puede responder este cuestionario por esta persona. Por favor, consulte a su equipo de atención. Las respuestas guardadas antes se conservan.';
    await until(page, 'the refused save', (text) => document.querySelector('.save-status')?.textContent?.trim() === text, refused);
    // A service that is down (503) is tried again at the next step, and says so.
    await page.unroute('**/api/questionnaire-responses**');
    await page.route('**/api/questionnaire-responses**', refuse(503, 'FHIR upstream timed out (staff wording)'));
    await page.getByRole('radio', { name: 'Ningún día' }).check();
    await page.getByRole('button', { name: 'Siguiente' }).click();
    const retried =
      'Aún sin guardar: El servicio no pudo hacerlo en este momento. Por favor, inténtelo de nuevo dentro de un momento. Sus respuestas siguen en esta pantalla; el siguiente paso lo intenta de nuevo.';
    await until(page, 'the save to try again', (text) => document.querySelector('.save-status')?.textContent?.trim() === text, retried);
    await expect(page.locator('#main').textContent()).resolves.not.toMatch(/staff wording|Patient\/x/);
    await page.unroute('**/api/questionnaire-responses**');

    // Her list refused (403): said of the list, not of "this questionnaire" or "this person", in Spanish.
    await page.route('**/api/questionnaire-assignments', (route) =>
      route.fulfill({ status: 403, contentType: 'application/fhir+json', body: JSON.stringify({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'forbidden', diagnostics: 'Role patient lacks scope patient/Task.read (staff wording)' }] }) }),
    );
    await page.goto(`${w.t.url}/app/#/forms`);
    await page.reload();
    const box = page.locator('.error-summary[role="alert"]');
    await box.locator('li').first().waitFor();
    await expect(box.locator('li').allTextContents()).resolves.toEqual([
      'Sus cuestionarios no se pueden mostrar con este inicio de sesión. Por favor, vuelva a entrar desde su expediente médico o consulte a su equipo de atención.',
    ]);
    await expect(box.textContent()).resolves.not.toMatch(/staff wording|scope|cuestionario por esta persona/);
    await expect(spanishFrame(page)).resolves.toEqual(SPANISH_FRAME('paciente'));
    await expectAccessible(page, 'my questionnaires refused, in Spanish');
  });

  it('shows the clinic’s English crisis text marked English when the clinic has none in Spanish', async () => {
    const settings = w.t.app.get<SafetyConfig>(safetyConfig.KEY);
    const before = { ...settings };
    const own = 'Call the clinic line on 0000 000 000 now, or your local emergency number. Your care team has been notified.';
    Object.assign(settings, { crisisMessage: own, crisisMessageEs: null });
    try {
      const { page } = await newPage(w);
      await standaloneLaunch(page, w, 'patient', 'Patient/sbx-pat-3', 'Patient/sbx-pat-3');
      await page.getByRole('heading', { name: 'Mis cuestionarios' }).waitFor();
      await page.goto(`${w.t.url}${PHQ9}`);
      for (let n = 1; n <= 9; n++) {
        await until(page, `question ${n}`, (k) => document.querySelector('#player-progress-text')?.textContent?.trim().startsWith(`Pregunta ${k} de `) ?? false, n);
        await page.getByRole('radio', { name: n === 9 ? 'Varios días' : 'Ningún día' }).check();
        await page.getByRole('button', { name: 'Siguiente' }).click();
      }
      const alert = page.locator('.safety-message[role="alert"]');
      await alert.getByText(own).waitFor();
      // Her screen is Spanish (the heading and button are the app's own words); the clinic's text is marked English.
      await expect(alert.locator('.safety-title').textContent()).resolves.toBe('Si necesita ayuda ahora');
      await expect(alert.locator('.safety-text').getAttribute('lang')).resolves.toBe('en');
      await expectAccessible(page, 'player in Spanish, the clinic’s English crisis text');
    } finally {
      Object.assign(settings, before);
    }
  });
});
