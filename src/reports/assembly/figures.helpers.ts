// Small helpers that turn computed numbers into report values, suppressing any figure derived from a
// suppressed count (a percentage or mean would otherwise let the count be recovered).
import { deriveOrSuppress, isNotComputed, isSuppressed, proportion, SUPPRESSED, type Cell, type Interval, type Suppressed } from '../statistics/index.js';
import type { IntervalValue, Share, Value } from './outcome-report.types.js';

/** A number computed from counts of people: suppressed with any of them. */
export function derive(sources: readonly Cell[], compute: (...counts: number[]) => number | null): Value {
  return deriveOrSuppress(sources, compute);
}

/** A statistic over the n people of a sample: shown only when n is. */
export function guard(n: Cell, value: number | null): Value {
  return isSuppressed(n) ? SUPPRESSED : value;
}

export function guardInterval(n: Cell, value: Interval | null): IntervalValue {
  return isSuppressed(n) ? SUPPRESSED : value;
}

/**
 * A statistic whose value encodes how its people split into counted groups (a rank sum and the signs of
 * the changes, a mean rating and the satisfied): shown only when its n and every such count are.
 */
export function guardAll<T extends number | string>(counts: readonly Cell[], value: T | null): T | null | Suppressed {
  return counts.some(isSuppressed) ? SUPPRESSED : value;
}

/** k of n with a Wilson 95% CI; suppressed with k or n, null when n = 0. */
export function shareOf(k: Cell, n: Cell): Share {
  if (isSuppressed(k) || isSuppressed(n)) return { k, n, estimate: SUPPRESSED, ci95: SUPPRESSED };
  const p = proportion(k, n);
  if (isNotComputed(p)) return { k, n, estimate: null, ci95: null };
  return { k, n, estimate: p.estimate, ci95: p.ci95 };
}

/** b / a, or null when a is 0. */
export const ratio = (b: number, a: number): number | null => (a === 0 ? null : b / a);
