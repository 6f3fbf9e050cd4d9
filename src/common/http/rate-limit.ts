import type { NextFunction, Request, Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import { DomainError } from '../errors/domain-error.js';

/**
 * Per-client request budget on everything but health probes. express-rate-limit rather than
 * @nestjs/throttler: the latter ships CommonJS only and cannot load the ESM-only NestJS 12 under jest
 * on Node 20 (the NestJS throttler is CommonJS-only). An over-budget request becomes a 429 OperationOutcome.
 */
export function apiRateLimit(windowMs: number, limit: number) {
  return rateLimit({
    windowMs,
    limit,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    skip: (req: Request) => req.path.startsWith('/health/'),
    handler: (_req: Request, _res: Response, next: NextFunction) =>
      next(new DomainError('COMMON.RATE_LIMITED', 'Too many requests; please wait a moment and try again.')),
  });
}
