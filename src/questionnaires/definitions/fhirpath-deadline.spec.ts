import { jest } from '@jest/globals';
import { Script } from 'node:vm';
import { DomainError } from '../../common/errors/domain-error.js';
import { FhirPathDeadline, IMPORT_BUDGET_FACTOR } from './fhirpath-deadline.js';

/** Holds the thread for `ms` of wall-clock time (what a slow expression, or a starved one, looks like). */
function spin(ms: number): number {
  const end = Date.now() + ms;
  let n = 0;
  while (Date.now() < end) n++;
  return n;
}

describe('FhirPathDeadline', () => {
  it('gives an import IMPORT_BUDGET_FACTOR save budgets: work refused under a save budget passes under an import one', () => {
    const start = Date.now();
    // CPU keeps pace with the wall clock: never starved, so the budget alone decides.
    const d = new FhirPathDeadline(200, () => Date.now() - start);
    expect(d.importBudgetMs).toBe(IMPORT_BUDGET_FACTOR * 200);
    // 450 ms of work: 250 ms past the save budget, 350 ms within the import's (800 ms), so a late timer or a busy
    // machine moves neither verdict.
    expect(() => d.within('The save', () => d.guarded(() => spin(450)))).toThrow(/takes longer than 200 ms/);
    expect(d.within('The import', () => d.guarded(() => spin(450)), d.importBudgetMs)).toBeGreaterThan(0);
    // The import's budget was its own: the next save has the save budget again.
    expect(() => d.within('The save', () => d.guarded(() => spin(450)))).toThrow(/takes longer than 200 ms/);
  });

  it('lets quick work through and returns its value', () => {
    const d = new FhirPathDeadline(1000);
    expect(d.within('save', () => d.guarded(() => 42))).toBe(42);
  });

  it('refuses work that spends its CPU budget (422 QUESTIONNAIRES.FORM_TOO_COSTLY)', () => {
    let cpu = 0;
    // The CPU clock says every millisecond of wall time was spent on the CPU.
    const d = new FhirPathDeadline(30, () => cpu);
    let err: unknown;
    try {
      d.within('save', () => d.guarded(() => {
        cpu += 1000;
        return spin(60_000);
      }));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).code).toBe('QUESTIONNAIRES.FORM_TOO_COSTLY');
  });

  it('runs again, once, work interrupted while the process did not get the CPU (a busy machine), and it completes', () => {
    let calls = 0;
    // The CPU clock never moves: the wall clock ran out while the thread was waiting for a core.
    const d = new FhirPathDeadline(30, () => 0);
    const value = d.within('save', () => d.guarded(() => {
      calls++;
      // The first run outlasts the 30 ms budget; the second fits in the extended deadline (3 × 30 ms).
      return calls === 1 ? spin(60_000) : 'done';
    }));
    expect(value).toBe('done');
    expect(calls).toBe(2);
  });

  it('never extends for a form that computes all along (CPU keeps pace with the wall clock), even below its budget', () => {
    let calls = 0;
    const start = Date.now();
    // CPU as much as wall time, minus a little (the budget is not yet spent): not starved.
    const d = new FhirPathDeadline(30, () => Math.max(0, Date.now() - start - 5));
    expect(() => d.within('save', () => d.guarded(() => {
      calls++;
      return spin(60_000);
    }))).toThrow(DomainError);
    expect(calls).toBe(1);
  });

  it('runs a whole save in one node:vm call, its engine calls sharing one deadline', () => {
    const d = new FhirPathDeadline(1000);
    const vmCalls = jest.spyOn(Script.prototype, 'runInContext');
    try {
      expect(d.within('save', () => [1, 2, 3, 4, 5].map((n) => d.guarded(() => n * 2)))).toEqual([2, 4, 6, 8, 10]);
      expect(vmCalls).toHaveBeenCalledTimes(1);
      // An engine call outside a save has one of its own.
      expect(d.guarded(() => 'alone')).toBe('alone');
      expect(vmCalls).toHaveBeenCalledTimes(2);
    } finally {
      vmCalls.mockRestore();
    }
    // Five calls of 10 ms under a 30 ms budget whose CPU clock keeps pace: refused, not 10 ms each.
    const start = Date.now();
    const shared = new FhirPathDeadline(30, () => Date.now() - start);
    expect(() => shared.within('save', () => [1, 2, 3, 4, 5].map(() => shared.guarded(() => spin(10))))).toThrow(DomainError);
  });

  it('runs bounded work directly: no node:vm call for it or its engine calls, and a later engine call is guarded again', () => {
    const d = new FhirPathDeadline(1000);
    const vmCalls = jest.spyOn(Script.prototype, 'runInContext');
    try {
      expect(d.direct(() => [1, 2, 3].map((n) => d.guarded(() => n + 1)))).toEqual([2, 3, 4]);
      expect(vmCalls).toHaveBeenCalledTimes(0);
      expect(d.guarded(() => 'alone')).toBe('alone');
      expect(vmCalls).toHaveBeenCalledTimes(1);
    } finally {
      vmCalls.mockRestore();
    }
  });

  it('refuses a second overrun whatever the CPU clock says', () => {
    let calls = 0;
    const d = new FhirPathDeadline(20, () => 0);
    expect(() => d.within('save', () => d.guarded(() => {
      calls++;
      return spin(60_000);
    }))).toThrow(DomainError);
    expect(calls).toBe(2);
  });
});
