import type { Bundle, Communication, Observation, Provenance, QuestionnaireResponse, Task } from 'fhir/r4.js';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { OutboxWorker } from '../src/fhir/outbox.worker.js';
import { writeBackIds } from '../src/fhir/identifiers.js';
import { sandboxAccessToken } from './support/sandbox-auth.js';
import { signIn } from './support/sign-in.js';
import { createTestApp, type TestApp } from './support/test-app.js';
import { assignmentOf, COURSE_TIMEPOINTS, enrol } from './questionnaire-support/enrolment.js';
import { as, phqAnswers, phqResponse } from './questionnaire-support/questionnaire-api.js';

/**
 * End to end against the sandbox EHR, through the real path: outbox worker, backend-services token
 * (private_key_jwt against our JWKS over HTTP), FHIR transaction. A caregiver submits a PHQ-9 with item 9 > 0;
 * the EHR receives QR + Observation + Provenance exactly once, even when the same Bundle is sent again, and
 * the clinician's urgent Task and Communication.
 */
describe('questionnaire write-back to the sandbox EHR', () => {
  let t: TestApp;
  let token: string;
  const fhir = (path: string) => request(t.app.getHttpServer()).get(`/sandbox/fhir${path}`).set('Authorization', `Bearer ${token}`).expect(200);
  const search = async <T>(path: string) => ((await fhir(path)).body as Bundle).entry?.map((e) => e.resource as T) ?? [];

  beforeAll(async () => {
    t = await createTestApp({ listen: true, fhir: { outboxWorker: false } });
    token = await sandboxAccessToken(t.app.getHttpServer(), t.url, 'launch openid fhirUser user/*.cruds');
  });
  afterAll(async () => t?.close());

  it('receives the response, its score and its Provenance exactly once, and the safety Task and Communication', async () => {
    const caregiver = await signIn(t.app, { role: 'caregiver', patientId: 'sbx-pat-1', fhirUser: 'RelatedPerson/sbx-rp-1', issuer: `${t.url}/sandbox/fhir` });
    const enrolled = await enrol(t, { registrationId: caregiver.registrationId, patientId: 'sbx-pat-1', responsible: 'Practitioner/sbx-prac-1', timepoints: [COURSE_TIMEPOINTS[0]] });
    const form = assignmentOf(enrolled, 'Patient/sbx-pat-1', 'phq-9');
    const saved = await as(t, caregiver).post(`/api/questionnaire-responses?assignment=${form}`, phqResponse('Patient/sbx-pat-1', phqAnswers(2, 1))).expect(201);
    const id = saved.body.resource.id as string;
    const worker = t.app.get(OutboxWorker);
    await worker.drain();
    // The EHR's answer "got lost": the same Bundles go out again.
    await t.app.get(DataSource).query(`UPDATE outbox_entry SET status = 'pending', next_attempt_at = now()`);
    await worker.drain();
    const rows = await t.app.get(DataSource).query(`SELECT kind, status FROM outbox_entry ORDER BY seq`);
    expect(rows).toEqual(['questionnaire-task.scheduled', 'questionnaire-response.completed', 'safety-alert.raised'].map((kind) => ({ kind, status: 'delivered' })));

    const qrId = writeBackIds.response(id);
    const qrs = await search<QuestionnaireResponse>(`/QuestionnaireResponse?identifier=${encodeURIComponent(`${qrId.system}|${qrId.value}`)}`);
    expect(qrs).toHaveLength(1);
    expect(qrs[0]).toMatchObject({ status: 'completed', author: { reference: 'RelatedPerson/sbx-rp-1' }, source: { reference: 'Patient/sbx-pat-1' } });
    const scoreId = writeBackIds.score(id, 'phq9-total');
    const obs = await search<Observation>(`/Observation?identifier=${encodeURIComponent(`${scoreId.system}|${scoreId.value}`)}`);
    expect(obs).toHaveLength(1);
    expect(obs[0]).toMatchObject({ status: 'final', valueInteger: 17, derivedFrom: [{ reference: `QuestionnaireResponse/${qrs[0].id}` }] });
    const provenances = (await search<Provenance>('/Provenance?_count=500')).filter((p) => p.target.some((x) => x.reference === `QuestionnaireResponse/${qrs[0].id}`));
    expect(provenances).toHaveLength(1);
    expect(provenances[0].agent[0]).toMatchObject({ who: { reference: 'RelatedPerson/sbx-rp-1' }, onBehalfOf: { reference: 'Patient/sbx-pat-1' } });

    const tasks = await search<Task>('/Task?patient=sbx-pat-1&_count=500');
    expect(tasks.filter((x) => x.priority === 'urgent').map((x) => x.owner?.reference)).toEqual(['Practitioner/sbx-prac-1']);
    const closed = tasks.find((x) => x.identifier?.some((i) => i.value === form));
    expect(closed).toMatchObject({ status: 'completed', output: [{ valueReference: { reference: `QuestionnaireResponse/${qrs[0].id}` } }] });
    const comms = (await search<Communication>('/Communication?patient=sbx-pat-1&_count=500')).filter((c) => c.priority === 'urgent');
    expect(comms).toHaveLength(1);
    expect(comms[0].payload![0].contentString).toMatch(/^PHQ-9 item 9 answered > 0 on/);
  });
});
