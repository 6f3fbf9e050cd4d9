// Result shapes shared by the statistics functions.

/** A two-sided interval [lower, upper]. */
export type Interval = readonly [number, number];

/**
 * Why a statistic was not computed. Functions return this instead of NaN or Infinity so a report can
 * say "not computed: all changes identical" rather than print a meaningless number.
 */
export interface NotComputed {
  notComputed: string;
}

/** Narrowing helper for `T | NotComputed` results. */
export function isNotComputed<T extends object>(value: T | NotComputed): value is NotComputed {
  return 'notComputed' in value;
}

/** Throws when a sample holds NaN or ±Infinity: missing answers must be dropped by the caller, not averaged. */
export function assertFinite(values: readonly number[], what = 'values'): void {
  if (values.some((v) => !Number.isFinite(v))) throw new RangeError(`${what} must be finite numbers`);
}
