// The one place that imports distribution libraries, so a swap or an upgrade is a one-file change.
// Why libraries at all: tail probabilities and quantiles need careful numerics (incomplete beta,
// series with underflow guards) that hand-written code gets subtly wrong; @stdlib is well tested
// against R/Boost. Only jstat has a noncentral t, which @stdlib lacks.
import jStat from 'jstat';
import normalCdfImpl from '@stdlib/stats-base-dists-normal-cdf';
import normalQuantileImpl from '@stdlib/stats-base-dists-normal-quantile';
import signrankCdfImpl from '@stdlib/stats-base-dists-signrank-cdf';
import tCdfImpl from '@stdlib/stats-base-dists-t-cdf';
import tQuantileImpl from '@stdlib/stats-base-dists-t-quantile';

/** Standard normal P(Z ≤ z) (R: pnorm). */
export function normalCdf(z: number): number {
  return normalCdfImpl(z, 0, 1);
}

/** Standard normal quantile (R: qnorm). */
export function normalQuantile(p: number): number {
  return normalQuantileImpl(p, 0, 1);
}

/** Student t P(T ≤ t) (R: pt). */
export function tCdf(t: number, df: number): number {
  return tCdfImpl(t, df);
}

/** Student t quantile (R: qt). */
export function tQuantile(p: number, df: number): number {
  return tQuantileImpl(p, df);
}

/** Exact null distribution of the signed-rank statistic V, P(V ≤ v), no ties (R: psignrank). */
export function signrankCdf(v: number, n: number): number {
  return signrankCdfImpl(v, n);
}

/**
 * Largest |ncp| for which jstat's noncentral t series is trusted: its fixed 200-term loop stops
 * before the Poisson weights peak once ncp²/2 grows past ~300 (checked against SciPy/Boost: agrees
 * to ~1e-9 up to |ncp| = 24, returns ~0 at 26).
 */
export const NONCENTRAL_T_MAX_NCP = 22;

/** Noncentral t P(T ≤ t) (R: pt with ncp); only valid for |ncp| ≤ NONCENTRAL_T_MAX_NCP. */
export function noncentralTCdf(t: number, df: number, ncp: number): number {
  if (Math.abs(ncp) > NONCENTRAL_T_MAX_NCP) {
    throw new RangeError(`noncentral t cdf is not reliable for |ncp| > ${NONCENTRAL_T_MAX_NCP}`);
  }
  return jStat.noncentralt.cdf(t, df, ncp);
}
