import { createHash } from 'node:crypto';
import { DomainError } from '../../common/errors/domain-error.js';
import { etagTags, weakEtag } from '../../common/http/etag.js';

// Optimistic concurrency for the programs API. A session's `revision` counts its changes: every change of a booked
// session (moved, re-assigned, cancelled, its attendance recorded, a participant enrolled, withdrawn or completed)
// writes its Appointment again, and so does attendance recorded on a held session; a roster change of a held session
// moves its revision without a write (its Appointment lists only whom attendance was recorded for, see
// AppointmentWriteBack.rosterChanged), so a grid still listing someone who left is refused here, not answered
// "not a participant". So `W/"<revision>"` is a session's ETag for whoever sees all of it, and an If-Match with an
// older one means the caller decided on a session someone else has changed since. A caller who sees only one patient's household
// (a clinician, a coordinator launched on a patient) gets, for attendance, a tag over the rows they see instead
// (`attendanceTag`): the revision would refuse them for changes they cannot see, and tell them when those happened.
// Without If-Match the change is made as before (API clients that do not send it keep working); the coordinator's
// attendance grid sends it.

/** The If-Match's tags (common/http/etag.ts); no header or `*` → undefined (no precondition); one not ours is a 400. */
export function ifMatchTags(header: string | undefined): string[] | undefined {
  const raw = header?.trim();
  if (raw === undefined || raw === '' || raw === '*') return undefined;
  const tags = etagTags(raw);
  if (!tags) {
    const message = 'If-Match must be the ETag you read, such as W/"3".';
    throw new DomainError('COMMON.VALIDATION', message, [{ message, expression: 'If-Match', code: 'invalid' }]);
  }
  return tags;
}

export { weakEtag };

/** The tag of the attendance rows a caller sees (person, status, when recorded): changes only when one of them does. */
export function attendanceTag(rows: readonly { person: string; status: string; recordedAt: Date }[]): string {
  const lines = rows.map((r) => `${r.person}|${r.status}|${new Date(r.recordedAt).toISOString()}`).sort();
  return `a${createHash('sha256').update(lines.join('\n')).digest('hex').slice(0, 24)}`;
}

/** 412 PROGRAMS.CHANGED when what the caller read is no longer current (no tag of theirs matches). */
export function assertCurrent(current: string | number, expected: string[] | undefined, what: string): void {
  if (expected === undefined || expected.includes(String(current))) return;
  const message = `${what} was changed by someone else after you read it: nothing was saved. Read it again and decide again.`;
  throw new DomainError('PROGRAMS.CHANGED', message, [{ message, expression: 'If-Match' }]);
}
