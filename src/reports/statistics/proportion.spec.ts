import { attendanceSummary } from './attendance.js';
import { proportion } from './proportion.js';
import { isNotComputed } from './types.js';

function ci(k: number, n: number): readonly [number, number] {
  const r = proportion(k, n);
  if (isNotComputed(r)) throw new Error(r.notComputed);
  return r.ci95;
}

describe('proportion (Wilson score interval)', () => {
  it("gives the pilot's retention 16/20 as 0.800 (0.584 to 0.919)", () => {
    // Wilson (1927) formula; R: prop.test(16, 20, correct = FALSE)$conf.int = 0.5839826 0.9193423
    // (value computed here with SciPy 1.17.1 from the same formula; it matches the brief's 0.584–0.919).
    expect(proportion(16, 20)).toMatchObject({ k: 16, n: 20, estimate: 0.8 });
    const [lo, hi] = ci(16, 20);
    expect(lo).toBeCloseTo(0.5839826, 7);
    expect(hi).toBeCloseTo(0.9193423, 7);
  });

  it("matches Newcombe (1998) Table I, method 3 (Wilson score), Stat Med 17:857–872", () => {
    const table: [number, number, number, number][] = [
      [81, 263, 0.2553, 0.3662],
      [15, 148, 0.0624, 0.1605],
      [0, 20, 0, 0.1611],
      [1, 29, 0.0061, 0.1718],
    ];
    for (const [k, n, lower, upper] of table) {
      const [lo, hi] = ci(k, n);
      expect(lo).toBeCloseTo(lower, 4);
      expect(hi).toBeCloseTo(upper, 4);
    }
  });

  it('keeps the interval inside [0, 1] at the extremes and refuses impossible counts', () => {
    expect(ci(0, 5)[0]).toBe(0);
    expect(ci(5, 5)[1]).toBe(1);
    expect(ci(5, 5)[0]).toBeCloseTo(1 - 0.4345, 3); // mirror of 0/5, upper 0.4345 (Wilson formula)
    expect(proportion(0, 0)).toEqual({ notComputed: 'no one in the denominator' });
    expect(() => proportion(3, 2)).toThrow(RangeError);
    expect(() => proportion(1.5, 4)).toThrow(RangeError);
  });
});

describe('attendanceSummary', () => {
  it('gives median, IQR (type 7) and the share meeting the completion rule', () => {
    // Sessions attended of 8 by 10 participants; rule: at least 6.
    const attended = [8, 7, 2, 6, 8, 5, 0, 8, 7, 6];
    const s = attendanceSummary(attended, { minAttended: 6 });
    // Sorted 0 2 5 6 6 7 7 8 8 8: h = 2.25 → 5.25; h = 4.5 → 6.5; h = 6.75 → 7.75.
    expect(s).toMatchObject({ n: 10, median: 6.5, q1: 5.25, q3: 7.75, iqr: 2.5 });
    expect(s.meetingRule).toMatchObject({ k: 7, n: 10, estimate: 0.7 });
  });

  it('has nothing to summarise for an empty cohort, and refuses impossible counts', () => {
    const s = attendanceSummary([], { minAttended: 6 });
    expect(s).toMatchObject({ n: 0, median: null, iqr: null, meetingRule: { notComputed: expect.any(String) } });
    expect(() => attendanceSummary([3, -1], { minAttended: 6 })).toThrow(RangeError);
    expect(() => attendanceSummary([3], { minAttended: 1.5 })).toThrow(RangeError);
  });
});
