// Paired t-test on differences, as R's t.test(after, before, paired = TRUE) computes it.
// The statistic is hand-written (it is three lines); the t distribution comes from @stdlib.
import { mean, sampleSd } from './describe.js';
import { tCdf, tQuantile } from './distributions.js';
import { Interval, NotComputed } from './types.js';

export interface PairedTTest {
  n: number;
  meanDifference: number;
  sdDifference: number;
  /** t = mean / (sd / √n). */
  t: number;
  df: number;
  /** Two-sided p = 2·P(T ≥ |t|). */
  p: number;
  /** 95% CI of the mean difference: mean ± t(0.975, n − 1)·sd/√n. */
  ci95: Interval;
}

const EPSILON = 2 ** -52;

/** Paired t-test of differences d = after − before against 0; two-sided, 95% interval. */
export function pairedTTest(differences: readonly number[]): PairedTTest | NotComputed {
  const n = differences.length;
  if (n < 2) return { notComputed: 'needs at least 2 pairs' };
  const m = mean(differences);
  const sd = sampleSd(differences);
  const se = sd / Math.sqrt(n);
  // R's own guard ("data are essentially constant"): float noise around identical changes.
  if (se === 0 || se < 10 * EPSILON * Math.abs(m)) {
    return { notComputed: 'all changes are identical (SD of changes is 0)' };
  }
  const df = n - 1;
  const t = m / se;
  const p = Math.min(1, 2 * tCdf(-Math.abs(t), df));
  const half = tQuantile(0.975, df) * se;
  return { n, meanDifference: m, sdDifference: sd, t, df, p, ci95: [m - half, m + half] };
}
