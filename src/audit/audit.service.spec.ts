import type { EntityManager, Repository } from 'typeorm';
import type { AuditEvent } from './audit-event.entity.js';
import { AuditService, type AuditEntry } from './audit.service.js';

/** A manager whose INSERTs wait until the test settles them, one by one, in order. */
function heldManager() {
  const calls: { rows: number; params: unknown[]; settle(err?: unknown): void }[] = [];
  const manager = {
    query: (sql: string, params: unknown[]) =>
      new Promise<void>((resolve, reject) => {
        calls.push({ rows: sql.split('), (').length, params, settle: (err) => (err === undefined ? resolve() : reject(err)) });
      }),
  };
  return { calls, service: new AuditService({ manager } as unknown as Repository<AuditEvent>) };
}

const entry = (patientId: string): AuditEntry => ({ action: 'patient.read', outcome: 'success', patientId });
/** Lets pending promise callbacks run (the service starts its next INSERT from one). */
const settle = () => new Promise((r) => setImmediate(r));

describe('AuditService: rows outside a transaction share INSERTs (group commit)', () => {
  it('gathers the rows that come while an INSERT is on its way into the next one, answering each caller after its own', async () => {
    const { calls, service } = heldManager();
    const answered: string[] = [];
    const first = service.record(entry('p1')).then(() => answered.push('p1'));
    await settle();
    const second = service.record(entry('p2')).then(() => answered.push('p2'));
    const third = service.recordMany([entry('p3'), entry('p4')]).then(() => answered.push('p3+p4'));
    await settle();
    expect(calls).toHaveLength(1); // the later rows wait for the first INSERT
    calls[0].settle();
    await first;
    await settle();
    expect(answered).toEqual(['p1']);
    expect(calls).toHaveLength(2);
    expect(calls[1].rows).toBe(3); // p2, p3, p4 in one statement
    expect(calls[1].params).toEqual(expect.arrayContaining(['p2', 'p3', 'p4']));
    expect(answered).toEqual(['p1']); // not before their rows are stored
    calls[1].settle();
    await Promise.all([second, third]);
    expect(answered.sort()).toEqual(['p1', 'p2', 'p3+p4']);
  });

  it('writes each caller alone again when a value was refused, so only that caller fails', async () => {
    const { calls, service } = heldManager();
    const first = service.record(entry('p1'));
    await settle();
    const good = service.record(entry('p2'));
    const bad = service.record(entry('p3'));
    const badOutcome = bad.then(() => 'stored', () => 'refused');
    await settle();
    calls[0].settle();
    await first;
    await settle();
    calls[1].settle(Object.assign(new Error('value too long'), { code: '22001' }));
    await settle();
    expect(calls).toHaveLength(3);
    calls[2].settle();
    await good;
    await settle();
    calls[3].settle(Object.assign(new Error('value too long'), { code: '22001' }));
    expect(await badOutcome).toBe('refused');
  });

  it('fails every waiting caller at once when the database fails, without writing them one by one', async () => {
    const { calls, service } = heldManager();
    const first = service.record(entry('p1'));
    await settle();
    const waiting = [service.record(entry('p2')), service.record(entry('p3'))].map((p) => p.then(() => 'stored', (e: Error) => e.message));
    await settle();
    calls[0].settle();
    await first;
    await settle();
    calls[1].settle(Object.assign(new Error('timeout'), { code: '57014' }));
    expect(await Promise.all(waiting)).toEqual(['timeout', 'timeout']);
    expect(calls).toHaveLength(2);
  });

  it("writes a caller's transaction rows in that transaction, not in a shared INSERT", async () => {
    const { calls, service } = heldManager();
    let statements = 0;
    const tx = { query: async () => void statements++, queryRunner: { isTransactionActive: true } } as unknown as EntityManager;
    await service.record(entry('p1'), tx);
    expect(statements).toBe(1);
    expect(calls).toHaveLength(0);
  });
});
