// A share with its Wilson score 95% interval (Wilson 1927), which keeps good coverage for the small
// n and extreme shares this program sees (e.g. retention 16/20), unlike the Wald interval
// (Newcombe 1998). Equals R's prop.test(k, n, correct = FALSE)$conf.int.
import { normalQuantile } from './distributions.js';
import { Interval, NotComputed } from './types.js';

export interface Proportion {
  k: number;
  n: number;
  /** k / n. */
  estimate: number;
  /** Wilson score interval, without continuity correction. */
  ci95: Interval;
}

const Z_975 = normalQuantile(0.975);

/** k successes out of n with the Wilson 95% interval; not computed for n = 0. */
export function proportion(k: number, n: number): Proportion | NotComputed {
  if (!Number.isInteger(k) || !Number.isInteger(n) || k < 0 || n < 0 || k > n) {
    throw new RangeError(`proportion needs integers 0 ≤ k ≤ n, got ${k}/${n}`);
  }
  if (n === 0) return { notComputed: 'no one in the denominator' };
  const p = k / n;
  const z2 = Z_975 * Z_975;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (Z_975 / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  // At k = 0 or k = n the bound is exactly 0 or 1; clamping removes a rounding residue like 1e-17.
  const lower = k === 0 ? 0 : Math.max(0, centre - half);
  const upper = k === n ? 1 : Math.min(1, centre + half);
  return { k, n, estimate: p, ci95: [lower, upper] };
}
