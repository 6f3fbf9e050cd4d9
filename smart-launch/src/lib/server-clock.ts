// The server's clock, as this browser can tell it. What depends on the time is decided by the server (attendance may
// be recorded once a session has started: 409 PROGRAMS.SESSION_NOT_STARTED before, by its clock), so the screens that
// show it (the calendar's Attendance link, the grid) use the server's time, not a browser clock that may run behind
// or ahead. Every answer of ours carries a `Date` header: the offset is taken from the latest one (api.ts).

let offsetMs = 0;

/**
 * Server time minus browser time, from a `Date` header received for a request sent at `sentAt` and answered at
 * `receivedAt` (browser epoch ms); undefined without a readable header. The header has whole seconds (truncated), so
 * the server's time was within [Date, Date + 1 s) when it answered, at about the middle of the round trip.
 */
export function clockOffset(dateHeader: string | null, sentAt: number, receivedAt: number): number | undefined {
  const server = dateHeader ? Date.parse(dateHeader) : NaN;
  if (!Number.isFinite(server) || receivedAt < sentAt) return undefined;
  return Math.round(server + 500 - (sentAt + receivedAt) / 2);
}

/** Keeps the offset an answer shows (api.ts calls it for every answer). */
export function observeServerDate(dateHeader: string | null, sentAt: number, receivedAt: number): void {
  const offset = clockOffset(dateHeader, sentAt, receivedAt);
  if (offset !== undefined) offsetMs = offset;
}

/** The server's time now (epoch ms), by this browser's clock and the last offset seen. */
export function serverNow(browserNow = Date.now()): number {
  return browserNow + offsetMs;
}
