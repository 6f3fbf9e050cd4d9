import type { Communication, Provenance, Task } from 'fhir/r4.js';
import { r4SchemaErrors } from '../../../test/support/fhir-r4-schema.js';
import { questionnaireUrl } from '../codes.js';
import { alertFollowUpBundle, alertNotice, alertRaisedBundle, type AlertFacts } from './safety.fhir.js';

const facts: AlertFacts = {
  alertId: '0b7e3c1e-2f55-4f0e-8f0c-1f5c2b9a7d11',
  patientId: 'p1',
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

  it('leaves a PractitionerRole off the note (R4 Annotation.author cannot be one); the Provenance names them', () => {
    const b = alertFollowUpBundle(facts, { by: 'PractitionerRole/c2', at: '2026-03-02T12:00:00.000Z', action: 'risk-assessed', note: 'Called.' });
    expect((b.entry![0].resource as Task).note).toEqual([{ time: '2026-03-02T12:00:00.000Z', text: 'Called.' }]);
    expect((b.entry![1].resource as Provenance).agent[0].who.reference).toBe('PractitionerRole/c2');
  });
});
