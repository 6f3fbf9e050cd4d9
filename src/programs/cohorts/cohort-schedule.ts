import { addDays, instantOf } from './zoned-time.js';

/** How a cohort's sessions are laid out: from the program version and the cohort's own settings. */
export interface ScheduleInput {
  /** First session's local date, `YYYY-MM-DD`. */
  startDate: string;
  /** Local start time of every session, `HH:mm`. */
  sessionTime: string;
  /** IANA zone the local times are in. */
  timeZone: string;
  sessionCount: number;
  cadenceDays: number;
  sessionMinutes: number;
}

export interface PlannedSession {
  sequence: number;
  localDate: string;
  startsAt: Date;
  endsAt: Date;
}

/**
 * The sessions of a cohort: `sessionCount` sessions every `cadenceDays` days at the same LOCAL time. Across a
 * daylight-saving change the UTC instant moves and the wall-clock time stays (18:00 stays 18:00), which is
 * what participants expect. Pure.
 */
export function planSessions(s: ScheduleInput): PlannedSession[] {
  return Array.from({ length: s.sessionCount }, (_, i) => {
    const localDate = addDays(s.startDate, i * s.cadenceDays);
    const start = instantOf({ date: localDate, time: s.sessionTime }, s.timeZone);
    return { sequence: i + 1, localDate, startsAt: new Date(start), endsAt: new Date(start + s.sessionMinutes * 60_000) };
  });
}

/** Local date of the last session (for the CarePlan's period and the completion rule's horizon). */
export function lastSessionDate(s: Pick<ScheduleInput, 'startDate' | 'sessionCount' | 'cadenceDays'>): string {
  return addDays(s.startDate, (s.sessionCount - 1) * s.cadenceDays);
}
