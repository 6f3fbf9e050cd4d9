import { describe, expect, it } from '@jest/globals';
import type { Task } from 'fhir/r4.js';
import { businessIdentifier, fullUrlOf } from './business-identifier.js';
import { taskFormsAnsweredBy } from './sdc-task.js';
import { completionStep, grantsTaskUpdate, taskCompletionBundle, taskCompletionPlan, taskSubstance, type LaunchTask } from './task-completion.js';

const GAD7 = 'http://x.org/Questionnaire/gad-7|1.0.0';
const RESPONSE = businessIdentifier('questionnaire-response', 'r-1');
const NOW = new Date('2026-12-01T10:00:00Z');
const ehrTask = (t: Partial<Task> = {}): Task => ({
  resourceType: 'Task',
  id: 't1',
  meta: { versionId: '4' },
  status: 'in-progress',
  intent: 'order',
  for: { reference: 'Patient/p1' },
  owner: { reference: 'Practitioner/pr1' },
  input: [{ type: { coding: [{ system: 'http://hl7.org/fhir/uv/sdc/CodeSystem/temp', code: 'questionnaire' }] }, valueCanonical: GAD7 }],
  ...t,
});
const launched: LaunchTask = { id: 't1', versionId: '3', form: GAD7, asks: { canonical: GAD7 }, substance: taskSubstance(ehrTask()) };

describe('completing the Task a launch named', () => {
  const plan = taskCompletionPlan(taskCompletionBundle(launched, 'p1', RESPONSE))!;

  it('keeps in the outbox what it will do, and reads it back', () => {
    const bundle = taskCompletionBundle(launched, 'p1', RESPONSE);
    expect(bundle.entry![0].request).toEqual({ method: 'PUT', url: 'Task/t1', ifMatch: 'W/"3"' });
    expect(plan).toEqual({ taskId: 't1', launchVersion: '3', patientId: 'p1', asks: { canonical: GAD7 }, substance: taskSubstance(ehrTask()), responseFullUrl: fullUrlOf(RESPONSE) });
    // The Task's own intent, code, subject, focus and inputs as at launch (never a made-up intent).
    expect(bundle.entry![0].resource).toMatchObject({ intent: 'order', for: { reference: 'Patient/p1' }, input: ehrTask().input });
    const planTask = ehrTask({ intent: 'plan', code: { text: 'complete-questionnaire' }, input: undefined, focus: { reference: 'Questionnaire/q7', display: 'GAD-7' } });
    const byFocus = taskCompletionPlan(taskCompletionBundle({ ...launched, versionId: null, asks: { questionnaireId: 'q7' }, substance: taskSubstance(planTask) }, 'p1', RESPONSE));
    expect(byFocus?.substance).toEqual({ intent: 'plan', code: { text: 'complete-questionnaire' }, for: 'Patient/p1', focus: 'Questionnaire/q7', input: null });
    expect(byFocus).toMatchObject({ launchVersion: null, asks: { questionnaireId: 'q7' } });
    expect(taskCompletionPlan({ resourceType: 'Bundle', type: 'transaction', entry: [{ resource: ehrTask(), request: { method: 'PUT', url: 'Task/t1' } }] })).toBeNull();
  });

  it('completes an open Task: status completed, the response appended to output (SDC type), the rest kept, If-Match on the version read', () => {
    const earlier = { type: { text: 'note' }, valueString: 'kept' };
    const step = completionStep(ehrTask({ output: [earlier] }), plan, 'qr-9', NOW);
    expect(step).toEqual({
      action: 'put',
      ifMatch: 'W/"4"',
      resource: {
        ...ehrTask(),
        status: 'completed',
        lastModified: NOW.toISOString(),
        output: [
          earlier,
          {
            type: { coding: [{ system: 'http://hl7.org/fhir/uv/sdc/CodeSystem/temp', code: 'questionnaire-response', display: 'Questionnaire Response' }], text: 'questionnaire-response' },
            valueReference: { reference: 'QuestionnaireResponse/qr-9', type: 'QuestionnaireResponse' },
          },
        ],
      },
    });
  });

  it('never appends the response twice, nor overwrites a Task someone else closed', () => {
    const done = (t: Partial<Task>) => completionStep(ehrTask(t), plan, 'qr-9', NOW);
    expect(done({ status: 'completed', output: [{ type: { text: 'x' }, valueReference: { reference: 'QuestionnaireResponse/qr-9' } }] })).toMatchObject({ action: 'done', note: expect.stringMatching(/^already-recorded/) });
    expect(done({ output: [{ type: { text: 'x' }, valueReference: { reference: 'https://ehr.test/fhir/QuestionnaireResponse/qr-9/_history/1' } }] })).toMatchObject({ note: expect.stringMatching(/^already-recorded/) });
    for (const status of ['completed', 'cancelled', 'entered-in-error', 'failed', 'rejected'] as const) {
      expect(done({ status })).toEqual({ action: 'done', note: `not-needed: the Task is already ${status}; left as it is` });
    }
  });

  it('refuses, with a coded reason for a person, a Task now for another patient, another form, changed in substance, or not ready', () => {
    const step = (t: Partial<Task>) => completionStep(ehrTask(t), plan, 'qr-9', NOW);
    const reason = (t: Partial<Task>) => { const s = step(t); return s.action === 'refuse' ? s.reason : s.action; };
    expect(step({ for: { reference: 'Patient/p2' } })).toEqual({ action: 'refuse', reason: 'task-patient-changed', message: expect.stringMatching(/^The EHR's Task\/t1 was not completed: it is no longer for the patient/) });
    expect(reason({ input: [{ type: { text: 'questionnaire' }, valueCanonical: 'http://x.org/Questionnaire/phq-9|1.0.0' }] })).toBe('task-form-changed');
    // What the Task asks changed, though it still names the same form.
    expect(reason({ intent: 'proposal' })).toBe('task-changed-in-substance');
    expect(reason({ code: { text: 'review-with-patient' } })).toBe('task-changed-in-substance');
    expect(reason({ focus: { reference: 'ServiceRequest/sr-2' } })).toBe('task-changed-in-substance');
    expect(reason({ input: [...ehrTask().input!, { type: { text: 'instructions' }, valueString: 'also ask about sleep' }] })).toBe('task-changed-in-substance');
    for (const status of ['draft', 'on-hold'] as const) {
      expect(step({ status })).toEqual({ action: 'refuse', reason: 'task-not-ready', message: expect.stringContaining(`it is ${status} at the EHR`) });
    }
  });

  it('checks an entry queued before the substance was recorded (no tag) for patient, form and status only', () => {
    // Such an entry's Task holds intent 'order', its subject and input only: no code, though the EHR's SDC Task has one.
    const { meta: _tagged, ...old } = taskCompletionBundle({ ...launched, substance: { intent: 'order', code: null, for: 'Patient/p1', focus: null, input: ehrTask().input! } }, 'p1', RESPONSE);
    const oldPlan = taskCompletionPlan(old)!;
    expect(oldPlan.substance).toBeNull();
    const sdc = (t: Partial<Task> = {}) => completionStep(ehrTask({ code: { coding: [{ system: 'http://hl7.org/fhir/uv/sdc/CodeSystem/temp', code: 'complete-questionnaire' }] }, ...t }), oldPlan, 'qr-9', NOW);
    expect(sdc()).toMatchObject({ action: 'put', resource: { status: 'completed' } });
    expect(sdc({ for: { reference: 'Patient/p2' } })).toMatchObject({ action: 'refuse', reason: 'task-patient-changed' });
    expect(sdc({ input: [{ type: { text: 'questionnaire' }, valueCanonical: 'http://x.org/Questionnaire/phq-9|1.0.0' }] })).toMatchObject({ action: 'refuse', reason: 'task-form-changed' });
    expect(sdc({ status: 'on-hold' })).toMatchObject({ action: 'refuse', reason: 'task-not-ready' });
    // A new entry says it recorded the substance, and is compared.
    expect(completionStep(ehrTask({ code: { text: 'complete-questionnaire' } }), plan, 'qr-9', NOW)).toMatchObject({ action: 'refuse', reason: 'task-changed-in-substance' });
  });

  it('completes a Task changed only in bookkeeping (notes, owner, lastModified, business status, a display), If-Match on the version read', () => {
    const changed = ehrTask({
      meta: { versionId: '7' }, note: [{ text: 'called the patient' }], owner: { reference: 'Practitioner/pr2' }, lastModified: '2026-11-30T09:00:00Z',
      businessStatus: { text: 'reminded' }, status: 'in-progress', for: { reference: 'Patient/p1', display: 'Synthetic, Pat' },
    });
    expect(completionStep(changed, plan, 'qr-9', NOW)).toMatchObject({ action: 'put', ifMatch: 'W/"7"', resource: { status: 'completed', note: [{ text: 'called the patient' }], owner: { reference: 'Practitioner/pr2' } } });
    // Key order and a stored round trip (jsonb) do not count as a change.
    const reordered = JSON.parse(JSON.stringify({ ...ehrTask(), input: ehrTask().input!.map((i) => ({ valueCanonical: i.valueCanonical, type: i.type })) })) as Task;
    expect(completionStep(reordered, plan, 'qr-9', NOW).action).toBe('put');
  });

  it('sends no If-Match when the EHR gives no version', () => {
    expect(completionStep(ehrTask({ meta: undefined }), plan, 'qr-9', NOW)).toMatchObject({ action: 'put', ifMatch: undefined });
  });

  it('tells which granted scopes allow updating a Task', () => {
    for (const yes of ['user/Task.cru', 'patient/Task.u', 'system/Task.cruds', 'system/*.cruds', 'user/Task.write', 'patient/*.*', 'user/Task.u?status=requested', 'openid user/Observation.r user/Task.ru']) {
      expect([yes, grantsTaskUpdate(yes)]).toEqual([yes, true]);
    }
    for (const no of ['', 'patient/Task.rs', 'user/Task.read', 'user/Observation.cru', 'user/TaskX.u', 'launch openid fhirUser']) {
      expect([no, grantsTaskUpdate(no)]).toEqual([no, false]);
    }
  });

  it('matches a response to the form the Task asks for: that version, or the url without one', () => {
    expect(taskFormsAnsweredBy(GAD7)).toEqual(['http://x.org/Questionnaire/gad-7', GAD7]);
  });
});
