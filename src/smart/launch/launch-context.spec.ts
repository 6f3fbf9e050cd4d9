import { describe, expect, it } from '@jest/globals';
import type { Task } from 'fhir/r4.js';
import { formRequest, launchEncounter, normaliseFhirContext, patientOfTask, questionnaireOfTask } from './launch-context.js';

describe('SMART 2.2 fhirContext from a token response', () => {
  it('keeps well-formed items in the 2.2 form and reads 2.0 reference strings', () => {
    expect(
      normaliseFhirContext([
        { reference: 'Encounter/e1' },
        { canonical: 'http://example.org/Questionnaire/phq-9|1.0.0', type: 'Questionnaire' },
        { type: 'Task', identifier: { system: 'urn:x', value: 't-9' } },
        'Task/t1',
      ]),
    ).toEqual([
      { reference: 'Encounter/e1', type: 'Encounter' },
      { canonical: 'http://example.org/Questionnaire/phq-9|1.0.0', type: 'Questionnaire' },
      { identifier: { system: 'urn:x', value: 't-9' }, type: 'Task' },
      { reference: 'Task/t1', type: 'Task' },
    ]);
  });

  it('drops an item holding a control character anywhere (jsonb refuses NUL), and one whose role is not launch or a URI', () => {
    const nul = String.fromCharCode(0);
    expect(
      normaliseFhirContext([
        { canonical: `http://example.org/Questionnaire/phq-9${nul}|1.0.0`, type: 'Questionnaire' },
        { reference: 'Task/t1', role: `launch${nul}` },
        { reference: 'Task/t2', type: `Task\u0007` },
        { type: 'Task', identifier: { system: `urn:x${nul}`, value: 't-9' } },
        { type: 'Task', identifier: { system: 'urn:x', value: 't-9\u007f' } },
        { reference: 'Task/t3', role: 'not a role' },
        { reference: 'Task/t4', role: 'source' },
      ]),
    ).toBeNull();
    expect(normaliseFhirContext([{ reference: 'Task/t5', role: 'launch' }, { reference: 'Task/t6', role: 'https://example.org/roles/source' }])).toEqual([
      { reference: 'Task/t5', type: 'Task', role: 'launch' },
      { reference: 'Task/t6', type: 'Task', role: 'https://example.org/roles/source' },
    ]);
    // Nothing a NUL could ride on is kept.
    expect(JSON.stringify(normaliseFhirContext([{ reference: 'Task/t7' }, { canonical: `http://a/${nul}` }]))).not.toContain('\\u0000');
  });

  it('drops what is malformed, and keeps no more than 20 items', () => {
    expect(normaliseFhirContext('Task/1')).toBeNull();
    expect(normaliseFhirContext([{ reference: 'http://evil/Task/1' }, { canonical: 'not a url' }, null, 7, [], { type: 'Task' }])).toBeNull();
    expect(normaliseFhirContext(Array.from({ length: 30 }, (_, i) => ({ reference: `Task/t${i}` })))).toHaveLength(20);
  });

  it('chooses the form: a Questionnaire canonical first, then a Task or Questionnaire reference; other roles do not choose', () => {
    expect(formRequest([{ reference: 'Task/t1' }, { canonical: 'http://x.org/Questionnaire/q' }])).toEqual({ kind: 'canonical', canonical: 'http://x.org/Questionnaire/q' });
    expect(formRequest([{ reference: 'Encounter/e' }, { reference: 'Task/t1', type: 'Task' }])).toEqual({ kind: 'Task', id: 't1' });
    expect(formRequest([{ canonical: 'http://x.org/PlanDefinition/p', type: 'PlanDefinition' }])).toBeNull();
    expect(formRequest([{ reference: 'Task/t1', role: 'https://example.org/roles/source' }])).toBeNull();
    expect(formRequest(null)).toBeNull();
  });
});

describe('the Questionnaire a Task asks for', () => {
  const task = (t: Partial<Task>): Task => ({ resourceType: 'Task', status: 'requested', intent: 'order', ...t });

  it("reads SDC's Task.input (type questionnaire, valueCanonical), then Task.focus", () => {
    const sdc = task({ input: [{ type: { coding: [{ code: 'questionnaire' }] }, valueCanonical: 'http://x.org/Questionnaire/gad-7|1.0.0' }] });
    expect(questionnaireOfTask(sdc)).toEqual({ canonical: 'http://x.org/Questionnaire/gad-7|1.0.0' });
    expect(questionnaireOfTask(task({ focus: { reference: 'Questionnaire/q1' } }))).toEqual({ questionnaireId: 'q1' });
    expect(questionnaireOfTask(task({ focus: { reference: 'https://x.org/Questionnaire/who-5' } }))).toEqual({ canonical: 'https://x.org/Questionnaire/who-5' });
    expect(questionnaireOfTask(task({ focus: { reference: 'ServiceRequest/s1' } }))).toBeNull();
  });

  it('names the patient from Task.for', () => {
    expect(patientOfTask(task({ for: { reference: 'Patient/p1' } }))).toBe('p1');
    expect(patientOfTask(task({ for: { reference: 'Group/g' } }))).toBeNull();
  });
});

describe("the launch's encounter kept with the session", () => {
  it('keeps it only with the patient the EHR sent it with, when that is the session\'s patient', () => {
    expect(launchEncounter({ encounter: 'enc-1', patient: 'p1' }, 'p1')).toBe('enc-1');
    // No patient with it (a portal launch signs the patient in as themself), another patient, none in the session.
    expect(launchEncounter({ encounter: 'enc-1' }, 'p1')).toBeNull();
    expect(launchEncounter({ encounter: 'enc-1', patient: 'p2' }, 'p1')).toBeNull();
    expect(launchEncounter({ encounter: 'enc-1', patient: 'p1' }, null)).toBeNull();
    expect(launchEncounter({ encounter: 'enc 1', patient: 'p1' }, 'p1')).toBeNull();
    expect(launchEncounter({ encounter: 42, patient: 'p1' }, 'p1')).toBeNull();
    expect(launchEncounter({ patient: 'p1' }, 'p1')).toBeNull();
  });
});
