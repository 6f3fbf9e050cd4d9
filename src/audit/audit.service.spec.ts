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
    expect(calls[2].rows).toBe(1); // p2's rows alone
    expect(calls[2].params).toContain('p2');
    expect(calls[2].params).not.toContain('p3');
    calls[2].settle();
    await good;
    await settle();
    expect(calls[3].params).toContain('p3');
    calls[3].settle(Object.assign(new Error('value too long'), { code: '22001' }));
    expect(await badOutcome).toBe('refused');
    // The queue goes on after a failure.
    const next = service.record(entry('p4'));
    await settle();
    expect(calls).toHaveLength(5);
    calls[4].settle();
    await next;
  });

  it('stops writing callers one by one when a retry fails for another reason: the rest fail with it', async () => {
    const { calls, service } = heldManager();
    const first = service.record(entry('p1'));
    await settle();
    const waiting = ['p2', 'p3', 'p4'].map((p) => service.record(entry(p)).then(() => 'stored', (e: Error) => e.message));
    await settle();
    calls[0].settle();
    await first;
    await settle();
    calls[1].settle(Object.assign(new Error('refused value'), { code: '23514' }));
    await settle();
    calls[2].settle(Object.assign(new Error('connection lost'), { code: '57P01' }));
    expect(await Promise.all(waiting)).toEqual(['connection lost', 'connection lost', 'connection lost']);
    expect(calls).toHaveLength(3); // p3 and p4 were not tried one by one
  });

  it('takes no more than ROWS_PER_INSERT rows in one INSERT, and writes 1000 rows at once without waiting', async () => {
    const { calls, service } = heldManager();
    const many = (n: number, tag: string) => Array.from({ length: n }, (_, i) => entry(`${tag}-${i}`));
    const first = service.record(entry('p1'));
    await settle();
    const big = service.recordMany(many(999, 'a'));
    const small = service.recordMany(many(2, 'b'));
    await settle();
    expect(calls).toHaveLength(1);
    const alone = service.recordMany(many(1000, 'c')); // its own INSERT, not queued behind the others
    await settle();
    expect(calls.map((c) => c.rows)).toEqual([1, 1000]);
    calls[1].settle();
    await alone;
    calls[0].settle();
    await first;
    await settle();
    expect(calls.map((c) => c.rows)).toEqual([1, 1000, 999]);
    calls[2].settle();
    await big;
    await settle();
    expect(calls.map((c) => c.rows)).toEqual([1, 1000, 999, 2]);
    calls[3].settle();
    await small;
  });

  it('replaces NUL, which PostgreSQL refuses in text and jsonb, in what a client sent', async () => {
    const { calls, service } = heldManager();
    const done = service.record({ action: 'referral.read', outcome: 'success', resourceId: 'a\u0000b', detail: { filter: 'x\u0000y', ['k\u0000']: 'half \ud83d' } });
    await settle();
    expect(calls[0].params).toContain('a\uFFFDb');
    expect(calls[0].params.some((v) => typeof v === 'string' && v.includes('\u0000'))).toBe(false);
    expect(JSON.parse(calls[0].params.find((v) => typeof v === 'string' && v.startsWith('{')) as string)).toEqual({ filter: 'x\uFFFDy', 'k\uFFFD': 'half \uFFFD' });
    calls[0].settle();
    await done;
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
