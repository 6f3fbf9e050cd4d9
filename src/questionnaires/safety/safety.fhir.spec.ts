import type { Communication, Provenance, Task } from 'fhir/r4.js';
import { r4SchemaErrors } from '../../../test/support/fhir-r4-schema.js';
import { questionnaireUrl } from '../engine/codes.js';
import { alertEscalatedBundle, alertFollowUpBundle, alertNotice, alertRaisedBundle, escalatedPriority, type AlertFacts } from './safety.fhir.js';

const facts: AlertFacts = {
  alertId: '0b7e3c1e-2f55-4f0e-8f0c-1f5c2b9a7d11',
  patientId: 'p1',
  subject: 'Patient/p1',
  answerMode: 'self',
  author: 'Patient/p1',
  raisedOnDraft: false,
  responseId: '6f1c1c52-5d1e-4c1e-9a44-3f7e2f0c0a01',
  questionnaire: `${questionnaireUrl('phq-9')}|1.0.0`,
  questionnaireTitle: 'Patient Health Questionnaire-9 (PHQ-9)',
  ruleId: 'self-harm-risk',
  severity: 'urgent',
  responsible: 'Practitioner/c1',
  raisedAt: '2026-03-02T10:15:01.000Z',
  answeredOn: '2026-03-02',
};

describe('safety alert write-back', () => {
  it('tells the EHR only that PHQ-9 item 9 was answered above 0, and when', () => {
    expect(alertNotice(facts)).toBe('PHQ-9 item 9 answered > 0 on 2026-03-02. Review the response in the ALS wellness module and record follow-up.');
    expect(alertNotice({ ...facts, questionnaire: 'https://clinic.example/Questionnaire/hads|2', questionnaireTitle: 'HADS', ruleId: 'anxiety-high' }))
      .toBe("HADS: safety rule 'anxiety-high' triggered on 2026-03-02. Review the response in the ALS wellness module and record follow-up.");
  });

  it('raises an urgent review Task owned by the clinician and an urgent Communication to them, valid R4', () => {
    const b = alertRaisedBundle(facts);
    expect(r4SchemaErrors(b)).toEqual([]);
    const [task, comm, prov] = b.entry!.map((e) => e.resource) as [Task, Communication, Provenance];
    expect(task).toMatchObject({ status: 'requested', intent: 'order', priority: 'urgent', for: { reference: 'Patient/p1' }, owner: { reference: 'Practitioner/c1' } });
    expect(task.focus).toMatchObject({ type: 'QuestionnaireResponse' });
    expect(comm).toMatchObject({ status: 'completed', priority: 'urgent', subject: { reference: 'Patient/p1' }, recipient: [{ reference: 'Practitioner/c1' }] });
    expect(comm.payload![0].contentString).toContain('PHQ-9 item 9 answered > 0 on 2026-03-02');
    expect(comm.basedOn![0].reference).toBe(b.entry![0].fullUrl);
    expect(JSON.stringify(b)).not.toContain('better off dead');
    expect(prov.agent[0].who.type).toBe('Device');
    expect(b.entry!.slice(0, 2).map((e) => e.request!.method)).toEqual(['POST', 'POST']);
  });

  it('without a responsible clinician raises the Task alone (the EHR work queue picks it up)', () => {
    const b = alertRaisedBundle({ ...facts, responsible: null });
    expect(b.entry!.map((e) => e.resource!.resourceType)).toEqual(['Task', 'Provenance']);
    expect((b.entry![0].resource as Task).owner).toBeUndefined();
  });

  it('completes the same Task at follow-up, by the clinician, as a conditional update', () => {
    const b = alertFollowUpBundle(facts, { by: 'Practitioner/c2', at: '2026-03-02T12:00:00.000Z', action: 'risk-assessed', note: 'Called; safety plan in place.' });
    expect(r4SchemaErrors(b)).toEqual([]);
    const task = b.entry![0].resource as Task;
    expect(task).toMatchObject({ status: 'completed', businessStatus: { coding: [{ code: 'risk-assessed' }] }, note: [{ authorReference: { reference: 'Practitioner/c2' } }] });
    expect(b.entry![0].request!.method).toBe('PUT');
    expect(b.entry![0].fullUrl).toBe(alertRaisedBundle(facts).entry![0].fullUrl);
    expect((b.entry![1].resource as Provenance).agent[0].who.reference).toBe('Practitioner/c2');
  });

  it("names the caregiver, never the patient, when the alert is about a caregiver's own form", () => {
    const own: AlertFacts = { ...facts, subject: 'RelatedPerson/rp1', author: 'RelatedPerson/rp1' };
    const b = alertRaisedBundle(own);
    expect(r4SchemaErrors(b)).toEqual([]);
    const [task, comm] = b.entry!.map((e) => e.resource) as [Task, Communication];
    expect(task.for).toEqual({ reference: 'RelatedPerson/rp1', type: 'RelatedPerson' });
    // R4 Communication.subject is Patient | Group: left out, and the caregiver named in `about` (Reference(Any)).
    expect(comm.subject).toBeUndefined();
    expect(comm.about).toContainEqual({ reference: 'RelatedPerson/rp1', type: 'RelatedPerson' });
    expect(JSON.stringify(b)).not.toContain('Patient/p1');
    expect(alertNotice(own)).toMatch(/^Caregiver's own form \(about the caregiver, not the patient\): PHQ-9 item 9 answered > 0 on 2026-03-02\./);
  });

  it('says when the answers came from a proxy or were typed by a caregiver, and when they were not submitted yet', () => {
    expect(alertNotice({ ...facts, answerMode: 'proxy', author: 'RelatedPerson/rp1' })).toContain("(proxy report by a caregiver: their judgement, not the patient's own answer)");
    expect(alertNotice({ ...facts, answerMode: 'proxy', author: 'Practitioner/c1' })).toContain('proxy report by a clinician');
    expect(alertNotice({ ...facts, answerMode: 'caregiver-entered', author: 'RelatedPerson/rp1' })).toContain("(answers entered by a caregiver on the patient's behalf)");
    expect(alertNotice({ ...facts, answerMode: 'clinician-read-aloud', author: 'Practitioner/c1' })).not.toMatch(/proxy|caregiver/);
    expect(alertNotice({ ...facts, raisedOnDraft: true })).toBe('PHQ-9 item 9 answered > 0 on 2026-03-02 in a saved draft (not yet submitted). Review the response in the ALS wellness module and record follow-up.');
  });

  it("escalates with a second, more pressing Task for the program's lead clinician and a Communication to them, valid R4", () => {
    const escalated = { ...facts, escalation: { at: '2026-03-02T11:16:00.000Z', to: 'Practitioner/lead' } };
    const b = alertEscalatedBundle(escalated);
    expect(r4SchemaErrors(b)).toEqual([]);
    const [task, comm, prov] = b.entry!.map((e) => e.resource) as [Task, Communication, Provenance];
    expect(task).toMatchObject({ status: 'requested', priority: 'asap', owner: { reference: 'Practitioner/lead' }, for: { reference: 'Patient/p1' }, authoredOn: '2026-03-02T11:16:00.000Z' });
    expect(task.basedOn).toEqual([{ type: 'Task', identifier: expect.objectContaining({ value: facts.alertId }) }]);
    expect(task.description).toMatch(/^Escalated to the program's lead clinician/);
    expect(comm).toMatchObject({ priority: 'asap', recipient: [{ reference: 'Practitioner/lead' }], basedOn: [{ reference: b.entry![0].fullUrl }] });
    expect(prov.agent[0].who.type).toBe('Device');
    expect(b.entry![0].fullUrl).not.toBe(alertRaisedBundle(facts).entry![0].fullUrl);
    expect(alertEscalatedBundle({ ...escalated, escalation: { ...escalated.escalation, to: null } }).entry!.map((e) => e.resource!.resourceType)).toEqual(['Task', 'Provenance']);
    expect(['routine', 'urgent', 'asap', 'stat'].map((p) => escalatedPriority(p as 'urgent'))).toEqual(['urgent', 'asap', 'stat', 'stat']);
  });

  it('completes the escalation Task too when an escalated alert is followed up', () => {
    const escalated = { ...facts, escalation: { at: '2026-03-02T11:16:00.000Z', to: 'Practitioner/lead' } };
    const b = alertFollowUpBundle(escalated, { by: 'Practitioner/c2', at: '2026-03-02T12:00:00.000Z', action: 'risk-assessed', note: 'Called.' });
    expect(r4SchemaErrors(b)).toEqual([]);
    const tasks = b.entry!.filter((e) => e.resource!.resourceType === 'Task');
    expect(tasks.map((e) => [(e.resource as Task).status, e.request!.method])).toEqual([['completed', 'PUT'], ['completed', 'PUT']]);
    expect(tasks[1].fullUrl).toBe(alertEscalatedBundle(escalated).entry![0].fullUrl);
  });

  it('leaves a PractitionerRole off the note (R4 Annotation.author cannot be one); the Provenance names them', () => {
    const b = alertFollowUpBundle(facts, { by: 'PractitionerRole/c2', at: '2026-03-02T12:00:00.000Z', action: 'risk-assessed', note: 'Called.' });
    expect((b.entry![0].resource as Task).note).toEqual([{ time: '2026-03-02T12:00:00.000Z', text: 'Called.' }]);
    expect((b.entry![1].resource as Provenance).agent[0].who.reference).toBe('PractitionerRole/c2');
  });
});
