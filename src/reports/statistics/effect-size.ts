// Cohen's d_z for paired data (mean change / SD of changes) with a 95% CI by inverting the
// noncentral t distribution (Steiger & Fouladi 1997; as MBESS / MOTE d.dep.t.diff do). The inversion
// (false position, Illinois variant) is hand-written: none of our libraries has a root finder; the noncentral
// t cdf comes from jstat.
import { mean, sampleSd } from './describe.js';
import { NONCENTRAL_T_MAX_NCP, noncentralTCdf, normalQuantile } from './distributions.js';
import { Interval, NotComputed } from './types.js';

export type EffectSizeCiMethod = 'noncentral-t-inversion' | 'normal-approx-abramowitz-stegun-26.7.10';

export interface CohenDz {
  /** d_z = mean(d) / sd(d); not bias-corrected (Hedges' g_z would shrink it by 1 − 3/(4·df − 1)). */
  dz: number;
  ci95: Interval;
  ciMethod: EffectSizeCiMethod;
}

const EPSILON = 2 ** -52;

/**
 * Finds δ with P(T_df,δ ≤ t) = target. The cdf falls as δ rises, so a bracketing method on the trusted range
 * [−max, max] converges surely; null when the root lies outside it (the caller then approximates). False position
 * with the Illinois rule (an end kept twice has its value halved), from the normal approximation, needs about ten
 * cdf evaluations where bisection to the same 1e-10 bracket needed about forty, each a 200-term series.
 */
function invertNoncentralT(t: number, df: number, target: number): number | null {
  let lo = -NONCENTRAL_T_MAX_NCP;
  let hi = NONCENTRAL_T_MAX_NCP;
  let fLo = noncentralTCdf(t, df, lo) - target;
  let fHi = noncentralTCdf(t, df, hi) - target;
  if (fLo < 0 || fHi > 0) return null;
  let kept: 'lo' | 'hi' | null = null;
  // Each step shrinks the bracket; the step bound only guards against a cdf that misbehaves. The first point
  // tried is the normal approximation's δ, usually close: the cdf is flat far out, where secants aim badly.
  for (let step = 0; step < 200 && hi - lo > 1e-10; step++) {
    let mid = step === 0 ? approximateNcp(t, df, target) : fLo === fHi ? (lo + hi) / 2 : lo - (fLo * (hi - lo)) / (fHi - fLo);
    if (!(mid > lo && mid < hi)) mid = (lo + hi) / 2;
    const f = noncentralTCdf(t, df, mid) - target;
    if (f === 0) return mid;
    if (f > 0) {
      lo = mid;
      fLo = f;
      if (kept === 'hi') fHi /= 2;
      kept = 'hi';
    } else {
      hi = mid;
      fHi = f;
      if (kept === 'lo') fLo /= 2;
      kept = 'lo';
    }
  }
  return (lo + hi) / 2;
}

/**
 * Abramowitz & Stegun 26.7.10 normal approximation to the noncentral t, solved for δ in closed form;
 * used only for an endpoint beyond |δ| = 22 (huge t), where jstat's series is not trusted.
 */
function approximateNcp(t: number, df: number, target: number): number {
  return t * (1 - 1 / (4 * df)) - normalQuantile(target) * Math.sqrt(1 + (t * t) / (2 * df));
}

/** Cohen's d_z of differences d = after − before, with its 95% CI. */
export function cohenDz(differences: readonly number[]): CohenDz | NotComputed {
  const n = differences.length;
  if (n < 2) return { notComputed: 'needs at least 2 pairs' };
  const m = mean(differences);
  const sd = sampleSd(differences);
  // Same guard as the t-test: d_z is undefined when every change is the same.
  if (sd === 0 || sd / Math.sqrt(n) < 10 * EPSILON * Math.abs(m)) {
    return { notComputed: 'all changes are identical (SD of changes is 0)' };
  }
  const df = n - 1;
  const t = (m / sd) * Math.sqrt(n);
  const lower = invertNoncentralT(t, df, 0.975);
  const upper = invertNoncentralT(t, df, 0.025);
  const ciMethod: EffectSizeCiMethod =
    lower === null || upper === null ? 'normal-approx-abramowitz-stegun-26.7.10' : 'noncentral-t-inversion';
  const ncpLow = lower ?? approximateNcp(t, df, 0.975);
  const ncpHigh = upper ?? approximateNcp(t, df, 0.025);
  return { dz: m / sd, ci95: [ncpLow / Math.sqrt(n), ncpHigh / Math.sqrt(n)], ciMethod };
}
