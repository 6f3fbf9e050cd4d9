import type { ProgramVersion } from '../catalogue/program-version.entity.js';
import type { Program } from '../catalogue/program.entity.js';
import { versionedCanonical } from '../shared/program-codes.js';
import type { Cohort } from './cohort.entity.js';
import type { ProgramSession } from './program-session.entity.js';
import { isoWithOffset } from './zoned-time.js';

/**
 * `revision` only for a caller who sees the whole session (`withRevision`, see precondition.ts): it counts changes of
 * other patients' attendance and enrolments too, so to a caller limited to one patient it would tell when those happened.
 */
export function sessionView(s: ProgramSession, withRevision = true) {
  return {
    id: s.id,
    cohortId: s.cohortId,
    enrolmentId: s.enrolmentId,
    sequence: s.sequence,
    startsAt: isoWithOffset(s.startsAt.getTime(), s.timeZone),
    endsAt: isoWithOffset(s.endsAt.getTime(), s.timeZone),
    timeZone: s.timeZone,
    status: s.status,
    cancelReason: s.cancelReason,
    facilitator: s.facilitator,
    /** Counts its changes; `W/"<revision>"` is its ETag, to send as If-Match with a change (see precondition.ts). */
    ...(withRevision ? { revision: s.revision } : {}),
  };
}

/** A cohort without its participants (who is in it is patient-level data: see /api/enrolments). */
export function cohortView(c: Cohort, program: Program, version: ProgramVersion, seatsTaken: number, sessions?: ProgramSession[], withRevision = true) {
  return {
    id: c.id,
    name: c.name,
    program: { id: program.id, slug: program.slug, title: version.title, version: version.version, canonical: versionedCanonical(program.slug, version.version) },
    startDate: c.startDate,
    sessionTime: c.sessionTime,
    timeZone: c.timeZone,
    facilitator: c.facilitator,
    capacity: c.capacity,
    seatsTaken,
    seatsLeft: Math.max(0, c.capacity - seatsTaken),
    ...(sessions ? { sessions: sessions.map((x) => sessionView(x, withRevision)) } : {}),
  };
}
