import { describe, expect, it } from '@jest/globals';
import type { Questionnaire, Task } from 'fhir/r4.js';
import type { Repository } from 'typeorm';
import type { SessionUser } from '../../common/auth/session-user.js';
import { DomainError } from '../../common/errors/domain-error.js';
import type { FhirGateway } from '../../fhir/fhir-gateway.js';
import type { AppSession } from '../session/app-session.entity.js';
import type { UserFhirAccess } from '../session/user-fhir-access.service.js';
import { LaunchFormService } from './launch-form.service.js';
import type { LaunchContextItem } from './launch-context.js';
import type { LaunchTasks } from './launch-tasks.js';

const user = { sessionId: 's', patientId: 'p1', role: 'clinician', registrationId: 'r', issuer: 'https://ehr.test/fhir' } as SessionUser;

/** The service over a session holding `context` and an EHR holding `resources` (no database, no network). */
function service(context: LaunchContextItem[] | null, resources: Record<string, Task | Questionnaire>) {
  const sessions = { findOne: async () => ({ idHash: 's', fhirContext: context }) } as unknown as Repository<AppSession>;
  const fhir = {
    read: async (_c: unknown, type: string, id: string) => {
      const found = resources[`${type}/${id}`];
      if (!found) throw new DomainError('COMMON.NOT_FOUND', 'The EHR has no such resource.');
      return found;
    },
  } as unknown as FhirGateway;
  const access = { connection: async () => ({ baseUrl: 'https://ehr.test/fhir', authorization: 'Bearer x' }) } as unknown as UserFhirAccess;
  const remembered: unknown[] = [];
  const tasks = { remember: async (sessionId: string, t: unknown) => void remembered.push(t === null ? { sessionId, forgotten: true } : { sessionId, ...(t as object) }) } as unknown as LaunchTasks;
  return Object.assign(new LaunchFormService(sessions, fhir, access, tasks), { remembered });
}
const task = (patient: string, t: Partial<Task> = {}): Task => ({ resourceType: 'Task', status: 'requested', intent: 'order', for: { reference: `Patient/${patient}` }, ...t });

describe('the form a launch opens', () => {
  it('refuses a Task about another patient even when the EHR lets the user read it', async () => {
    const s = service([{ reference: 'Task/t9' }], { 'Task/t9': task('p2', { input: [{ type: { text: 'q' }, valueCanonical: 'http://x.org/Questionnaire/gad-7' }] }) });
    await expect(s.resolve(user)).rejects.toMatchObject({ code: 'AUTH.PATIENT_NOT_IN_CONTEXT', patientId: 'p2' });
  });

  it("reads a Task's Questionnaire focus from the EHR and answers its canonical", async () => {
    const s = service([{ reference: 'Task/t1' }], {
      'Task/t1': task('p1', { focus: { reference: 'Questionnaire/q7' } }),
      'Questionnaire/q7': { resourceType: 'Questionnaire', status: 'active', url: 'https://clinic.example/Questionnaire/zarit', version: '2' },
    });
    await expect(s.resolve(user)).resolves.toEqual({ canonical: 'https://clinic.example/Questionnaire/zarit|2', source: 'Task', task: 'Task/t1' });
    // The session remembers the Task, so that a response to that form completes it.
    expect(s.remembered).toEqual([{
      sessionId: 's', id: 't1', versionId: null, form: 'https://clinic.example/Questionnaire/zarit|2', asks: { questionnaireId: 'q7' },
      // What the Task asks, to tell at delivery whether it changed in substance.
      substance: { intent: 'order', code: null, for: 'Patient/p1', focus: 'Questionnaire/q7', input: null },
    }]);
  });

  it('opens the form of a Task in draft or on hold, but does not remember the Task (forgets one remembered before)', async () => {
    for (const status of ['draft', 'on-hold'] as const) {
      const s = service([{ reference: 'Task/t6' }], { 'Task/t6': task('p1', { status, input: [{ type: { text: 'q' }, valueCanonical: 'http://x.org/Questionnaire/gad-7' }] }) });
      await expect(s.resolve(user)).resolves.toEqual({ canonical: 'http://x.org/Questionnaire/gad-7', source: 'Task', task: 'Task/t6', taskNotReady: status });
      expect(s.remembered).toEqual([{ sessionId: 's', forgotten: true }]);
    }
  });

  it('says plainly when a Task asks for no questionnaire, and needs a patient in context', async () => {
    await expect(service([{ reference: 'Task/t2' }], { 'Task/t2': task('p1') }).resolve(user)).rejects.toMatchObject({ code: 'COMMON.NOT_FOUND' });
    await expect(service([{ reference: 'Task/t2' }], {}).resolve({ ...user, patientId: null })).rejects.toMatchObject({ code: 'AUTH.PATIENT_NOT_IN_CONTEXT' });
  });

  it('refuses a Task whose work is over, with a clear message, and opens nothing', async () => {
    for (const status of ['completed', 'cancelled', 'entered-in-error', 'failed', 'rejected'] as const) {
      const s = service([{ reference: 'Task/t3' }], { 'Task/t3': task('p1', { status, input: [{ type: { text: 'q' }, valueCanonical: 'http://x.org/Questionnaire/gad-7' }] }) });
      await expect(s.resolve(user)).rejects.toMatchObject({ code: 'QUESTIONNAIRES.ASSIGNMENT_UNAVAILABLE', message: expect.stringContaining(status) });
    }
    const open = service([{ reference: 'Task/t4' }], { 'Task/t4': task('p1', { status: 'in-progress', input: [{ type: { text: 'q' }, valueCanonical: 'http://x.org/Questionnaire/gad-7' }] }) });
    await expect(open.resolve(user)).resolves.toMatchObject({ canonical: 'http://x.org/Questionnaire/gad-7' });
    for (const status of ['completed', 'cancelled'] as const) {
      const closed = service([{ reference: 'Task/t5' }], { 'Task/t5': task('p1', { status, input: [{ type: { text: 'q' }, valueCanonical: 'http://x.org/Questionnaire/gad-7' }] }) });
      await expect(closed.resolve(user)).rejects.toBeInstanceOf(DomainError);
      expect(closed.remembered).toEqual([]); // a closed Task is never remembered, so never completed again
    }
  });
});
