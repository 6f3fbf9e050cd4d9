import { signrankCdf } from './distributions.js';
import { averageRanks, signedRankTest } from './wilcoxon.js';
import { isNotComputed } from './types.js';

/** P(V ≤ v) by listing all 2^n sign patterns of ranks 1..n: slow, obviously right, independent of @stdlib. */
function enumeratedCdf(v: number, n: number): number {
  let atMost = 0;
  for (let mask = 0; mask < 2 ** n; mask++) {
    let sum = 0;
    for (let r = 1; r <= n; r++) if (mask & (1 << (r - 1))) sum += r;
    if (sum <= v) atMost++;
  }
  return atMost / 2 ** n;
}

describe('signedRankTest', () => {
  it("reproduces R's exact test on Hollander & Wolfe's depression data", () => {
    // R documentation, example(wilcox.test): Hollander & Wolfe (1973), p. 29f, Hamilton depression
    // scale at the first (x) and second (y) visit. wilcox.test(x, y, paired = TRUE, alternative =
    // "greater") prints V = 40, p-value = 0.01953; the two-sided p is twice that, 0.0390625 = 20/512.
    const x = [1.83, 0.5, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.3];
    const y = [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29];
    const r = signedRankTest(x.map((xi, i) => xi - y[i]));
    expect(r).toMatchObject({ V: 40, method: 'exact', nNonZero: 9, zeros: 0, ties: false });
    expect(isNotComputed(r) ? NaN : r.p).toBeCloseTo(0.0390625, 12);
    // Independently: V ≥ 40 for 10 of the 512 equally likely sign patterns.
    expect(1 - enumeratedCdf(39, 9)).toBeCloseTo(10 / 512, 15);
  });

  it('takes the exact null distribution from @stdlib, checked against full enumeration', () => {
    for (let n = 1; n <= 14; n++) {
      for (const v of [0, 1, Math.floor((n * (n + 1)) / 8), Math.floor((n * (n + 1)) / 4), (n * (n + 1)) / 2 - 1]) {
        expect(signrankCdf(v, n)).toBeCloseTo(enumeratedCdf(v, n), 12);
      }
    }
  });

  it('is symmetric: swapping before and after keeps p and mirrors V', () => {
    const d = [3, -1, 4, 1.5, 9, 2.6, 5.3, -5.8];
    const forward = signedRankTest(d);
    const back = signedRankTest(d.map((x) => -x));
    if (isNotComputed(forward) || isNotComputed(back)) throw new Error('expected results');
    expect(forward.V + back.V).toBe((8 * 9) / 2);
    expect(forward.p).toBeCloseTo(back.p, 14);
  });

  it('stays exact up to 49 non-zero differences and switches to the normal approximation at 50', () => {
    // d_i = ±i with every fourth negative; references from SciPy 1.17.1 scipy.stats.wilcoxon
    // (method "exact" for n = 49; "approx" with correction = True for n = 60), not from R.
    const signed = (n: number) => Array.from({ length: n }, (_, i) => (i + 1) * (i % 4 === 0 ? -1 : 1));
    const r49 = signedRankTest(signed(49));
    expect(r49).toMatchObject({ method: 'exact', V: 1225 - 325 });
    expect(isNotComputed(r49) ? NaN : r49.p).toBeCloseTo(0.003682032080742914, 12);
    const r60 = signedRankTest(signed(60));
    expect(r60).toMatchObject({ method: 'normal-approx-with-continuity-correction', V: 1395 });
    expect(isNotComputed(r60) ? NaN : r60.p).toBeCloseTo(0.0004157346143241448, 12);
    expect(signedRankTest(signed(50))).toMatchObject({ method: 'normal-approx-with-continuity-correction' });
  });

  it('drops zeros before ranking and then cannot give an exact p, as R', () => {
    const r = signedRankTest([0, 2, -1, 3, 4]);
    expect(r).toMatchObject({ V: 9, nNonZero: 4, zeros: 1, ties: false });
    expect(r).toMatchObject({ method: 'normal-approx-with-continuity-correction' });
    expect(signedRankTest([0, 0])).toEqual({ notComputed: 'no non-zero changes' });
  });

  it('gives tied values their average rank, as R rank()', () => {
    // By hand: the three 0.8s share ranks 1–3 (→ 2), the two 1.3s share 4–5 (→ 4.5), 4.6 is 6.
    expect(averageRanks([1.3, 0.8, 1.3, 4.6, 0.8, 0.8])).toEqual([4.5, 2, 4.5, 6, 2, 2]);
  });
});
