import { DomainError } from '../../common/errors/domain-error.js';
import { counterEtag, counterOfEtag } from '../../common/http/etag.js';

// Optimistic concurrency for the programs API. A session's `revision` counts its Appointment writes, and every
// change of the session (moved, re-assigned, cancelled, its attendance recorded, its roster changed) writes its
// Appointment again: so `W/"<revision>"` is the session's ETag, and an `If-Match` with an older one means the
// caller decided on a session someone else has changed since. Without If-Match the change is made as before (API
// clients that do not send it keep working); the staff screens send it.

/** `W/"3"`, `"3"` or `3` → 3; `*` or no header → undefined (no precondition); anything else is a 400. */
export function ifMatchRevision(header: string | undefined): number | undefined {
  const raw = header?.trim();
  if (raw === undefined || raw === '' || raw === '*') return undefined;
  const revision = counterOfEtag(raw);
  if (revision === undefined) {
    const message = 'If-Match must be the ETag you read, such as W/"3".';
    throw new DomainError('COMMON.VALIDATION', message, [{ message, expression: 'If-Match', code: 'invalid' }]);
  }
  return revision;
}

export { counterEtag as sessionEtag };

/** 412 PROGRAMS.CHANGED when the session is no longer at the revision the caller read. */
export function assertRevision(current: number, expected: number | undefined, what: string): void {
  if (expected === undefined || expected === current) return;
  const message = `${what} was changed by someone else after you read it (it is at ${counterEtag(current)}, you sent ${counterEtag(expected)}): nothing was saved. Read it again and decide again.`;
  throw new DomainError('PROGRAMS.CHANGED', message, [{ message, expression: 'If-Match' }]);
}
