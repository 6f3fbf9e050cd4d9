import type { Bundle, Observation } from 'fhir/r4.js';
import { DataSource } from 'typeorm';
import { r4SchemaErrors } from './support/fhir-r4-schema.js';
import { signIn, type SignedIn } from './support/sign-in.js';
import { createTestApp, type TestApp } from './support/test-app.js';
import { as, auditActions, outboxBundles, phqAnswers, phqResponse, resourcesOf } from './questionnaire-support/questionnaire-api.js';
import { BREATHING_URL, breathingCheck } from './questionnaire-support/sdc-forms.js';
import { WHO5_ITEM_IDS, who5 } from '../src/questionnaires/engine/instruments/who5.js';
import { buildResponse } from '../src/questionnaires/engine/response-builder.js';

const option = (code: string) => breathingCheck.item![0].answerOption!.find((o) => o.valueCoding!.code === code)!.valueCoding!;

/**
 * SDC `$extract`: the transaction Bundle a submitted response is written to the EHR as, with its Observations from
 * the Questionnaire's own extraction definitions — for a built-in (PHQ-9) and for a clinic's imported form — and
 * nothing written, stored or queued by asking.
 */
describe('POST /api/questionnaire-responses/{id}/$extract', () => {
  let t: TestApp;
  let clinician: SignedIn;
  let admin: SignedIn;
  const extract = (who: SignedIn, id: string) => as(t, who).post(`/api/questionnaire-responses/${id}/$extract`, {});
  const outboxCount = async () => (await t.app.get(DataSource).query(`SELECT count(*)::int AS n FROM outbox_entry`))[0].n as number;

  beforeAll(async () => {
    t = await createTestApp({ fhir: { outboxWorker: false } });
    clinician = await signIn(t.app, { role: 'clinician', patientId: 'pat-x1', fhirUser: 'Practitioner/clin-x1' });
    admin = await signIn(t.app, { role: 'admin' });
  });
  afterAll(async () => t?.close());

  it('answers the very Bundle queued for a built-in form (PHQ-9), first submission and amendment, writing nothing', async () => {
    const saved = await as(t, clinician).post('/api/questionnaire-responses', phqResponse('Patient/pat-x1', phqAnswers(2, 0))).expect(201);
    const id = saved.body.resource.id as string;
    const before = await outboxCount();
    const res = await extract(clinician, id).expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/fhir\+json/);
    const [queued] = await outboxBundles(t, 'questionnaire-response.completed', id);
    expect(res.body).toEqual(queued);
    const [obs] = resourcesOf<Observation>(res.body as Bundle, 'Observation');
    expect(obs).toMatchObject({ status: 'final', valueInteger: 16, code: { coding: [{ system: 'http://loinc.org', code: '44261-6' }] } });
    expect(await outboxCount()).toBe(before);
    expect(await auditActions(t, id)).toContain('questionnaire-response.extract');

    const amended = await as(t, clinician).put(`/api/questionnaire-responses/${id}`, { ...phqResponse('Patient/pat-x1', phqAnswers(1, 0)), id }, 'W/"1"').expect(200);
    expect(amended.body.resource.status).toBe('amended');
    const again = await extract(clinician, id).expect(200);
    const [queuedAmendment] = await outboxBundles(t, 'questionnaire-response.amended', id);
    expect(again.body).toEqual(queuedAmendment);
    expect(resourcesOf<Observation>(again.body as Bundle, 'Observation')[0]).toMatchObject({ status: 'amended', valueInteger: 8 });
  });

  it('answers a version queued by an older release as it was queued, and rebuilds it once the queue no longer holds it', async () => {
    const saved = await as(t, clinician).post('/api/questionnaire-responses', phqResponse('Patient/pat-x1', phqAnswers(1, 0))).expect(201);
    const id = saved.body.resource.id as string;
    const ds = t.app.get(DataSource);
    const [built] = await outboxBundles(t, 'questionnaire-response.completed', id);
    // As an older release queued it: its Provenance under that release's identifier rule.
    const older = structuredClone(built) as Bundle;
    const provenance = older.entry!.find((e) => e.resource?.resourceType === 'Provenance')!;
    provenance.request!.ifNoneExist = 'identifier=urn:older-rule|1';
    await ds.query(`UPDATE outbox_entry SET bundle = $2 WHERE business_key = $1`, [`questionnaire-response:${id}:v1`, older]);
    expect((await extract(clinician, id).expect(200)).body).toEqual(older);
    // Gone from the queue (delivered long ago and cleared): built again by today's rules.
    await ds.query(`DELETE FROM outbox_entry WHERE business_key = $1`, [`questionnaire-response:${id}:v1`]);
    expect((await extract(clinician, id).expect(200)).body).toEqual(built);
  });

  it('withdraws, on amendment, a score an earlier rule wrote that the Questionnaire no longer extracts (WHO-5 raw score)', async () => {
    const who5Response = (weight: number) => buildResponse(who5, Object.fromEntries(WHO5_ITEM_IDS.map((i) => [i, weight])), { status: 'completed', subject: { reference: 'Patient/pat-x1' } });
    const saved = await as(t, clinician).post('/api/questionnaire-responses', who5Response(3)).expect(201);
    const id = saved.body.resource.id as string;
    // As submitted before SDC extraction: the raw score was stored (and written) too.
    const ds = t.app.get(DataSource);
    await ds.query(
      `INSERT INTO questionnaire_score (response_id, response_version, registration_id, patient_id, subject_type, subject_id, enrolment_id, timepoint, answer_mode, language, instrument, instrument_url, link_id, code_system, code, value, unit, authored)
       SELECT response_id, response_version, registration_id, patient_id, subject_type, subject_id, enrolment_id, timepoint, answer_mode, language, instrument, instrument_url, 'who5-raw', code_system, 'who5-raw', 15, '{score}', authored
       FROM questionnaire_score WHERE response_id = $1 AND link_id = 'who5-total'`,
      [id],
    );
    await as(t, clinician).put(`/api/questionnaire-responses/${id}`, { ...who5Response(2), id }, 'W/"1"').expect(200);
    const [bundle] = await outboxBundles(t, 'questionnaire-response.amended', id);
    const observations = resourcesOf<Observation>(bundle, 'Observation');
    expect(observations).toEqual([
      expect.objectContaining({ status: 'amended', valueInteger: 40 }),
      expect.objectContaining({ status: 'entered-in-error', code: { coding: [expect.objectContaining({ code: 'who5-raw' })] } }),
    ]);
    expect(r4SchemaErrors(bundle)).toEqual([]);
  });

  it("extracts a clinic's imported form as its SDC definitions say: the coded answers and the score, with their categories and units", async () => {
    await as(t, admin).post('/api/questionnaires', breathingCheck).expect(201);
    const canonical = `${BREATHING_URL}|2026.3`;
    const qr = {
      resourceType: 'QuestionnaireResponse', questionnaire: canonical, status: 'completed', subject: { reference: 'Patient/pat-x1' },
      item: [
        { linkId: 'br-1', answer: [{ valueCoding: option('some') }] },
        { linkId: 'br-2', answer: [{ valueCoding: option('a-lot') }] },
        { linkId: 'br-weight', answer: [{ valueDecimal: 61.4 }] },
        { linkId: 'br-note', answer: [{ valueString: 'Synthetic note that stays in the response' }] },
      ],
    };
    const saved = await as(t, clinician).post('/api/questionnaire-responses', qr).expect(201);
    const id = saved.body.resource.id as string;
    const res = await extract(clinician, id).expect(200);
    const [queued] = await outboxBundles(t, 'questionnaire-response.completed', id);
    expect(res.body).toEqual(queued);
    const observations = resourcesOf<Observation>(res.body as Bundle, 'Observation');
    // br-1 has no code (not extracted), br-note says false: br-2, the total and the weight.
    expect(observations.map((o) => o.code.coding![0].code)).toEqual(['dyspnoea-talking', 'breathing-total', '29463-7']);
    const [talking, total, weight] = observations;
    expect(talking).toMatchObject({ valueCodeableConcept: { coding: [{ system: 'urn:clinic:breathing', code: 'a-lot' }] }, category: [{ coding: [{ code: 'survey' }] }] });
    expect(total).toMatchObject({ valueInteger: 3, subject: { reference: 'Patient/pat-x1' }, performer: [{ reference: 'Patient/pat-x1' }] });
    expect(weight).toMatchObject({ valueQuantity: { value: 61.4, unit: 'kg', system: 'http://unitsofmeasure.org', code: 'kg' }, category: [{ coding: [{ code: 'vital-signs' }] }] });
    expect(r4SchemaErrors(res.body)).toEqual([]);
  });

  it('answers an OperationOutcome for a draft, an unknown response and a bad id; only to those who may read the response', async () => {
    const draft = await as(t, clinician).post('/api/questionnaire-responses', phqResponse('Patient/pat-x1', { 'phq9-1': 1 }, 'in-progress')).expect(201);
    const refused = await extract(clinician, draft.body.resource.id).expect(409);
    expect(refused.body).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ details: { coding: [{ code: 'QUESTIONNAIRES.NOT_COMPLETED' }] } }] });
    const unknown = await extract(clinician, '00000000-0000-4000-8000-000000000000').expect(404);
    expect(unknown.body.resourceType).toBe('OperationOutcome');
    await extract(clinician, 'not-a-uuid').expect(400);
    // Without the `$` the route does not exist: the operation's name is matched literally.
    await as(t, clinician).post(`/api/questionnaire-responses/${draft.body.resource.id}/extract`, {}).expect(404);

    const submitted = await as(t, clinician).post('/api/questionnaire-responses', phqResponse('Patient/pat-x1', phqAnswers(0))).expect(201);
    const otherClinician = await signIn(t.app, { role: 'clinician', patientId: 'pat-x2' });
    const coordinator = await signIn(t.app, { role: 'coordinator' });
    await extract(otherClinician, submitted.body.resource.id).expect(403);
    await extract(coordinator, submitted.body.resource.id).expect(403);
    await extract(admin, submitted.body.resource.id).expect(403);
    const patient = await signIn(t.app, { role: 'patient', patientId: 'pat-x1', fhirUser: 'Patient/pat-x1' });
    await extract(patient, submitted.body.resource.id).expect(200);
  });
});
