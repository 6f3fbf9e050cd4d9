// Due windows of questionnaire assignments: calendar dates (YYYY-MM-DD), computed in UTC so every instance
// and the database agree. A window is inclusive at both ends.

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function isCalendarDate(value: string): boolean {
  if (!DATE.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(value);
}

/** `2026-03-02` + 14 → `2026-03-16`; negative days go back (baseline windows open before the start). */
export function addDays(date: string, days: number): string {
  if (!isCalendarDate(date)) throw new Error(`Not a calendar date: ${date}`);
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export function todayUtc(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/** Still to be done (due or started): the only forms anyone may answer. */
export function isPending(a: { status: string }): boolean {
  return a.status === 'due' || a.status === 'in-progress';
}

/** Still to be done and its window closed before today (late answers are still welcome). */
export function isOverdue(a: { status: string; dueUntil: string }, today: string): boolean {
  return isPending(a) && a.dueUntil < today;
}

/**
 * Whether a form can be answered today: `open` once its window has opened (also when overdue),
 * `not-yet-open` before its first day (early answers would distort the timepoint, so starting and saving
 * are refused), `closed` once completed or cancelled. The list and the refusal share this one rule.
 */
export type Availability = 'open' | 'not-yet-open' | 'closed';

export function availabilityOf(a: { status: string; dueFrom: string }, today: string): Availability {
  if (!isPending(a)) return 'closed';
  return a.dueFrom > today ? 'not-yet-open' : 'open';
}
