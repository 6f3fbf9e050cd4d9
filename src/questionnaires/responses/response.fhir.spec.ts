import type { Bundle, Observation, Provenance, QuestionnaireResponse, Task } from 'fhir/r4.js';
import { r4SchemaErrors } from '../../../test/support/fhir-r4-schema.js';
import { referenceTo } from '../../fhir/business-identifier.js';
import { assessResponse } from '../engine/assessment.js';
import { PHQ9_ITEM_IDS, phq9 } from '../engine/instruments/phq9.js';
import { scsSf } from '../engine/instruments/scs-sf.js';
import { buildResponse } from '../engine/response-builder.js';
import { questionnaireTask } from '../timepoints/assignment.fhir.js';
import { writeBackIds } from '../../fhir/identifiers.js';
import type { Answering } from './answering.rules.js';
import { extractObservations } from '../engine/extraction.js';
import { responseDocument } from './response-document.js';
import { responseWriteBackBundle, SDC_QR_PROFILE } from './response.fhir.js';

const ID = '6f1c1c52-5d1e-4c1e-9a44-3f7e2f0c0a01';
const AUTHORED = new Date('2026-03-02T10:15:00.000Z');
const caregiverEntered: Answering = { subjectType: 'Patient', subjectId: 'p1', patientId: 'p1', author: 'RelatedPerson/rp1', source: 'Patient/p1', mode: 'caregiver-entered' };

function submitted(answers: Record<string, number>, answering = caregiverEntered, definition = phq9, encounter: string | null = null) {
  const items = buildResponse(definition, answers).item;
  const doc = responseDocument({ id: ID, questionnaire: 'x', status: 'completed', answering, authored: AUTHORED, enrolmentId: 'e1', version: 2, lastUpdated: AUTHORED, items, language: 'en', encounter });
  doc.questionnaire = `${definition.questionnaire.url}|${definition.questionnaire.version}`;
  const { response } = assessResponse(definition, doc);
  return { response, written: extractObservations(definition, response) };
}

const byType = <T>(b: Bundle, type: string) => b.entry!.filter((e) => e.resource!.resourceType === type).map((e) => e.resource as T);
const phq = (weight: number, item9 = weight) => Object.fromEntries(PHQ9_ITEM_IDS.map((id) => [id, id === 'phq9-9' ? item9 : weight]));

describe('the response write-back Bundle', () => {
  it('holds the SDC QuestionnaireResponse, one final survey Observation per score, and a Provenance, valid R4', () => {
    const { response, written } = submitted(phq(2, 1));
    const task = questionnaireTask({ assignmentId: 'a1', patientId: 'p1', subjectType: 'Patient', subjectId: 'p1', questionnaire: response.questionnaire!, timepoint: 'baseline', dueFrom: '2026-02-16', dueUntil: '2026-03-02', enrolmentId: 'e1', authoredOn: '2026-02-01T09:00:00.000Z' }, 'completed', referenceTo(writeBackIds.response(ID)));
    const b = responseWriteBackBundle({ responseId: ID, response, patientId: 'p1', observations: written, amendment: false, completedTask: { assignmentId: 'a1', task }, recorded: '2026-03-02T10:15:01.000Z' });
    expect(r4SchemaErrors(b)).toEqual([]);
    expect(b.entry!.map((e) => e.resource!.resourceType)).toEqual(['QuestionnaireResponse', 'Observation', 'Task', 'Provenance']);
    const [qr] = byType<QuestionnaireResponse>(b, 'QuestionnaireResponse');
    expect(qr.id).toBeUndefined();
    expect(qr.meta).toEqual({ profile: [SDC_QR_PROFILE] });
    expect(qr).toMatchObject({ status: 'completed', authored: AUTHORED.toISOString(), author: { reference: 'RelatedPerson/rp1' }, source: { reference: 'Patient/p1' }, subject: { reference: 'Patient/p1' } });
    expect(qr.basedOn![0]).toMatchObject({ type: 'CarePlan', identifier: writeBackIds.carePlan('e1') });
    const [obs] = byType<Observation>(b, 'Observation');
    expect(obs).toMatchObject({ status: 'final', valueInteger: 17, effectiveDateTime: AUTHORED.toISOString(), subject: { reference: 'Patient/p1' } });
    expect(obs.code.coding![0]).toMatchObject({ system: 'http://loinc.org', code: '44261-6' });
    expect(obs.category![0].coding![0]).toMatchObject({ code: 'survey' });
    expect(obs.interpretation![0].coding![0].code).toBe('phq9-moderately-severe');
    expect(obs.derivedFrom![0].reference).toBe(b.entry![0].fullUrl);
    const [closed] = byType<Task>(b, 'Task');
    expect(closed.status).toBe('completed');
    expect(closed.output![0].valueReference!.reference).toBe(b.entry![0].fullUrl);
    const [prov] = byType<Provenance>(b, 'Provenance');
    expect(prov.agent[0]).toMatchObject({ who: { reference: 'RelatedPerson/rp1' }, onBehalfOf: { reference: 'Patient/p1' } });
    expect(prov.target).toHaveLength(3);
  });

  it('is idempotent: conditional creates first, conditional updates (Observations amended) on amendment', () => {
    const { response, written } = submitted(phq(1));
    const first = responseWriteBackBundle({ responseId: ID, response, patientId: 'p1', observations: written, amendment: false, recorded: '2026-03-02T10:15:01.000Z' });
    expect(first.entry!.slice(0, 2).map((e) => e.request!.method)).toEqual(['POST', 'POST']);
    expect(first.entry![0].request!.ifNoneExist).toContain('questionnaire-response|' + ID);
    const amended = responseWriteBackBundle({ responseId: ID, response: { ...response, status: 'amended' }, patientId: 'p1', observations: written, amendment: true, recorded: '2026-03-03T08:00:00.000Z' });
    expect(amended.entry!.slice(0, 2).map((e) => e.request!.method)).toEqual(['PUT', 'PUT']);
    expect(byType<Observation>(amended, 'Observation')[0].status).toBe('amended');
    expect(amended.entry![1].fullUrl).toBe(first.entry![1].fullUrl);
    expect(r4SchemaErrors(amended)).toEqual([]);
  });

  it('withdraws an Observation whose score no longer exists, and puts a caregiver’s own form on the patient as focus', () => {
    const own: Answering = { subjectType: 'RelatedPerson', subjectId: 'rp1', patientId: 'p1', author: 'RelatedPerson/rp1', source: 'RelatedPerson/rp1', mode: 'self' };
    const { response, written } = submitted(phq(0), own);
    const b = responseWriteBackBundle({ responseId: ID, response, patientId: 'p1', observations: written, amendment: true, withdrawn: [{ key: 'old-score', code: { coding: [{ system: 'urn:x', code: 'y' }] } }], recorded: '2026-03-03T08:00:00.000Z' });
    const [obs, gone] = byType<Observation>(b, 'Observation');
    expect(obs).toMatchObject({ subject: { reference: 'Patient/p1' }, focus: [{ reference: 'RelatedPerson/rp1' }] });
    expect(gone.status).toBe('entered-in-error');
    expect(gone.dataAbsentReason!.coding![0]).toMatchObject({ system: 'http://terminology.hl7.org/CodeSystem/data-absent-reason', code: 'unknown' });
    expect(byType<Provenance>(b, 'Provenance')[0].agent[0].onBehalfOf).toBeUndefined();
    expect(r4SchemaErrors(b)).toEqual([]);
  });

  it('carries the visit the response was answered in on the response and on every Observation, withdrawn ones too', () => {
    const { response, written } = submitted(phq(2), caregiverEntered, phq9, 'Encounter/enc-1');
    expect(response.encounter).toEqual({ reference: 'Encounter/enc-1', type: 'Encounter' });
    const b = responseWriteBackBundle({ responseId: ID, response, patientId: 'p1', observations: written, amendment: true, withdrawn: [{ key: 'old-score', code: { coding: [{ system: 'urn:x', code: 'y' }] } }], recorded: '2026-03-03T08:00:00.000Z' });
    expect(byType<QuestionnaireResponse>(b, 'QuestionnaireResponse')[0].encounter).toEqual({ reference: 'Encounter/enc-1', type: 'Encounter' });
    const observations = byType<Observation>(b, 'Observation');
    expect(observations.map((o) => [o.status, o.encounter?.reference])).toEqual([['amended', 'Encounter/enc-1'], ['entered-in-error', 'Encounter/enc-1']]);
    expect(r4SchemaErrors(b)).toEqual([]);
    // Without a visit, no encounter anywhere.
    const home = submitted(phq(2));
    const plain = responseWriteBackBundle({ responseId: ID, response: home.response, patientId: 'p1', observations: home.written, amendment: false, recorded: '2026-03-02T10:15:01.000Z' });
    expect(plain.entry!.filter((e) => 'encounter' in e.resource!)).toEqual([]);
  });

  it('refuses to send a response without US Core\'s must-support elements (a programming error)', () => {
    const { response, written } = submitted(phq(1));
    const send = (r: QuestionnaireResponse) => () => responseWriteBackBundle({ responseId: ID, response: r, patientId: 'p1', observations: written, amendment: false, recorded: '2026-03-02T10:15:01.000Z' });
    expect(send({ ...response, questionnaire: phq9.questionnaire.url })).toThrow('url|version');
    expect(send({ ...response, author: undefined })).toThrow('US Core');
  });

  it('writes a decimal score as a UCUM valueQuantity', () => {
    const answers = Object.fromEntries(scsSf.questionnaire.item!.filter((i) => i.type === 'choice').map((i) => [i.linkId, 3]));
    const { response, written } = submitted(answers, caregiverEntered, scsSf);
    const b = responseWriteBackBundle({ responseId: ID, response, patientId: 'p1', observations: written, amendment: false, recorded: '2026-03-02T10:15:01.000Z' });
    const [obs] = byType<Observation>(b, 'Observation');
    expect(obs.valueQuantity).toMatchObject({ value: 3, system: 'http://unitsofmeasure.org' });
    expect(r4SchemaErrors(b)).toEqual([]);
  });
});
