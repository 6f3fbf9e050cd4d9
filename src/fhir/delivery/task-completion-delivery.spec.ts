import { describe, expect, it } from '@jest/globals';
import type { ModuleRef } from '@nestjs/core';
import { DomainError } from '../../common/errors/domain-error.js';
import type { Bundle, Task } from 'fhir/r4.js';
import { businessIdentifier, fullUrlOf } from '../business-identifier.js';
import { UndeliverableError } from '../delivery.rules.js';
import type { EhrSystemAuthorizer, FhirConnection, WriteBackWork } from '../fhir-connection.js';
import { FhirCallError, type FhirGateway, type RestWrite } from '../fhir-gateway.js';
import type { ClaimedEntry, DependencyState, OutboxQueue } from '../outbox.queue.js';
import { taskCompletionBundle, taskSubstance } from '../task-completion.js';
import { StoodDown } from './bundle-delivery.js';
import { TaskCompletionDelivery } from './task-completion-delivery.js';

const GAD7 = 'http://x.org/Questionnaire/gad-7|1.0.0';
const RESPONSE = businessIdentifier('questionnaire-response', 'r-1');
const conn: FhirConnection = { baseUrl: 'https://ehr.test/fhir', authorization: 'Bearer x', registrationId: 'r1', grantedScopes: 'system/Task.cru system/QuestionnaireResponse.cru' };
const openTask = (version: string): Task => ({
  resourceType: 'Task', id: 't1', meta: { versionId: version }, status: 'requested', intent: 'order', for: { reference: 'Patient/p1' },
  input: [{ type: { coding: [{ system: 'http://hl7.org/fhir/uv/sdc/CodeSystem/temp', code: 'questionnaire' }] }, valueCanonical: GAD7 }],
});
const entry: ClaimedEntry = {
  id: 'e2', registrationId: 'r1', kind: 'task-completion', attempts: 1, attemptBase: 0, takeovers: 0, actor: null, patientKey: 'Patient/p1', seq: '2', dependsOn: 'e1', superseded: new Set(),
  bundle: taskCompletionBundle({ id: 't1', versionId: '1', form: GAD7, asks: { canonical: GAD7 }, substance: taskSubstance(openTask('1')) }, 'p1', RESPONSE),
};
const delivered: DependencyState = {
  status: 'delivered',
  bundle: { resourceType: 'Bundle', type: 'transaction', entry: [{ fullUrl: fullUrlOf(RESPONSE), request: { method: 'POST', url: 'QuestionnaireResponse' } }] } as Bundle,
  response: [{ status: '201', type: 'QuestionnaireResponse', id: 'qr-9' }],
};

/** The delivery over an EHR answering `reads` and `writes` in turn, and a queue whose dependency is `dep`. */
function fakes(o: { reads?: (Task | FhirCallError | object)[]; writes?: FhirCallError[]; dep?: DependencyState | null; ours?: boolean; authorizer?: EhrSystemAuthorizer }) {
  const log: string[] = [];
  const reads = [...(o.reads ?? [])];
  const writes = [...(o.writes ?? [])];
  const gateway = {
    readForWriteBack: async (c: FhirConnection) => {
      log.push(`read as ${c.authorization}`.replace(' as Bearer x', ''));
      const next = reads.shift()!;
      if (next instanceof FhirCallError) throw next;
      return next;
    },
    write: async (c: FhirConnection, w: RestWrite) => {
      log.push(`PUT ${w.id} If-Match ${w.ifMatch}${c.authorization === conn.authorization ? '' : ` as ${c.authorization}`}`);
      const failure = writes.shift();
      if (failure) throw failure;
      return { status: 200, location: null, id: 't1', version: '9' };
    },
  } as unknown as FhirGateway;
  const queue = { dependency: async () => (o.dep === undefined ? delivered : o.dep) } as unknown as OutboxQueue;
  const run = { stillOurs: async () => o.ours ?? true };
  const moduleRef = o.authorizer ? ({ get: () => o.authorizer } as unknown as ModuleRef) : undefined;
  return { log, deliver: (c: FhirConnection = conn) => new TaskCompletionDelivery(gateway, queue, moduleRef).deliver(c, entry, run, new Date('2026-12-01T10:00:00Z')) };
}
const reason = async (p: Promise<unknown>) => p.then(() => 'resolved', (e: unknown) => (e instanceof UndeliverableError || e instanceof FhirCallError ? e.reason : (e as Error).name));

describe('delivering a Task completion', () => {
  it('reads the Task and updates it conditional on the version read', async () => {
    const f = fakes({ reads: [openTask('4')] });
    await expect(f.deliver()).resolves.toEqual([{ status: '200', type: 'Task', id: 't1', version: '9' }]);
    expect(f.log).toEqual(['read', 'PUT t1 If-Match W/"4"']);
  });

  it('treats 409 (a version conflict on some servers) like 412', async () => {
    const again = fakes({ reads: [openTask('4'), openTask('5')], writes: [new FhirCallError(409, undefined)] });
    await expect(again.deliver()).resolves.toHaveLength(1);
    expect(again.log).toEqual(['read', 'PUT t1 If-Match W/"4"', 'read', 'PUT t1 If-Match W/"5"']);
  });

  it('reads again once after 412, and goes dead with a code after a second one', async () => {
    const again = fakes({ reads: [openTask('4'), openTask('5')], writes: [new FhirCallError(412, undefined)] });
    await expect(again.deliver()).resolves.toHaveLength(1);
    expect(again.log).toEqual(['read', 'PUT t1 If-Match W/"4"', 'read', 'PUT t1 If-Match W/"5"']);
    const twice = fakes({ reads: [openTask('4'), openTask('5')], writes: [new FhirCallError(412, undefined), new FhirCallError(412, undefined)] });
    expect(await reason(twice.deliver())).toBe('task-changed');
  });

  it("asks for a token granted Task update when the worker's lacks it (user write-back: an older session of the author's may have it)", async () => {
    const asked: WriteBackWork[] = [];
    const userConn = (scope: string, token: string): FhirConnection => ({ ...conn, authorization: `Bearer ${token}`, grantedScopes: scope });
    const authorizer = (answer: FhirConnection | Error) => ({
      systemConnection: async (_r: string, work?: WriteBackWork) => {
        asked.push(work!);
        if (answer instanceof Error) throw answer;
        return answer;
      },
    }) as EhrSystemAuthorizer;
    const newest = userConn('patient/QuestionnaireResponse.cru patient/Task.rs', 'newest');
    const f = fakes({ reads: [openTask('4')], authorizer: authorizer(userConn('patient/QuestionnaireResponse.cru patient/Task.cru', 'older')) });
    await expect(f.deliver(newest)).resolves.toHaveLength(1);
    expect(asked).toEqual([{ actor: null, patientKey: 'Patient/p1', taskUpdate: true }]);
    expect(f.log).toEqual(['read as Bearer older', 'PUT t1 If-Match W/"4" as Bearer older']);
    // None live with it: wait for the author's next launch (retryable), as any user write-back does.
    const none = fakes({ reads: [openTask('4')], authorizer: authorizer(new DomainError('AUTH.SESSION_EXPIRED', 'No live session')) });
    expect(await reason(none.deliver(newest))).toBe('authorization:AUTH.SESSION_EXPIRED');
    expect(none.log).toEqual([]);
    // The token it gets still lacks it (a system token is the same token again): dead, coded.
    const same = fakes({ reads: [openTask('4')], authorizer: authorizer(newest) });
    expect(await reason(same.deliver(newest))).toBe('task-scope');
    // One that has it is used as it is, without asking.
    asked.length = 0;
    await expect(fakes({ reads: [openTask('4')], authorizer: authorizer(newest) }).deliver()).resolves.toHaveLength(1);
    expect(asked).toEqual([]);
  });

  it('says why it cannot: no Task update in the granted scopes (before asking the EHR), the EHR refusing (403)', async () => {
    const noScope = fakes({ reads: [openTask('4')] });
    expect(await reason(noScope.deliver({ ...conn, grantedScopes: 'system/QuestionnaireResponse.cru system/Task.rs' }))).toBe('task-scope');
    expect(noScope.log).toEqual([]);
    expect(await reason(fakes({ reads: [openTask('4')], writes: [new FhirCallError(403, undefined)] }).deliver())).toBe('task-forbidden');
    expect(await reason(fakes({ reads: [new FhirCallError(403, undefined)] }).deliver())).toBe('task-forbidden');
    // Scopes unknown (a connection that cannot tell): the EHR decides.
    await expect(fakes({ reads: [openTask('4')] }).deliver({ ...conn, grantedScopes: undefined })).resolves.toHaveLength(1);
  });

  it('needs the response on the EHR first: waits while its entry is pending, goes dead with it', async () => {
    expect(await reason(fakes({ dep: { ...delivered, status: 'pending', response: null } }).deliver())).toBe('waiting-for-dependency');
    expect(await reason(fakes({ dep: { ...delivered, status: 'dead', response: null } }).deliver())).toBe('task-completion-dependency');
    expect(await reason(fakes({ dep: null }).deliver())).toBe('task-completion-dependency');
  });

  it('goes dead with a coded reason when the Task is gone (404, 410), or the EHR answers the read with something else', async () => {
    for (const status of [404, 410]) {
      const gone = fakes({ reads: [new FhirCallError(status, undefined)] });
      expect(await reason(gone.deliver())).toBe('task-gone');
      expect(gone.log).toEqual(['read']);
    }
    for (const answer of [{ resourceType: 'OperationOutcome', issue: [] }, { ...openTask('4'), id: 'someone-else' }]) {
      const odd = fakes({ reads: [answer] });
      const err = await odd.deliver().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UndeliverableError);
      expect((err as UndeliverableError).reason).toBe('task-unreadable');
      expect(odd.log).toEqual(['read']);
    }
  });

  it('goes dead, nothing written, when the Task changed in substance since the launch or is not ready; completes one changed only in its notes', async () => {
    const changed = fakes({ reads: [{ ...openTask('4'), code: { text: 'review-with-patient' } }] });
    expect(await reason(changed.deliver())).toBe('task-changed-in-substance');
    expect(changed.log).toEqual(['read']);
    expect(await reason(fakes({ reads: [{ ...openTask('4'), status: 'on-hold' }] }).deliver())).toBe('task-not-ready');
    expect(await reason(fakes({ reads: [{ ...openTask('4'), for: { reference: 'Patient/p2' } }] }).deliver())).toBe('task-patient-changed');
    const noted = fakes({ reads: [{ ...openTask('4'), note: [{ text: 'called' }] }] });
    await expect(noted.deliver()).resolves.toHaveLength(1);
    expect(noted.log).toEqual(['read', 'PUT t1 If-Match W/"4"']);
  });

  it('stands down when the entry is no longer ours', async () => {
    await expect(fakes({ reads: [openTask('4')], ours: false }).deliver()).rejects.toBeInstanceOf(StoodDown);
  });
});
