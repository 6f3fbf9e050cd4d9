/**
 * Wall-clock time in an IANA time zone ↔ instants, with nothing but Intl (no date library). Pure.
 * Ambiguity is resolved the way Temporal's `disambiguation: 'compatible'` does: a time that occurs twice
 * (autumn fall-back) is its first occurrence; a time that does not exist (spring-forward gap) is moved
 * forward by the length of the gap (02:30 → 03:30).
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(zone, f);
  }
  return f;
}

export interface WallTime {
  /** `YYYY-MM-DD` */
  date: string;
  /** `HH:mm` */
  time: string;
}

/** The zone's wall-clock time at an instant. */
export function wallTimeAt(instantMs: number, zone: string): WallTime {
  const p = Object.fromEntries(formatter(zone).formatToParts(new Date(instantMs)).map((x) => [x.type, x.value]));
  return { date: `${p.year}-${p.month}-${p.day}`, time: `${p.hour}:${p.minute}` };
}

/** The zone's offset from UTC at an instant, in minutes (Paris in summer: +120). */
export function offsetMinutesAt(instantMs: number, zone: string): number {
  const p = Object.fromEntries(formatter(zone).formatToParts(new Date(instantMs)).map((x) => [x.type, Number(x.value)]));
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return Math.round((asUtc - Math.floor(instantMs / 1000) * 1000) / 60_000);
}

/** The wall time read as if it were UTC, in ms. */
function naiveMs(w: WallTime): number {
  const [y, mo, d] = w.date.split('-').map(Number);
  const [h, mi] = w.time.split(':').map(Number);
  return Date.UTC(y, mo - 1, d, h, mi);
}

/** The instant a wall-clock time in a zone denotes (see the disambiguation rule above). */
export function instantOf(w: WallTime, zone: string): number {
  const naive = naiveMs(w);
  const DAY = 86_400_000;
  // Offsets a day either side bracket any transition near this time.
  const before = offsetMinutesAt(naive - DAY, zone);
  const after = offsetMinutesAt(naive + DAY, zone);
  const candidates = [...new Set([before, after])]
    .map((o) => naive - o * 60_000)
    .filter((t) => offsetMinutesAt(t, zone) * 60_000 === naive - t)
    .sort((a, b) => a - b);
  if (candidates.length) return candidates[0];
  // In the gap: read the time with the offset in force before the transition, which lands after it.
  return naive - before * 60_000;
}

/** `2026-03-08` + 7 → `2026-03-15`: calendar arithmetic on dates, independent of any zone. */
export function addDays(date: string, n: number): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

/** An instant as ISO 8601 with the zone's offset at that instant (`2026-03-12T18:00:00-04:00`). */
export function isoWithOffset(instantMs: number, zone: string): string {
  const off = offsetMinutesAt(instantMs, zone);
  const local = new Date(Math.floor(instantMs / 1000) * 1000 + off * 60_000).toISOString().slice(0, 19);
  if (off === 0) return `${local}Z`;
  const sign = off < 0 ? '-' : '+';
  const abs = Math.abs(off);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}
