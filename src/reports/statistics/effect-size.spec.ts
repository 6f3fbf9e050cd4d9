import { normalCdf } from './distributions.js';
import { cohenDz } from './effect-size.js';
import { isNotComputed } from './types.js';

/**
 * P(T ≤ t) for the noncentral t by numerical integration of its definition T = (Z + δ)/√(U/ν),
 * U ~ χ²_ν: ∫ Φ(t·√(u/ν) − δ) f_χ²(u) du by Simpson's rule. Independent of jstat's series.
 */
function integratedNoncentralTCdf(t: number, df: number, ncp: number): number {
  // Γ(k/2) by Γ(x + 1) = xΓ(x) from Γ(1/2) = √π and Γ(1) = 1.
  const gammaHalf = (k: number): number =>
    k === 1 ? Math.sqrt(Math.PI) : k === 2 ? 1 : (k / 2 - 1) * gammaHalf(k - 2);
  const logNorm = -(df / 2) * Math.LN2 - Math.log(gammaHalf(df));
  const density = (u: number) => (u <= 0 ? 0 : Math.exp(logNorm + (df / 2 - 1) * Math.log(u) - u / 2));
  const upper = df + 60 * Math.sqrt(2 * df) + 60;
  const steps = 40000;
  const h = upper / steps;
  let sum = 0;
  for (let i = 0; i <= steps; i++) {
    const u = i * h;
    const weight = i === 0 || i === steps ? 1 : i % 2 === 1 ? 4 : 2;
    sum += weight * normalCdf(t * Math.sqrt(u / df) - ncp) * density(u);
  }
  return (sum * h) / 3;
}

// Student (1908) sleep data (R datasets::sleep): group 1 − group 2, as in paired.spec.ts.
const SLEEP_DIFFERENCES = [-1.2, -2.4, -1.3, -1.3, 0, -1, -1.8, -0.8, -4.6, -1.4];

describe('cohenDz', () => {
  it('is mean change / SD of changes, with a 95% CI that inverts the noncentral t', () => {
    const r = cohenDz(SLEEP_DIFFERENCES);
    if (isNotComputed(r)) throw new Error(r.notComputed);
    // mean −1.58 (R t.test) / sd 1.229995 (R sd) = −1.284558.
    expect(r.dz).toBeCloseTo(-1.58 / 1.2299954832798732, 10);
    expect(r.ciMethod).toBe('noncentral-t-inversion');
    // Reference computed with SciPy 1.17.1 (scipy.stats.nct, Boost) and brentq — not from a publication,
    // hence the integration check below.
    expect(r.ci95[0]).toBeCloseTo(-2.1180165139816003, 6);
    expect(r.ci95[1]).toBeCloseTo(-0.4146277563804569, 6);
    // Second, independent check: at the limits the observed t sits at the 97.5th / 2.5th percentile.
    const n = SLEEP_DIFFERENCES.length;
    const t = r.dz * Math.sqrt(n);
    expect(integratedNoncentralTCdf(t, n - 1, r.ci95[0] * Math.sqrt(n))).toBeCloseTo(0.975, 6);
    expect(integratedNoncentralTCdf(t, n - 1, r.ci95[1] * Math.sqrt(n))).toBeCloseTo(0.025, 6);
  });

  it("matches SciPy on Hollander & Wolfe's depression data (positive effect)", () => {
    const x = [1.83, 0.5, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.3];
    const y = [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29];
    const r = cohenDz(x.map((xi, i) => xi - y[i]));
    if (isNotComputed(r)) throw new Error(r.notComputed);
    // SciPy 1.17.1 as above: d_z = 1.0117918052161972, CI 0.1771476090682207 to 1.8071690619393943.
    expect(r.dz).toBeCloseTo(1.0117918052161972, 12);
    expect(r.ci95[0]).toBeCloseTo(0.1771476090682207, 6);
    expect(r.ci95[1]).toBeCloseTo(1.8071690619393943, 6);
  });

  it('falls back to a labelled normal approximation only when t is beyond the trusted range', () => {
    // 400 pairs with a huge standardised change: t ≈ 100, far past |δ| = 22.
    const d = Array.from({ length: 400 }, (_, i) => 5 + (i % 2 === 0 ? 1 : -1));
    const r = cohenDz(d);
    if (isNotComputed(r)) throw new Error(r.notComputed);
    expect(r.ciMethod).toBe('normal-approx-abramowitz-stegun-26.7.10');
    expect(r.ci95[0]).toBeLessThan(r.dz);
    expect(r.ci95[1]).toBeGreaterThan(r.dz);
  });

  it('is not computed when every change is the same or there is one pair', () => {
    expect(cohenDz([2, 2, 2])).toEqual({ notComputed: 'all changes are identical (SD of changes is 0)' });
    expect(cohenDz([0.1 + 0.2, 0.3, 0.30000000000000004])).toMatchObject({ notComputed: expect.any(String) });
    expect(cohenDz([2])).toEqual({ notComputed: 'needs at least 2 pairs' });
  });
});
