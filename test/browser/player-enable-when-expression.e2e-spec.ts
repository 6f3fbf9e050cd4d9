import type { Extension, Questionnaire, QuestionnaireResponse } from 'fhir/r4.js';
import type { Page } from 'playwright-core';
import { QuestionnairesService } from '../../src/questionnaires/definitions/questionnaires.service.js';
import { EXT } from '../../src/questionnaires/engine/codes.js';
import { enabledItems } from '../../src/questionnaires/engine/enable-when.js';
import { sandboxIssuer } from '../../src/sandbox/sandbox-registration.js';
import { RegistryService } from '../../src/smart/registry/registry.service.js';
import { describeInBrowser } from './support/chromium.js';
import { expectAccessible } from './support/checks.js';
import { screenHeading } from './support/player.js';
import { newPage, standaloneLaunch, startUi, type UiWorld } from './support/ui-app.js';

// A clinic imports its own form whose condition is an SDC enableWhenExpression (FHIRPath), not an enableWhen. The
// player asks exactly the questions the server's engine enables, and the server accepts what it sends: the player
// runs that same engine (src/questionnaires/engine). A player that ignored the expression asked "How many hours…"
// after "No", insisted on an answer (the item is required), and the server refused the submission.

const PATIENT = 'Patient/sbx-pat-1';
const URL = 'https://clinic.example.org/fhir/Questionnaire/night-breathing';
const YES_NO = 'urn:clinic:yes-no';
const when = (expression: string): Extension => ({ url: EXT.enableWhenExpression, valueExpression: { language: 'text/fhirpath', expression } });
const TEXT = {
  niv: 'Do you use a breathing machine at night?',
  hours: 'How many hours a night do you use it?',
  sleep: 'How did you sleep last night?',
};

/** Synthetic: what a clinic's admin imports; the hours are asked only when the expression holds. */
const form: Questionnaire = {
  resourceType: 'Questionnaire', url: URL, version: '2026.1', status: 'active', title: 'Breathing at night', subjectType: ['Patient'],
  item: [
    {
      linkId: 'niv', text: TEXT.niv, type: 'choice', required: true,
      answerOption: [{ valueCoding: { system: YES_NO, code: 'yes', display: 'Yes' } }, { valueCoding: { system: YES_NO, code: 'no', display: 'No' } }],
    },
    { linkId: 'niv-hours', text: TEXT.hours, type: 'integer', required: true, extension: [when("%resource.item.where(linkId = 'niv').answer.value.code = 'yes'")] },
    { linkId: 'sleep', text: TEXT.sleep, type: 'string', required: true },
  ],
};

/** The questions the server's engine enables in a stored response, in form order, by their text. */
const enabledByServer = (qr: QuestionnaireResponse): string[] => {
  const enabled = enabledItems(form, qr);
  return (form.item ?? []).filter((i) => enabled.has(i.linkId)).map((i) => i.text ?? '');
};

const reviewed = async (page: Page): Promise<string[]> => (await page.locator('.review-list .review-q').allTextContents()).map((t) => t.trim());

async function next(page: Page, n: number, of: number, heading: string): Promise<void> {
  await page.getByText(`Question ${n} of ${of}`).waitFor();
  expect(await screenHeading(page)).toBe(heading);
}

/** Submits from the review; the thank-you page shows only when the server accepted the answers. Answers what it stored. */
async function submit(page: Page): Promise<QuestionnaireResponse> {
  await page.getByRole('button', { name: 'Submit answers' }).click();
  await page.getByRole('button', { name: 'Yes, send my answers' }).click();
  await page.getByRole('heading', { level: 1, name: 'Thank you — the answers were sent' }).waitFor();
  const id = /response=([0-9a-f-]{36})/.exec(page.url())?.[1];
  expect(id).toBeTruthy();
  return page.evaluate(async (rid) => (await fetch(`/api/questionnaire-responses/${rid}`)).json(), id!);
}

describeInBrowser('player: a clinic form with enableWhenExpression, decided as the server decides (browser)', () => {
  let w: UiWorld;

  beforeAll(async () => {
    w = await startUi();
    const registration = await w.t.app.get(RegistryService).findEnabledByIssuer(sandboxIssuer(w.t.url));
    await w.t.app.get(QuestionnairesService).import(form, { registrationId: registration!.id, actor: 'Practitioner/sbx-prac-1', actorRole: 'admin', requestId: null });
  }, 60_000);
  afterAll(async () => w?.close());

  async function openForm(): Promise<Page> {
    const { page } = await newPage(w);
    await standaloneLaunch(page, w, 'patient', PATIENT, PATIENT);
    await page.goto(`${w.t.url}/app/#/answer/night-breathing?subject=${PATIENT}&return=forms`);
    await next(page, 1, 2, TEXT.niv);
    return page;
  }

  it('after "No" never asks what the expression disables; the server accepts the answers and enables the same questions', async () => {
    const page = await openForm();
    await page.getByRole('radio', { name: 'No' }).check();
    await page.getByRole('button', { name: 'Next' }).click();
    await next(page, 2, 2, TEXT.sleep);
    await page.getByLabel('Your answer').fill('Well, with two pillows');
    await page.getByRole('button', { name: 'Review answers' }).click();
    await page.getByRole('heading', { name: 'Check your answers' }).waitFor();
    expect(await reviewed(page)).toEqual([TEXT.niv, TEXT.sleep]);
    await expectAccessible(page, 'player review, imported form');
    const stored = await submit(page);
    expect(stored).toMatchObject({ resourceType: 'QuestionnaireResponse', status: 'completed', questionnaire: `${URL}|2026.1` });
    expect(stored.item?.map((i) => i.linkId)).toEqual(['niv', 'sleep']);
    expect(enabledByServer(stored)).toEqual([TEXT.niv, TEXT.sleep]);
  });

  it('after "Yes" asks the hours; changing the answer to "No" drops them, and the server accepts what is left', async () => {
    const page = await openForm();
    await page.getByRole('radio', { name: 'Yes' }).check();
    await page.getByRole('button', { name: 'Next' }).click();
    // Shown at once, before anything reached the server: the player evaluates the expression itself.
    await next(page, 2, 3, TEXT.hours);
    await page.getByLabel('Your answer').fill('7');
    await page.getByRole('button', { name: 'Next' }).click();
    await next(page, 3, 3, TEXT.sleep);
    await page.getByLabel('Your answer').fill('Woke twice');
    await page.getByRole('button', { name: 'Review answers' }).click();
    await page.getByRole('heading', { name: 'Check your answers' }).waitFor();
    expect(await reviewed(page)).toEqual([TEXT.niv, TEXT.hours, TEXT.sleep]);

    await page.getByRole('button', { name: 'Change answer to question 1' }).click();
    await page.getByRole('radio', { name: 'No' }).check();
    await page.getByRole('button', { name: 'Back to review' }).click();
    await page.getByRole('heading', { name: 'Check your answers' }).waitFor();
    expect(await reviewed(page)).toEqual([TEXT.niv, TEXT.sleep]);
    const stored = await submit(page);
    expect(stored.status).toBe('completed');
    expect(stored.item?.map((i) => i.linkId)).toEqual(['niv', 'sleep']);
    expect(enabledByServer(stored)).toEqual([TEXT.niv, TEXT.sleep]);
  });
});
