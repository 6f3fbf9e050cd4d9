/** A FHIR date/dateTime/instant read as the half-open interval of instants it covers: `[from, to)`. */
export interface DateRange {
  from: Date;
  to: Date;
}

const DATE = /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$/;

/**
 * Parses `2024`, `2024-03`, `2024-03-01` or a dateTime. Values without a time zone are read as UTC: the sandbox
 * has no local time zone to assume. Returns undefined for anything else.
 */
export function parseFhirDate(value: string): DateRange | undefined {
  const m = DATE.exec(value.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, tz] = m;
  if (h !== undefined && mi !== undefined) {
    const iso = `${y}-${mo}-${d}T${h}:${mi}:${s ?? '00'}${frac ?? ''}${tz ?? 'Z'}`;
    const from = new Date(iso);
    if (Number.isNaN(from.getTime())) return undefined;
    const step = frac ? 1 : s !== undefined ? 1000 : 60_000;
    return { from, to: new Date(from.getTime() + step) };
  }
  const year = Number(y);
  const month = mo ? Number(mo) - 1 : 0;
  const day = d ? Number(d) : 1;
  const from = new Date(Date.UTC(year, month, day));
  if (from.getUTCMonth() !== month || from.getUTCDate() !== day) return undefined;
  const to = d ? new Date(Date.UTC(year, month, day + 1)) : mo ? new Date(Date.UTC(year, month + 1, 1)) : new Date(Date.UTC(year + 1, 0, 1));
  return { from, to };
}
