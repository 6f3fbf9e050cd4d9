// Dates as people read them, in the browser's language; FHIR dates (YYYY-MM-DD) are calendar days, not
// instants, so they are never shifted by the time zone.

/** A date for people to read, in `locale` (the person's language) or the browser's. */
export function formatDate(iso: string | null | undefined, locale?: string): string {
  if (!iso) return '—';
  const day = /^\d{4}-\d{2}-\d{2}$/.test(iso);
  const d = new Date(day ? `${iso}T12:00:00Z` : iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleDateString(locale, { year: 'numeric', month: 'short', day: 'numeric', ...(day ? { timeZone: 'UTC' } : {}) });
}

export function formatDateTime(iso: string | null | undefined, timeZone?: string): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short', ...(timeZone ? { timeZone } : {}) });
}

export function today(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** "in-progress" → "In progress". */
export function label(code: string | null | undefined): string {
  if (!code) return '—';
  const s = code.replace(/[-_]/g, ' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
}

const plural = new Intl.PluralRules('en');

/** "1 session", "3 sessions", "0 seats" (the app speaks English; `other` for irregular plurals). */
export function count(n: number, one: string, other = `${one}s`): string {
  return `${n} ${plural.select(n) === 'one' ? one : other}`;
}

/**
 * The clinic's time zone: the zone of the computer the clinic's staff work on (the service keeps no zone of
 * its own). Dates of a cohort's sessions use the cohort's zone instead.
 */
export function clinicTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** Every time zone this browser knows, `first` (the clinic's) at the top. */
export function timeZones(first: string): string[] {
  const all = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return [first, ...all.filter((z) => z !== first)];
}

/** "America/New_York" → "America/New York"; with `long`, "America/New York (Eastern Time)". */
export function zoneLabel(timeZone: string, long = false): string {
  const place = timeZone.replace(/_/g, ' ');
  if (!long) return place;
  try {
    const generic = new Intl.DateTimeFormat('en', { timeZone, timeZoneName: 'longGeneric' }).formatToParts(new Date()).find((p) => p.type === 'timeZoneName')?.value;
    return generic && generic !== place ? `${place} (${generic})` : place;
  } catch {
    return place;
  }
}

/**
 * A moment in a given zone (a session in its cohort's zone), with the zone's short name when it is not the
 * clinic's: "Tue, Mar 4, 2025, 3:00 PM GMT+1".
 */
export function formatDateTimeIn(iso: string | null | undefined, timeZone: string): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '—';
  const zoned = timeZone !== clinicTimeZone();
  try {
    return d.toLocaleString(undefined, { weekday: 'short', year: 'numeric', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit', timeZone, ...(zoned ? { timeZoneName: 'short' } : {}) });
  } catch {
    return formatDateTime(iso);
  }
}

/** A wall-clock time "15:00" as people read it ("3:00 PM" or "15:00", by the browser's language). */
export function formatClock(hhmm: string): string {
  const m = /^(\d{2}):(\d{2})/.exec(hhmm);
  if (!m) return hhmm;
  return new Date(Date.UTC(2000, 0, 1, Number(m[1]), Number(m[2]))).toLocaleTimeString(undefined, { hour: 'numeric', minute: '2-digit', timeZone: 'UTC' });
}
