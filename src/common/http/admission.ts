import type { NextFunction, Request, Response } from 'express';
import { DomainError } from '../errors/domain-error.js';

export interface AdmissionLimits {
  /** Requests in progress at once. */
  maxInFlight: number;
  /** Requests waiting for a place; one more is answered 503 at once. */
  maxQueued: number;
  /** Longest wait for a place; then 503. */
  queueTimeoutMs: number;
}

const overloaded = () => new DomainError('COMMON.OVERLOADED', 'The service is busy; please try again in a few seconds.');

/**
 * Admission control for routes that use the database: a bounded number of requests in progress, a bounded FIFO
 * queue before them and a bounded wait in it. Beyond a bound the request is answered 503 (Retry-After) before it
 * touches anything, so overload never piles onto the connection pool, whose own queue has no length limit (only
 * `connectionTimeoutMillis`). Hand-written because p-limit / p-queue bound neither the queue nor the wait.
 * A place is held until the response closes (sent, or the client gone).
 */
export function admission(limits: AdmissionLimits) {
  let inFlight = 0;
  const waiting: (() => void)[] = [];
  const release = () => {
    const nextUp = waiting.shift();
    if (nextUp) nextUp(); // the place passes straight to the oldest waiter
    else inFlight--;
  };
  const enter = (res: Response, next: NextFunction) => {
    res.once('close', release);
    next();
  };

  return (_req: Request, res: Response, next: NextFunction): void => {
    if (inFlight < limits.maxInFlight) {
      inFlight++;
      return enter(res, next);
    }
    if (waiting.length >= limits.maxQueued) return next(overloaded());
    const leave = () => {
      const at = waiting.indexOf(admit);
      if (at >= 0) waiting.splice(at, 1);
      clearTimeout(timer);
      res.off('close', leave);
    };
    const admit = () => {
      leave();
      enter(res, next);
    };
    const timer = setTimeout(() => {
      leave();
      next(overloaded());
    }, limits.queueTimeoutMs);
    // A client that gives up while waiting frees its place in the queue.
    res.once('close', leave);
    waiting.push(admit);
  };
}
