// Wilcoxon signed-rank test, following R's wilcox.test(after, before, paired = TRUE) before R 4.6.0
// (R ≥ 4.6.0 by default gives exact conditional p-values when there are ties or zeros; the normal
// approximation used here matches R ≥ 4.6.0 only with exact = FALSE in that case).
// The statistic and its tie-corrected normal approximation are hand-written because they are a few
// lines of bookkeeping; the exact null distribution comes from @stdlib (psignrank).
import { normalCdf, signrankCdf } from './distributions.js';
import { NotComputed } from './types.js';

export type WilcoxonMethod = 'exact' | 'normal-approx-with-continuity-correction';

export interface SignedRankTest {
  /** Sum of the ranks of the positive differences, as R reports V. */
  V: number;
  /** Two-sided p-value. */
  p: number;
  method: WilcoxonMethod;
  /** Differences left after dropping zeros (R drops them, then ranks the rest). */
  nNonZero: number;
  /** Zero differences dropped. */
  zeros: number;
  /** Whether any |differences| tie, which (with zeros) rules out the exact p-value. */
  ties: boolean;
}

/** Ranks of values with ties given their average rank (R: rank(), ties.method = "average"). */
export function averageRanks(values: readonly number[]): number[] {
  const order = values.map((v, i) => i).sort((a, b) => values[a] - values[b]);
  const ranks = new Array<number>(values.length);
  for (let start = 0; start < order.length; ) {
    let end = start;
    while (end + 1 < order.length && values[order[end + 1]] === values[order[start]]) end++;
    const rank = (start + end + 2) / 2;
    for (let k = start; k <= end; k++) ranks[order[k]] = rank;
    start = end + 1;
  }
  return ranks;
}

/**
 * Two-sided signed-rank test of differences d = after − before. Exact p when fewer than 50 non-zero
 * differences and no ties and no zeros; otherwise normal approximation with tie-corrected variance
 * and continuity correction (R's rules). Callers should pass differences already cleaned of float
 * noise (see paired.ts), since ties and zeros are decided by exact equality here, as in R.
 */
export function signedRankTest(differences: readonly number[]): SignedRankTest | NotComputed {
  const nonZero = differences.filter((d) => d !== 0);
  const zeros = differences.length - nonZero.length;
  const n = nonZero.length;
  if (n === 0) return { notComputed: 'no non-zero changes' };
  const ranks = averageRanks(nonZero.map(Math.abs));
  const V = nonZero.reduce((s, d, i) => (d > 0 ? s + ranks[i] : s), 0);
  const tieSizes = new Map<number, number>();
  for (const r of ranks) tieSizes.set(r, (tieSizes.get(r) ?? 0) + 1);
  const ties = tieSizes.size < n;
  if (n < 50 && !ties && zeros === 0) {
    // By symmetry of V about n(n+1)/4, P(V ≥ v) = P(V ≤ n(n+1)/2 − v): no 1 − cdf cancellation.
    const tail = V > (n * (n + 1)) / 4 ? signrankCdf((n * (n + 1)) / 2 - V, n) : signrankCdf(V, n);
    return { V, p: Math.min(1, 2 * tail), method: 'exact', nNonZero: n, zeros, ties };
  }
  let tieTerm = 0;
  for (const t of tieSizes.values()) tieTerm += t ** 3 - t;
  const sigma = Math.sqrt((n * (n + 1) * (2 * n + 1)) / 24 - tieTerm / 48);
  const centred = V - (n * (n + 1)) / 4;
  const z = (centred - Math.sign(centred) * 0.5) / sigma;
  const p = Math.min(1, 2 * normalCdf(-Math.abs(z)));
  return { V, p, method: 'normal-approx-with-continuity-correction', nNonZero: n, zeros, ties };
}
