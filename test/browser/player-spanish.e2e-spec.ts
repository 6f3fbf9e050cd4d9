import type { QuestionnaireResponse } from 'fhir/r4.js';
import { DataSource } from 'typeorm';
import { DEFAULT_CRISIS_MESSAGE_ES } from '../../src/config/safety.config.js';
import { questionnaireUrl } from '../../src/questionnaires/engine/codes.js';
import { TimepointsService } from '../../src/questionnaires/timepoints/timepoints.service.js';
import { sandboxIssuer } from '../../src/sandbox/sandbox-registration.js';
import { RegistryService } from '../../src/smart/registry/registry.service.js';
import { describeInBrowser } from './support/chromium.js';
import { expectAccessible, screenshot } from './support/checks.js';
import type { Page } from 'playwright-core';
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

describeInBrowser('questionnaire player in Spanish (browser)', () => {
  let w: UiWorld;
  beforeAll(async () => {
    w = await startUi();
  });
  afterAll(async () => w?.close());

  it('opens in the patient’s language from the EHR, switches by keyboard, and stores the language', async () => {
    const { page } = await newPage(w);
    await ehrLaunch(page, w, 'Practitioner/sbx-prac-1', 'Patient/sbx-pat-3');
    await page.goto(`${w.t.url}${PHQ9}`);
    await page.getByRole('heading', { name: /^¿Quién responde las preguntas sobre/ }).waitFor();
    expect(await page.locator('.player').evaluate((el) => el.closest('[lang]')?.getAttribute('lang'))).toBe('es');

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
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('es');
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
    const refusedSave =
      'Aún sin guardar: Estas respuestas se cambiaron mientras tanto en otra pantalla. Vuelva a cargar la página para ver las más recientes. ' +
      'Sus respuestas siguen en esta pantalla; el siguiente paso lo intenta de nuevo.';
    await until(page, 'the refused save, in Spanish', (text) => document.querySelector('.save-status')?.textContent?.trim() === text, refusedSave);
    // Her submission from this screen is refused for the same reason, said the same way where the problems are listed.
    await page.getByRole('button', { name: 'Enviar respuestas' }).click();
    await page.getByRole('button', { name: 'Sí, enviar mis respuestas' }).click();
    await onHeading(page, 'Revise sus respuestas');
    const problems = page.locator('.review .error-summary[role="alert"]');
    await problems.getByRole('heading', { name: 'Algunas respuestas necesitan atención' }).waitFor();
    await expect(problems.locator('li').allTextContents()).resolves.toEqual([
      'Estas respuestas se cambiaron mientras tanto en otra pantalla. Vuelva a cargar la página para ver las más recientes.',
    ]);
    await expectAccessible(page, 'player in Spanish, a refused submission');
    await screenshot(page, 'player-spanish-refused');
    // The service's own words (English, for staff) reach neither line.
    await expect(page.locator('.player').textContent()).resolves.not.toMatch(/Someone else saved|reload it/);

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
});
