// Before/after change of one outcome in the same participants: the core of the outcome report.
// Change is after − before throughout, as R's t.test(after, before, paired = TRUE) reports it.
import { describe } from './describe.js';
import { cohenDz, EffectSizeCiMethod } from './effect-size.js';
import { proportion, Proportion } from './proportion.js';
import { pairedTTest } from './t-test.js';
import { Interval, isNotComputed, assertFinite } from './types.js';
import { signedRankTest, SignedRankTest } from './wilcoxon.js';

export interface Pair {
  before: number;
  after: number;
}

export interface PairedChangeOptions {
  /** Minimal clinically important difference, a positive amount on the instrument's scale. */
  mcid?: number;
  /** Direction of improvement: true for WHO-5 or SCS-SF, false for PHQ-9 or GAD-7. */
  higherIsBetter: boolean;
}

/** Fields that can be null; `reasons` says why each null one is. */
export type PairedField =
  | 'before' | 'after' | 'change' | 'ci95' | 'tTest' | 'wilcoxon' | 'cohenDz' | 'shareReachingMcid';

export interface PairedChange {
  n: number;
  meanBefore: number | null;
  sdBefore: number | null;
  meanAfter: number | null;
  sdAfter: number | null;
  /** Mean and SD of after − before. */
  meanChange: number | null;
  sdChange: number | null;
  /** t-based 95% CI of the mean change. */
  ci95: Interval | null;
  tTest: { t: number; df: number; p: number } | null;
  wilcoxon: SignedRankTest | null;
  cohenDz: number | null;
  cohenDzCi95: Interval | null;
  cohenDzCiMethod: EffectSizeCiMethod | null;
  /** Participants whose change in the good direction is ≥ mcid, with a Wilson 95% CI. */
  shareReachingMcid: Proportion | null;
  /** Changes in the good direction, none, or the bad direction (after float-noise cleaning). */
  improved: number;
  unchanged: number;
  worsened: number;
  reasons: Partial<Record<PairedField, string>>;
}

/**
 * after − before with float noise removed, so 3.25 − 3.0 and 2.25 − 2.0 tie and 0.3 − (0.1 + 0.2)
 * is zero, as they are on paper. R (digits.rank = Inf) would treat such noise as real differences;
 * rounding to 12 significant digits changes no real score difference.
 */
export function cleanDifference(before: number, after: number): number {
  const d = after - before;
  if (Math.abs(d) <= 1e-12 * Math.max(Math.abs(before), Math.abs(after))) return 0;
  return Number(d.toPrecision(12));
}

/** Everything the report says about one outcome's change; nulls carry a reason, never NaN. */
export function pairedChange(pairs: readonly Pair[], options: PairedChangeOptions): PairedChange {
  const before = pairs.map((p) => p.before);
  const after = pairs.map((p) => p.after);
  assertFinite(before, 'before scores');
  assertFinite(after, 'after scores');
  const { mcid, higherIsBetter } = options;
  if (mcid !== undefined && !(Number.isFinite(mcid) && mcid > 0)) throw new RangeError('mcid must be > 0');
  const n = pairs.length;
  const reasons: PairedChange['reasons'] = {};
  const b = describe(before);
  const a = describe(after);
  // The t-test and d_z use the raw differences, so their numbers equal R's to the last digit.
  const raw = pairs.map((p) => p.after - p.before);
  const clean = pairs.map((p) => cleanDifference(p.before, p.after));
  const c = describe(raw);
  if (n === 0) reasons.before = reasons.after = reasons.change = 'no pairs';
  else if (n < 2) reasons.before = reasons.after = reasons.change = 'SD needs at least 2 pairs';

  const t = pairedTTest(raw);
  if (isNotComputed(t)) reasons.tTest = reasons.ci95 = t.notComputed;
  const w = signedRankTest(clean);
  if (isNotComputed(w)) reasons.wilcoxon = w.notComputed;
  const d = cohenDz(raw);
  if (isNotComputed(d)) reasons.cohenDz = d.notComputed;

  let shareReachingMcid: Proportion | null = null;
  const good = clean.map((x) => (higherIsBetter ? x : -x));
  if (mcid === undefined) reasons.shareReachingMcid = 'no MCID given for this instrument';
  else {
    const share = proportion(good.filter((x) => x >= mcid).length, n);
    if (isNotComputed(share)) reasons.shareReachingMcid = share.notComputed;
    else shareReachingMcid = share;
  }
  return {
    n,
    meanBefore: b.mean,
    sdBefore: b.sd,
    meanAfter: a.mean,
    sdAfter: a.sd,
    meanChange: c.mean,
    sdChange: c.sd,
    ci95: isNotComputed(t) ? null : t.ci95,
    tTest: isNotComputed(t) ? null : { t: t.t, df: t.df, p: t.p },
    wilcoxon: isNotComputed(w) ? null : w,
    cohenDz: isNotComputed(d) ? null : d.dz,
    cohenDzCi95: isNotComputed(d) ? null : d.ci95,
    cohenDzCiMethod: isNotComputed(d) ? null : d.ciMethod,
    shareReachingMcid,
    improved: good.filter((x) => x > 0).length,
    unchanged: good.filter((x) => x === 0).length,
    worsened: good.filter((x) => x < 0).length,
    reasons,
  };
}
