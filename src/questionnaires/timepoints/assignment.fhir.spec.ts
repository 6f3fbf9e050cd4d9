import { r4SchemaErrors } from '../../../test/support/fhir-r4-schema.js';
import { questionnaireTask, SDC_TASK_PROFILE, type AssignmentTaskFacts } from './assignment.fhir.js';

const facts: AssignmentTaskFacts = {
  assignmentId: 'a1',
  patientId: 'p1',
  subjectType: 'RelatedPerson',
  subjectId: 'rp1',
  questionnaire: 'https://als-wellness.example.org/fhir/Questionnaire/who-5|1.0.0',
  title: 'WHO-5',
  timepoint: 'baseline',
  dueFrom: '2026-02-16',
  dueUntil: '2026-03-02',
  enrolmentId: 'e1',
  authoredOn: '2026-02-01T09:00:00.000Z',
};

describe('the questionnaire Task', () => {
  it('is an SDC complete-questionnaire Task for the patient, owned by who answers, due in its window', () => {
    const t = questionnaireTask(facts, 'requested');
    expect(r4SchemaErrors(t)).toEqual([]);
    expect(t).toMatchObject({
      meta: { profile: [SDC_TASK_PROFILE] },
      status: 'requested',
      code: { coding: [{ system: 'http://hl7.org/fhir/uv/sdc/CodeSystem/temp', code: 'complete-questionnaire' }] },
      for: { reference: 'Patient/p1' },
      owner: { reference: 'RelatedPerson/rp1' },
      restriction: { period: { start: '2026-02-16', end: '2026-03-02' } },
      input: [{ valueCanonical: facts.questionnaire }],
    });
    expect(t.basedOn![0]).toMatchObject({ type: 'CarePlan' });
    expect(t.output).toBeUndefined();
  });

  it('carries the response as output once completed, and is otherwise rebuilt identically', () => {
    const done = questionnaireTask(facts, 'completed', { reference: 'urn:uuid:1' });
    expect(done.output![0]).toMatchObject({ type: { coding: [{ code: 'questionnaire-response' }] }, valueReference: { reference: 'urn:uuid:1' } });
    const { status: _a, output: _b, ...rest } = done;
    const { status: _c, ...before } = questionnaireTask(facts, 'requested');
    expect(rest).toEqual(before);
  });
});
