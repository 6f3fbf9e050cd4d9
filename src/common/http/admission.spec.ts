import { jest } from '@jest/globals';
import { EventEmitter } from 'node:events';
import type { NextFunction, Request, Response } from 'express';
import { DomainError } from '../errors/domain-error.js';
import { admission } from './admission.js';

/** A request through the limiter: what `next` was called with, and how to finish (close) its response. */
function arrive(gate: ReturnType<typeof admission>) {
  const res = new EventEmitter();
  const seen: { admitted: boolean; error?: DomainError } = { admitted: false };
  const next = ((err?: unknown) => {
    if (err) seen.error = err as DomainError;
    else seen.admitted = true;
  }) as NextFunction;
  gate({} as Request, res as unknown as Response, next);
  return { seen, close: () => res.emit('close') };
}

describe('admission', () => {
  afterEach(() => jest.useRealTimers());

  it('admits up to the limit, queues up to the queue, and sheds the rest at once', () => {
    const gate = admission({ maxInFlight: 2, maxQueued: 1, queueTimeoutMs: 60_000 });
    const [a, b, c, d] = [arrive(gate), arrive(gate), arrive(gate), arrive(gate)];
    expect([a, b, c, d].map((r) => r.seen.admitted)).toEqual([true, true, false, false]);
    expect(d.seen.error?.code).toBe('COMMON.OVERLOADED');
    expect(c.seen.error).toBeUndefined();
    a.close();
    expect(c.seen.admitted).toBe(true); // the freed place passes to the oldest waiter
    b.close();
    c.close();
    expect(arrive(gate).seen.admitted).toBe(true);
  });

  it('sheds a request that waited too long, and forgets one whose client left', () => {
    jest.useFakeTimers();
    const gate = admission({ maxInFlight: 1, maxQueued: 2, queueTimeoutMs: 1000 });
    const a = arrive(gate);
    const waited = arrive(gate);
    const left = arrive(gate);
    left.close();
    jest.advanceTimersByTime(1000);
    expect(waited.seen.error?.code).toBe('COMMON.OVERLOADED');
    expect(left.seen).toEqual({ admitted: false });
    a.close();
    expect(arrive(gate).seen.admitted).toBe(true);
  });
});
