import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { MemoryStore, rateLimit } from 'express-rate-limit';
import { DomainError } from '../errors/domain-error.js';

/**
 * Per-client request budget on everything but health probes. express-rate-limit rather than
 * @nestjs/throttler: the latter ships CommonJS only and cannot load the ESM-only NestJS 12 under jest
 * on Node 20 (the NestJS throttler is CommonJS-only). An over-budget request becomes a 429 OperationOutcome.
 */
export function apiRateLimit(windowMs: number, limit: number, store: MemoryStore) {
  return rateLimit({
    windowMs,
    // Owned by RateLimitCounts (below), which stops its timer when the application closes.
    store,
    limit,
    // draft-7's `RateLimit: limit=…, remaining=…, reset=…`: draft-8's adds a partition key, a SHA-256 of the client's
    // key computed on every request (about a tenth of the limiter's cost), which tells a client nothing it needs.
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    skip: (req: Request) => req.path.startsWith('/health/'),
    handler: (_req: Request, _res: Response, next: NextFunction) =>
      next(new DomainError('COMMON.RATE_LIMITED', 'Too many requests; please wait a moment and try again.')),
  });
}

/**
 * The limiter's counts, owned by the application: express-rate-limit's in-memory store resets them on a timer that
 * runs until `shutdown()`, so it stops when the application closes (not when the HTTP server closes: supertest
 * closes an unlistened server after each request, and a shut-down store forgets every count).
 */
@Injectable()
export class RateLimitCounts implements OnApplicationShutdown {
  readonly store = new MemoryStore();

  onApplicationShutdown(): void {
    this.store.shutdown();
  }
}
