import { describe as describeSample, mean, quantile7, sampleSd } from './describe.js';

// Student (1908) sleep data as shipped in R's `datasets::sleep`: extra hours of sleep, group 1.
const SLEEP_GROUP_1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0];

describe('descriptive statistics', () => {
  it('matches R for the sleep data, group 1', () => {
    // R: mean 0.75 (printed by t.test(extra ~ group, data = sleep)); sd(...) = 1.78901;
    // quantile(...) = -0.175, 0.35, 1.7 (type 7); min -1.6, max 3.7.
    const d = describeSample(SLEEP_GROUP_1);
    expect(d.n).toBe(10);
    expect(d.mean).toBeCloseTo(0.75, 12);
    expect(d.sd).toBeCloseTo(1.78901, 5);
    expect(d.q1).toBeCloseTo(-0.175, 12);
    expect(d.median).toBeCloseTo(0.35, 12);
    expect(d.q3).toBeCloseTo(1.7, 12);
    expect([d.min, d.max]).toEqual([-1.6, 3.7]);
  });

  it('uses quantile type 7 (R default), not the "exclusive" definitions of SPSS or Excel QUARTILE.EXC', () => {
    // R: quantile(1:10) gives 25% 3.25, 50% 5.5, 75% 7.75 (type 6 would give 2.75 and 8.25).
    const oneToTen = Array.from({ length: 10 }, (_, i) => i + 1);
    expect([0.25, 0.5, 0.75].map((p) => quantile7(oneToTen, p))).toEqual([3.25, 5.5, 7.75]);
    // By hand, h = (n − 1)p on sorted 2 4 4 5 7 9 10: h = 1.5 → 4; h = 3 → 5; h = 4.5 → 7 + 0.5·2 = 8.
    const x = [9, 4, 2, 10, 5, 7, 4];
    expect([0.25, 0.5, 0.75].map((p) => quantile7(x, p))).toEqual([4, 5, 8]);
    expect([0, 1].map((p) => quantile7(x, p))).toEqual([2, 10]);
  });

  it('returns nulls rather than NaN for samples too small', () => {
    expect(describeSample([])).toEqual({
      n: 0, mean: null, sd: null, median: null, q1: null, q3: null, min: null, max: null,
    });
    expect(describeSample([4])).toEqual({ n: 1, mean: 4, sd: null, median: 4, q1: 4, q3: 4, min: 4, max: 4 });
  });

  it('refuses NaN and infinities instead of averaging them', () => {
    expect(() => describeSample([1, Number.NaN])).toThrow(RangeError);
    expect(() => mean([1, Infinity])).toThrow(RangeError);
    expect(() => sampleSd([1])).toThrow(RangeError);
  });

  it('keeps precision where a naive one-pass variance fails', () => {
    // Values 1e9 + {4, 7, 13, 16}: SD is that of {4, 7, 13, 16} = sqrt(30) exactly.
    const shifted = [4, 7, 13, 16].map((v) => 1e9 + v);
    expect(sampleSd(shifted)).toBeCloseTo(Math.sqrt(30), 9);
  });
});
