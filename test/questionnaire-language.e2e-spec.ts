import type { Questionnaire, QuestionnaireResponse } from 'fhir/r4.js';
import { DataSource } from 'typeorm';
import { DEFAULT_CRISIS_MESSAGE, DEFAULT_CRISIS_MESSAGE_ES, loadSafetyConfig, safetyConfig, type SafetyConfig } from '../src/config/safety.config.js';
import { ScoreLanguage1795000063000 } from '../migrations/1795000063000-score-language.js';
import { phq9 } from '../src/questionnaires/engine/instruments/phq9.js';
import { buildResponse, type AnswerInput } from '../src/questionnaires/engine/response-builder.js';
import { localize } from '../src/questionnaires/engine/translations/translate.js';
import { r4SchemaErrors } from './support/fhir-r4-schema.js';
import { signIn, type SignedIn } from './support/sign-in.js';
import { createTestApp, type TestApp } from './support/test-app.js';
import { as, outboxBundles, phqAnswers, phqResponse, resourcesOf } from './questionnaire-support/questionnaire-api.js';

/**
 * A Spanish-speaking patient answers the PHQ-9 in Spanish on their own (issue 15): the served form carries its
 * Spanish wording as FHIR translation extensions; the response records language 'es' — in the stored resource,
 * its column, the reports' read-model view and what is written back — and scores exactly as in English.
 */
describe('a PHQ-9 answered in Spanish', () => {
  let t: TestApp;
  let patient: SignedIn;
  let served: Questionnaire;
  let spanish: { resource: QuestionnaireResponse; scores: { linkId: string; value: number }[] };
  let english: { resource: QuestionnaireResponse; scores: { linkId: string; value: number }[] };

  beforeAll(async () => {
    t = await createTestApp({ fhir: { outboxWorker: false } });
    patient = await signIn(t.app, { role: 'patient', patientId: 'pat-7', fhirUser: 'Patient/pat-7' });
    served = (await as(t, patient).get('/api/questionnaires/phq-9').expect(200)).body;
    const { questionnaire: es, translated } = localize(served, 'es');
    expect(translated).toBe(true);
    const answers = { ...phqAnswers(2, 0), 'phq9-3': 1 };
    const body = { ...buildResponse({ ...phq9, questionnaire: es }, answers, { subject: { reference: 'Patient/pat-7' } }), language: 'es' };
    spanish = (await as(t, patient).post('/api/questionnaire-responses', body).expect(201)).body;
    english = (await as(t, patient).post('/api/questionnaire-responses', phqResponse('Patient/pat-7', answers)).expect(201)).body;
  });
  afterAll(async () => t?.close());

  it('serves the form with its Spanish wording as translation extensions, valid R4', () => {
    expect(served.url).toBe(phq9.questionnaire.url);
    const item1 = served.item!.find((i) => i.linkId === 'phq9-1')!;
    expect(item1.text).toBe('Little interest or pleasure in doing things');
    expect(JSON.stringify(item1._text)).toContain('Poco interés o placer en hacer cosas');
    expect(r4SchemaErrors(served)).toEqual([]);
  });

  it('records the language on the stored response and scores it as the English one', () => {
    expect(spanish.resource.language).toBe('es');
    expect(english.resource.language).toBe('en');
    expect(spanish.resource.item!.find((i) => i.linkId === 'phq9-1')!.text).toBe('Poco interés o placer en hacer cosas');
    expect(spanish.scores).toEqual(english.scores);
    expect(spanish.scores[0]).toMatchObject({ linkId: 'phq9-total', value: 15 });
    expect(r4SchemaErrors(spanish.resource)).toEqual([]);
  });

  it('keeps the language in its column, the reports’ view and the write-back', async () => {
    const ds = t.app.get(DataSource);
    const rows = await ds.query(`SELECT response_id, language FROM questionnaires_report_response_languages WHERE response_id = ANY($1) ORDER BY language`, [[spanish.resource.id, english.resource.id]]);
    expect(rows).toEqual([{ response_id: english.resource.id, language: 'en' }, { response_id: spanish.resource.id, language: 'es' }]);
    const [bundle] = await outboxBundles(t, 'questionnaire-response.completed', spanish.resource.id);
    expect(resourcesOf<QuestionnaireResponse>(bundle, 'QuestionnaireResponse')[0].language).toBe('es');
  });

  // The report reads a score's language from its own row (issue 14: probing each score's response cost most of the
  // report's time); migration 1795000063000 gave existing rows their response's language.
  const scoreLanguages = async (ds: DataSource) =>
    (await ds.query(
      `SELECT s.response_id, s.language AS tag, v.language FROM questionnaire_score s JOIN questionnaires_report_scores v ON v.response_id = s.response_id AND v.link_id = s.link_id
       WHERE s.response_id = ANY($1) ORDER BY s.language, s.link_id`,
      [[spanish.resource.id, english.resource.id]],
    )) as { response_id: string; tag: string; language: string }[];
  it("keeps the language on each score row and in the reports' score view", async () => {
    const rows = await scoreLanguages(t.app.get(DataSource));
    expect(rows.length).toBeGreaterThanOrEqual(2);
    for (const r of rows) expect(r).toEqual(r.response_id === spanish.resource.id ? { response_id: r.response_id, tag: 'es', language: 'es' } : { response_id: r.response_id, tag: 'en', language: 'en' });
    expect(new Set(rows.map((r) => r.response_id))).toEqual(new Set([spanish.resource.id, english.resource.id]));
  });

  it('an amendment in another language rewrites its score rows in that language', async () => {
    const clinician = await signIn(t.app, { role: 'clinician', fhirUser: 'Practitioner/clin-l1', patientId: 'pat-7' });
    const first = (await as(t, clinician).post('/api/questionnaire-responses', phqResponse('Patient/pat-7', phqAnswers(1, 0))).expect(201)).body;
    const { questionnaire: es } = localize(served, 'es');
    const amended = { ...buildResponse({ ...phq9, questionnaire: es }, phqAnswers(2, 0), { status: 'amended', subject: { reference: 'Patient/pat-7' } }), language: 'es-US' };
    await as(t, clinician).put(`/api/questionnaire-responses/${first.resource.id}`, amended, 'W/"1"').expect(200);
    const rows = (await t.app.get(DataSource).query(
      `SELECT s.language AS tag, v.language FROM questionnaire_score s JOIN questionnaires_report_scores v ON v.response_id = s.response_id AND v.link_id = s.link_id WHERE s.response_id = $1`,
      [first.resource.id],
    )) as { tag: string; language: string }[];
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.tag === 'es-US' && r.language === 'es')).toBe(true);
  });

  it('migration 1795000063000 gives the score rows of earlier responses their response’s language (down, then up)', async () => {
    const ds = t.app.get(DataSource);
    const before = await scoreLanguages(ds);
    // A region subtag on the response: the row keeps the tag, the view gives the language.
    await ds.query(`UPDATE questionnaire_response SET language = 'es-US' WHERE id = $1`, [spanish.resource.id]);
    const qr = ds.createQueryRunner();
    try {
      await new ScoreLanguage1795000063000().down(qr);
      expect(await qr.query(`SELECT count(*)::int AS n FROM information_schema.columns WHERE table_name = 'questionnaire_score' AND column_name = 'language' AND table_schema = current_schema()`)).toEqual([{ n: 0 }]);
      await new ScoreLanguage1795000063000().up(qr);
    } finally {
      await qr.query(`UPDATE questionnaire_response SET language = 'es' WHERE id = $1`, [spanish.resource.id]);
      await qr.release();
    }
    const after = await scoreLanguages(ds);
    expect(after.map((r) => ({ ...r, tag: r.tag === 'es-US' ? 'es' : r.tag }))).toEqual(before);
    expect(after.filter((r) => r.response_id === spanish.resource.id).every((r) => r.tag === 'es-US' && r.language === 'es')).toBe(true);
  });

  it('refuses a language the module does not offer, and keeps a draft’s language when a save omits it', async () => {
    const refused = await as(t, patient).post('/api/questionnaire-responses', { ...phqResponse('Patient/pat-7', phqAnswers(1)), language: 'klingon' });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body)).toContain('QuestionnaireResponse.language');
    const draft = await as(t, patient).post('/api/questionnaire-responses', { ...phqResponse('Patient/pat-7', { 'phq9-1': 1 }, 'in-progress'), language: 'es-US' }).expect(201);
    expect(draft.body.resource.language).toBe('es-US');
    const again = await as(t, patient).put(`/api/questionnaire-responses/${draft.body.resource.id}`, phqResponse('Patient/pat-7', { 'phq9-1': 2 }, 'in-progress'), 'W/"1"').expect(200);
    expect(again.body.resource.language).toBe('es-US');
  });

  it('refuses Spanish for a form that has no Spanish version (WHO-5)', async () => {
    const who5 = (await as(t, patient).get('/api/questionnaires/who-5').expect(200)).body as Questionnaire;
    const body = { resourceType: 'QuestionnaireResponse', questionnaire: `${who5.url}|${who5.version}`, status: 'in-progress', subject: { reference: 'Patient/pat-7' }, language: 'es' };
    const refused = await as(t, patient).post('/api/questionnaire-responses', body).expect(400);
    expect(refused.body.resourceType).toBe('OperationOutcome');
    expect(JSON.stringify(refused.body)).toContain('QuestionnaireResponse.language');
    const english = await as(t, patient).post('/api/questionnaire-responses', { ...body, language: undefined }).expect(201);
    expect(english.body.resource.language).toBe('en');
  });
});

/**
 * The clinic's crisis information in the language the answers were given in (issue 15): a Spanish PHQ-9 whose item 9
 * is endorsed is answered with the Spanish text (`es`, `es-US`), on a draft as on a submission, and says which
 * language it is in; an English one with the English text. The clinic's own Spanish text replaces the built-in one.
 */
describe('crisis information in the response’s language', () => {
  let t: TestApp;
  let patient: SignedIn;
  let spanishForm: Questionnaire;
  // The settings the service holds (one object): a test changes the clinic's Spanish text as a restart would.
  const settings: SafetyConfig = { ...loadSafetyConfig({}), escalationWorker: false };
  const inSpanish = (answers: Record<string, AnswerInput>, language: string, status: QuestionnaireResponse['status'] = 'completed') =>
    ({ ...buildResponse({ ...phq9, questionnaire: spanishForm }, answers, { status, subject: { reference: 'Patient/pat-9' } }), language });

  const BOTH = [{ text: DEFAULT_CRISIS_MESSAGE, language: 'en' }, { text: DEFAULT_CRISIS_MESSAGE_ES, language: 'es' }];

  beforeAll(async () => {
    t = await createTestApp({ fhir: { outboxWorker: false }, overrides: [{ provide: safetyConfig.KEY, useValue: settings }] });
    patient = await signIn(t.app, { role: 'patient', patientId: 'pat-9', fhirUser: 'Patient/pat-9' });
    const served = (await as(t, patient).get('/api/questionnaires/phq-9').expect(200)).body as Questionnaire;
    spanishForm = localize(served, 'es').questionnaire;
  });
  afterAll(async () => t?.close());

  it('answers a Spanish response with the Spanish text (es, es-US), draft and submission, and names its language', async () => {
    expect(settings.crisisMessageEs).toBe(DEFAULT_CRISIS_MESSAGE_ES);
    const draft = await as(t, patient).post('/api/questionnaire-responses', inSpanish({ 'phq9-9': 1 }, 'es-US', 'in-progress')).expect(201);
    expect(draft.body).toMatchObject({ safetyMessage: DEFAULT_CRISIS_MESSAGE_ES, safetyMessageLanguage: 'es' });
    expect(draft.body.safetyMessages).toEqual(BOTH);
    // The submission names no language: the draft's es-US is kept, and so is the Spanish text.
    const { language: _kept, ...unnamed } = inSpanish(phqAnswers(0, 2), 'es-US');
    const submitted = await as(t, patient).put(`/api/questionnaire-responses/${draft.body.resource.id}`, unnamed, 'W/"1"').expect(200);
    expect(submitted.body.resource.language).toBe('es-US');
    expect(submitted.body).toMatchObject({ safetyMessage: DEFAULT_CRISIS_MESSAGE_ES, safetyMessageLanguage: 'es' });
    const es = await as(t, patient).post('/api/questionnaire-responses', inSpanish(phqAnswers(1, 3), 'es')).expect(201);
    expect(es.body).toMatchObject({ safetyMessage: DEFAULT_CRISIS_MESSAGE_ES, safetyMessageLanguage: 'es' });
  });

  it('answers an English response in English, and a save that triggers no crisis rule with neither', async () => {
    const en = await as(t, patient).post('/api/questionnaire-responses', phqResponse('Patient/pat-9', phqAnswers(0, 1))).expect(201);
    expect(en.body).toMatchObject({ safetyMessage: DEFAULT_CRISIS_MESSAGE, safetyMessageLanguage: 'en' });
    // The form's language is not always the reader's: the save carries the text in both, for the screen to choose.
    expect(en.body.safetyMessages).toEqual(BOTH);
    const none = await as(t, patient).post('/api/questionnaire-responses', inSpanish(phqAnswers(2, 0), 'es')).expect(201);
    expect(none.body).toMatchObject({ safetyMessage: null, safetyMessageLanguage: null, safetyMessages: [] });
  });

  it('answers the clinic’s own Spanish text; with only its own English text, that text marked English', async () => {
    const own = 'Llame ahora a la línea de la clínica o a su número de emergencias. Se ha avisado a su equipo de atención.';
    const ownEnglish = 'Call the clinic line now, or your local emergency number. Your care team has been notified.';
    try {
      Object.assign(settings, { crisisMessageEs: own });
      const es = await as(t, patient).post('/api/questionnaire-responses', inSpanish({ 'phq9-9': 1 }, 'es', 'in-progress')).expect(201);
      expect(es.body).toMatchObject({ safetyMessage: own, safetyMessageLanguage: 'es' });
      expect(es.body.safetyMessages).toEqual([{ text: DEFAULT_CRISIS_MESSAGE, language: 'en' }, { text: own, language: 'es' }]);
      Object.assign(settings, loadSafetyConfig({ SAFETY_CRISIS_MESSAGE: ownEnglish }), { escalationWorker: false });
      const fallback = await as(t, patient).post('/api/questionnaire-responses', inSpanish({ 'phq9-9': 1 }, 'es', 'in-progress')).expect(201);
      expect(fallback.body).toMatchObject({ safetyMessage: ownEnglish, safetyMessageLanguage: 'en' });
      // No Spanish text: none is made up; the screen shows the English one, marked English.
      expect(fallback.body.safetyMessages).toEqual([{ text: ownEnglish, language: 'en' }]);
      // The default English text written out in the deployment's settings is still the default: Spanish is kept.
      Object.assign(settings, loadSafetyConfig({ SAFETY_CRISIS_MESSAGE: DEFAULT_CRISIS_MESSAGE }), { escalationWorker: false });
      const restated = await as(t, patient).post('/api/questionnaire-responses', inSpanish({ 'phq9-9': 1 }, 'es', 'in-progress')).expect(201);
      expect(restated.body).toMatchObject({ safetyMessage: DEFAULT_CRISIS_MESSAGE_ES, safetyMessageLanguage: 'es', safetyMessages: BOTH });
    } finally {
      Object.assign(settings, loadSafetyConfig({}), { escalationWorker: false });
    }
  });
});

/** A clinic's form in another language (French, Canada) is answered and saved in its own language. */
describe('a clinic’s form in French', () => {
  let t: TestApp;
  const URL = 'https://clinic.example.org/fhir/Questionnaire/humeur';
  const body = (language?: string) => ({
    resourceType: 'QuestionnaireResponse', questionnaire: `${URL}|1`, status: 'completed', subject: { reference: 'Patient/pat-8' },
    ...(language !== undefined && { language }), item: [{ linkId: 'h-1', answer: [{ valueString: 'Bien' }] }],
  });

  beforeAll(async () => {
    t = await createTestApp({ fhir: { outboxWorker: false } });
    const admin = await signIn(t.app, { role: 'admin' });
    const questionnaire = { resourceType: 'Questionnaire', url: URL, version: '1', status: 'active', language: 'fr-CA', title: 'Humeur', subjectType: ['Patient'], item: [{ linkId: 'h-1', text: 'Comment allez-vous ?', type: 'string' }] };
    await as(t, admin).post('/api/questionnaires', { questionnaire }).expect(201);
  });
  afterAll(async () => t?.close());

  it('records the form’s own language, sent or not, and refuses one it has no version in', async () => {
    const patient = await signIn(t.app, { role: 'patient', patientId: 'pat-8', fhirUser: 'Patient/pat-8' });
    const sent = await as(t, patient).post('/api/questionnaire-responses', body('fr-CA')).expect(201);
    expect(sent.body.resource.language).toBe('fr-CA');
    const defaulted = await as(t, patient).post('/api/questionnaire-responses', body()).expect(201);
    expect(defaulted.body.resource.language).toBe('fr-CA');
    for (const language of ['es', 'en']) {
      const refused = await as(t, patient).post('/api/questionnaire-responses', body(language)).expect(400);
      expect(JSON.stringify(refused.body)).toContain('QuestionnaireResponse.language');
    }
    const ds = t.app.get(DataSource);
    const rows = await ds.query(`SELECT language FROM questionnaire_response WHERE id = $1`, [sent.body.resource.id]);
    expect(rows).toEqual([{ language: 'fr-CA' }]);
  });
});
