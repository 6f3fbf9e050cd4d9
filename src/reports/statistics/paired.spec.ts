import { cleanDifference, pairedChange } from './paired.js';

// Student (1908), as R's `datasets::sleep`: extra sleep under drug 1 and drug 2 in the same 10 patients.
const GROUP_1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0];
const GROUP_2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4];
// R's t.test(x, y, paired = TRUE) tests x − y; pairedChange tests after − before, so after = group 1.
const SLEEP = GROUP_1.map((after, i) => ({ before: GROUP_2[i], after }));

describe('pairedChange', () => {
  it("reproduces R's paired t-test on the sleep data", () => {
    // R documentation, example(t.test) / ?sleep: t.test(extra ~ group, data = sleep, paired = TRUE):
    // t = -4.0621, df = 9, p-value = 0.002833, 95% CI -2.4598858 -0.7001142, mean difference -1.58.
    const r = pairedChange(SLEEP, { higherIsBetter: true });
    expect(r.n).toBe(10);
    expect(r.tTest!.t).toBeCloseTo(-4.0621, 4);
    expect(r.tTest!.df).toBe(9);
    expect(r.tTest!.p).toBeCloseTo(0.002833, 6);
    expect(r.ci95![0]).toBeCloseTo(-2.4598858, 7);
    expect(r.ci95![1]).toBeCloseTo(-0.7001142, 7);
    expect(r.meanChange).toBeCloseTo(-1.58, 12);
    // Means printed by R's Welch test on the same data: 0.75 and 2.33.
    expect(r.meanAfter).toBeCloseTo(0.75, 12);
    expect(r.meanBefore).toBeCloseTo(2.33, 12);
  });

  it("reproduces R's signed-rank test on the sleep data, which has a tie and a zero", () => {
    // R: wilcox.test(extra ~ group, data = sleep, paired = TRUE) → "Wilcoxon signed rank test with
    // continuity correction, V = 0, p-value = 0.009091" with warnings "cannot compute exact p-value with
    // ties" and "... with zeroes" (R < 4.6.0). Checked by hand: 9 non-zero |d|, one tie of two (1.3),
    // σ² = 9·10·19/24 − (2³ − 2)/48 = 71.125, z = (0 − 22.5 + 0.5)/√71.125, p = 2Φ(z).
    const w = pairedChange(SLEEP, { higherIsBetter: true }).wilcoxon!;
    expect(w.V).toBe(0);
    expect(w.p).toBeCloseTo(0.009091, 6);
    expect(w).toMatchObject({ method: 'normal-approx-with-continuity-correction', nNonZero: 9, zeros: 1, ties: true });
  });

  it('treats changes equal on paper as ties, whatever the float noise (SCS-SF means of 12 items)', () => {
    // 29/12 − 25/12 and 50/12 − 46/12 are both 1/3 on paper but differ in IEEE doubles.
    const m = (itemSum: number) => itemSum / 12;
    expect(m(29) - m(25)).not.toBe(m(50) - m(46));
    expect(cleanDifference(m(25), m(29))).toBe(cleanDifference(m(46), m(50)));
    expect(cleanDifference(0.1 + 0.2, 0.3)).toBe(0);
    const pairs = [
      { before: m(25), after: m(29) },
      { before: m(46), after: m(50) },
      { before: m(30), after: m(36) },
      { before: m(40), after: m(39) },
      { before: m(24), after: m(34) },
    ];
    const w = pairedChange(pairs, { higherIsBetter: true }).wilcoxon!;
    // |changes| 4/12, 4/12, 6/12, 1/12, 10/12 → ranks 2.5, 2.5, 4, 1, 5; V = 14; a tie ⇒ no exact p.
    expect(w).toMatchObject({ V: 14, ties: true, method: 'normal-approx-with-continuity-correction' });
  });

  it("gives Cohen's d_z = mean change / SD of changes", () => {
    const r = pairedChange(SLEEP, { higherIsBetter: true });
    // SD of the differences: R sd(with(sleep, extra[group == 1] - extra[group == 2])) = 1.229995.
    expect(r.sdChange).toBeCloseTo(1.229995, 6);
    expect(r.cohenDz).toBeCloseTo(-1.58 / 1.2299954832798732, 10);
    expect(r.cohenDzCiMethod).toBe('noncentral-t-inversion');
  });

  it('counts who reached the MCID in the good direction, with a Wilson interval', () => {
    // PHQ-9 (lower is better), MCID 5: changes −6, −5, −4, −1, 0, +7 → 2 of 6 reach it.
    const phq9 = [[16, 10], [12, 7], [11, 7], [9, 8], [4, 4], [3, 10]].map(([before, after]) => ({ before, after }));
    const r = pairedChange(phq9, { higherIsBetter: false, mcid: 5 });
    expect(r.shareReachingMcid).toMatchObject({ k: 2, n: 6 });
    expect(r.shareReachingMcid!.estimate).toBeCloseTo(1 / 3, 12);
    expect([r.improved, r.unchanged, r.worsened]).toEqual([4, 1, 1]);
    // The same numbers read as "higher is better": only the +7 reaches it.
    expect(pairedChange(phq9, { higherIsBetter: true, mcid: 5 }).shareReachingMcid).toMatchObject({ k: 1, n: 6 });
    expect(pairedChange(phq9, { higherIsBetter: false }).reasons.shareReachingMcid).toMatch(/no MCID/);
    expect(() => pairedChange(phq9, { higherIsBetter: false, mcid: 0 })).toThrow(RangeError);
  });

  it('counts a change of exactly the MCID even when float noise makes it 0.4999999999999998', () => {
    // SCS-SF total is a mean of 12 items: 26/12 − 20/12 is 0.5 on paper, 0.4999999999999998 in doubles.
    expect(26 / 12 - 20 / 12).toBeLessThan(0.5);
    const r = pairedChange([{ before: 20 / 12, after: 26 / 12 }, { before: 30 / 12, after: 31 / 12 }], {
      higherIsBetter: true,
      mcid: 0.5,
    });
    expect(r.shareReachingMcid).toMatchObject({ k: 1, n: 2 });
  });

  it('returns nulls with reasons, never NaN or Infinity, for degenerate data', () => {
    const same = pairedChange([{ before: 10, after: 12 }, { before: 8, after: 10 }, { before: 5, after: 7 }], {
      higherIsBetter: true,
    });
    expect(same.tTest).toBeNull();
    expect(same.ci95).toBeNull();
    expect(same.cohenDz).toBeNull();
    expect(same.reasons.tTest).toMatch(/identical/);
    expect(same.reasons.cohenDz).toMatch(/identical/);
    expect(same.sdChange).toBe(0);
    // The signed-rank test still applies: three tied positive changes, V = 6.
    expect(same.wilcoxon).toMatchObject({ V: 6, ties: true, method: 'normal-approx-with-continuity-correction' });

    const none = pairedChange([{ before: 3, after: 3 }, { before: 4, after: 4 }], { higherIsBetter: true, mcid: 1 });
    expect(none.wilcoxon).toBeNull();
    expect(none.reasons.wilcoxon).toMatch(/no non-zero/);
    expect(none.shareReachingMcid).toMatchObject({ k: 0, n: 2 });

    const one = pairedChange([{ before: 3, after: 5 }], { higherIsBetter: true });
    expect(one).toMatchObject({ n: 1, meanChange: 2, sdChange: null, tTest: null, cohenDz: null });
    expect(one.reasons.tTest).toMatch(/at least 2/);

    const empty = pairedChange([], { higherIsBetter: true, mcid: 2 });
    expect(empty).toMatchObject({ n: 0, meanBefore: null, meanChange: null, wilcoxon: null, shareReachingMcid: null });
    expect(JSON.stringify(empty)).not.toMatch(/NaN|Infinity|null,"reasons":\{\}/);
    expect(() => pairedChange([{ before: Number.NaN, after: 1 }], { higherIsBetter: true })).toThrow(RangeError);
  });
});
