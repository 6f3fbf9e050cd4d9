import { z } from 'zod';
import { DomainError } from '../common/errors/domain-error.js';
import { UUID } from '../common/uuid.js';
import { OUTBOX_STATUSES, type OutboxStatus } from './outbox-entry.entity.js';

export interface OutboxListFilter {
  status?: OutboxStatus;
  registrationId?: string;
  /** 1–100. */
  limit: number;
  /** The `seq` of the last entry of the previous page (pages run newest first). */
  cursor?: string;
}

const uuid = z.string().regex(UUID, 'must be a UUID');

/** The admin list's query string; unknown parameters are refused rather than silently ignored. */
export const outboxListQuery = z
  .object({
    status: z.enum(OUTBOX_STATUSES).optional(),
    registrationId: uuid.optional().meta({ example: '5b1f7c2a-9d34-4e8b-a6c0-13f2e4d5b789' }),
    limit: z.coerce.number().int().min(1).max(100).default(50).meta({ description: '1–100, default 50', example: 20 }),
    cursor: z.string().regex(/^[0-9]{1,18}$/, 'must be a cursor returned by a previous page').optional().meta({ description: 'nextCursor of the previous page', example: '1024' }),
  })
  .strict();

export function parseEntryId(raw: unknown): string {
  const r = uuid.safeParse(raw);
  if (!r.success) throw new DomainError('COMMON.VALIDATION', 'The entry id must be a UUID.', [{ message: 'must be a UUID', expression: 'id' }]);
  return r.data.toLowerCase();
}
