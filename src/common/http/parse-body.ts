import type { z } from 'zod';
import { DomainError } from '../errors/domain-error.js';

/**
 * Parses a body or query with a zod schema; failures become one 400 OperationOutcome with an issue per field.
 * `subject` names the whole value in an issue that has no field (an unknown key, a missing body).
 */
export function parseBody<T>(schema: z.ZodType<T>, body: unknown, subject = 'body'): T {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  throw new DomainError(
    'COMMON.VALIDATION',
    'The request is invalid.',
    result.error.issues.map((i) => ({ message: `${i.path.join('.') || subject}: ${i.message}`, expression: i.path.join('.') || undefined })),
  );
}
