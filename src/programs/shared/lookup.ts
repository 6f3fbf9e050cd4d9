import { DomainError } from '../../common/errors/domain-error.js';

export function notFound(what: string): DomainError {
  return new DomainError('PROGRAMS.NOT_FOUND', `No such ${what}.`);
}

/** Returns the row or throws PROGRAMS.NOT_FOUND (404). */
export function found<T>(row: T | null | undefined, what: string): T {
  if (!row) throw notFound(what);
  return row;
}

/** PostgreSQL's unique_violation on a named constraint or index. */
export function isUniqueViolation(err: unknown, constraint: string): boolean {
  const e = err as { code?: string; constraint?: string; driverError?: { code?: string; constraint?: string } };
  const code = e?.driverError?.code ?? e?.code;
  const name = e?.driverError?.constraint ?? e?.constraint;
  return code === '23505' && name === constraint;
}
